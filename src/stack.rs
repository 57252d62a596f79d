//! Names and shared settings of an mTLS proxy stack (pattern 3): every resource
//! name derives from the stack name, so deploy, show, doctor and teardown find
//! the same resources again.

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{BuildHasher, Hasher};

use crate::error::Error;
use crate::ids::StackName;
use crate::model::{EndpointService, STACK_ID_TAG, STACK_TAG};

/// The proxy container's name in the task definition and the service's load balancer wiring.
pub const CONTAINER_NAME: &str = "proxy";
/// Plain-HTTP port the NLB health check uses (`GET /health`).
pub const HEALTH_PORT: i32 = crate::mtls::DEFAULT_HEALTH_PORT as i32;

/// Names of a stack's resources, all derived from the stack name so a re-run
/// finds them again. `StackName` caps the name at 28 characters, so
/// `<name>-nlb` fits the load balancer's 32.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StackNames {
    pub stack: String,
    pub cluster: String,
    pub task_family: String,
    pub service: String,
    pub security_group: String,
    pub load_balancer: String,
    pub target_group: String,
    /// The VPC link (v1 or v2) of a front door (pattern 1).
    pub vpc_link: String,
    /// The group on a VPC link v2's network interfaces.
    pub link_security_group: String,
    pub log_group: String,
    /// The Secrets Manager secret holding the proxy's certificates.
    pub secret: String,
    /// The AWS RAM share of a private custom domain (pattern 4).
    pub domain_share: String,
    /// The comment of a private hosted zone made for a shared domain: Route 53
    /// zones take no tags at creation, so this is how teardown knows its own.
    pub zone_comment: String,
}

impl StackNames {
    pub fn new(stack: &StackName) -> Self {
        Self::of(stack.as_str())
    }

    /// For a name already validated as a [`StackName`].
    pub fn of(s: &str) -> Self {
        StackNames {
            stack: s.to_owned(),
            cluster: format!("{s}-mtls"),
            task_family: format!("{s}-mtls-proxy"),
            service: format!("{s}-mtls-proxy"),
            security_group: format!("{s}-mtls-proxy"),
            load_balancer: format!("{s}-nlb"),
            target_group: format!("{s}-tg"),
            vpc_link: s.to_owned(),
            link_security_group: format!("{s}-link"),
            log_group: format!("/xapi/{s}/mtls-proxy"),
            secret: format!("xapi/mtls/{s}"),
            domain_share: format!("xapi-{s}-domain"),
            zone_comment: format!("{STACK_TAG}={s}"),
        }
    }

    /// The tags every resource of the stack carries.
    pub fn tags(&self, stack_id: &str) -> Vec<(String, String)> {
        stack_tags(&self.stack, stack_id)
    }
}

/// `xapi:stack=NAME` and `xapi:stack-id=ID`.
pub fn stack_tags(stack: &str, stack_id: &str) -> Vec<(String, String)> {
    vec![
        (STACK_TAG.to_owned(), stack.to_owned()),
        (STACK_ID_TAG.to_owned(), stack_id.to_owned()),
    ]
}

/// A fresh stack id: 16 hex digits from the OS-seeded keys of std's `RandomState`
/// (each `RandomState` draws new ones), the time and the process id.
pub fn new_stack_id() -> String {
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    h.write_u128(nanos);
    h.write_u32(std::process::id());
    format!("{:016x}", h.finish())
}

/// Whether a resource's tags say it belongs to `stack` (`xapi:stack=NAME`).
pub fn carries_stack(tags: &BTreeMap<String, String>, stack: &str) -> bool {
    tags.get(STACK_TAG).map(String::as_str) == Some(stack)
}

/// The stack id that the stack's existing resources (those carrying `xapi:stack=NAME`
/// among `tag_sets`) carry: `None` when none carries one (a new stack, or one made by an
/// xapi without stack ids), an error naming them when they carry two.
pub fn existing_stack_id<'a>(
    stack: &str,
    tag_sets: impl IntoIterator<Item = (&'a str, &'a BTreeMap<String, String>)>,
) -> Result<Option<String>, Error> {
    let mut ids: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for (what, tags) in tag_sets {
        if !carries_stack(tags, stack) {
            continue;
        }
        if let Some(id) = tags.get(STACK_ID_TAG) {
            ids.entry(id).or_default().insert(what);
        }
    }
    match ids.len() {
        0 => Ok(None),
        1 => Ok(ids.keys().next().map(|id| id.to_string())),
        _ => Err(Error::BadInput(format!(
            "resources named for stack {stack} belong to {} stacks ({}): two stacks were given the same name; \
             pick another --name, or remove the other stack with `xapi teardown --stack {stack} --stack-id ID`",
            ids.len(),
            ids.iter()
                .map(|(id, whats)| format!(
                    "{STACK_ID_TAG}={id}: {}",
                    whats.iter().copied().collect::<Vec<_>>().join(", ")
                ))
                .collect::<Vec<_>>()
                .join("; ")
        ))),
    }
}

/// The stack's one live endpoint service, or a clear refusal.
pub fn the_endpoint_service(
    stack: &str,
    services: Vec<EndpointService>,
) -> Result<EndpointService, Error> {
    let mut live: Vec<EndpointService> = services.into_iter().filter(|s| s.is_live()).collect();
    match live.len() {
        0 => Err(Error::not_found(
            format!("endpoint service of stack {stack}"),
            format!(
                "nothing carries {STACK_TAG}={stack}; run `xapi mtls deploy --name {stack}` first"
            ),
        )),
        1 => Ok(live.remove(0)),
        n => Err(Error::BadInput(format!(
            "{n} endpoint services carry {STACK_TAG}={stack} ({}); remove the extra ones",
            live.iter()
                .map(|s| s.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_proxy_listens_where_the_stack_forwards() {
        assert_eq!(
            i32::from(crate::mtls::DEFAULT_HTTPS_PORT),
            crate::model::HTTPS_PORT
        );
    }

    fn tags(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn an_existing_stack_keeps_its_id_and_two_ids_are_refused() {
        let a = tags(&[(STACK_TAG, "orders"), (STACK_ID_TAG, "aaaa")]);
        let old = tags(&[(STACK_TAG, "orders")]);
        let other_name = tags(&[(STACK_TAG, "billing"), (STACK_ID_TAG, "bbbb")]);
        let b = tags(&[(STACK_TAG, "orders"), (STACK_ID_TAG, "bbbb")]);
        assert_eq!(existing_stack_id("orders", []).unwrap(), None);
        assert_eq!(
            existing_stack_id("orders", [("nlb", &old)]).unwrap(),
            None,
            "made before stack ids"
        );
        assert_eq!(
            existing_stack_id("orders", [("nlb", &a), ("tg", &old), ("api", &other_name)])
                .unwrap()
                .as_deref(),
            Some("aaaa")
        );
        let err = existing_stack_id("orders", [("nlb", &a), ("rest-api x", &b)]).unwrap_err();
        let msg = err.to_string();
        assert_eq!(err.exit_code(), crate::error::exit::BAD_INPUT);
        assert!(
            msg.contains("xapi:stack-id=aaaa: nlb")
                && msg.contains("xapi:stack-id=bbbb: rest-api x"),
            "{msg}"
        );
    }

    #[test]
    fn fresh_ids_differ() {
        let ids: BTreeSet<String> = (0..100).map(|_| new_stack_id()).collect();
        assert_eq!(ids.len(), 100);
        assert!(ids.iter().all(|i| i.len() == 16));
    }
}
