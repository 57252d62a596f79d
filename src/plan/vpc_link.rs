//! `vpc-link create` as a pure plan: reuse the link to the network load
//! balancer, waiting for it if it is not AVAILABLE yet, or create one.

use super::{Action, Plan, Planned, Verb};
use crate::error::Result;
use crate::model::{LoadBalancer, VpcLink};

/// What `vpc-link create` reads before planning.
#[derive(Debug, Clone)]
pub struct Observed {
    /// The caller's ARN.
    pub identity: String,
    /// The network load balancer the link is for.
    pub nlb: LoadBalancer,
    /// The link that already targets it, if any.
    pub link: Option<VpcLink>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Create a link to the load balancer, then wait until it is AVAILABLE.
    Create { name: String, nlb_arn: String },
    /// Wait until an existing link is AVAILABLE (it fails if the link FAILED).
    AwaitAvailable(VpcLink),
}

pub fn plan(seen: &Observed, name: &str) -> Result<Planned<Step>> {
    let nlb = &seen.nlb;
    let mut plan = Plan {
        identity: seen.identity.clone(),
        ..Plan::default()
    };
    let mut steps = Vec::new();
    match &seen.link {
        Some(l) => {
            let mut details = vec![format!(
                "{} targets {}, status {}",
                l.name, nlb.name, l.status
            )];
            if l.status != "AVAILABLE" {
                details.push("waits until it is AVAILABLE".into());
                steps.push(Step::AwaitAvailable(l.clone()));
            }
            plan.actions.push(Action {
                verb: Verb::Reuse,
                resource: "vpc-link".into(),
                target: l.id.clone(),
                details,
            });
        }
        None => {
            plan.actions.push(Action {
                verb: Verb::Create,
                resource: "vpc-link".into(),
                target: name.to_owned(),
                details: vec![format!("target {}", nlb.arn)],
            });
            steps.push(Step::Create {
                name: name.to_owned(),
                nlb_arn: nlb.arn.clone(),
            });
        }
    }
    if !nlb.state.is_empty() && nlb.state != "active" {
        plan.warnings.push(format!(
            "{} is {}: a link created before its load balancer is active fails",
            nlb.name, nlb.state
        ));
    }
    Ok(Planned { plan, steps })
}

/// The existing link that targets this load balancer, if any (one being deleted does not count).
pub fn link_for<'a>(links: &'a [VpcLink], nlb_arn: &str) -> Option<&'a VpcLink> {
    links
        .iter()
        .find(|l| l.target_arns.iter().any(|t| t == nlb_arn) && l.status != "DELETING")
}

/// A REST API link targets exactly one load balancer: anything else is not the link asked for.
pub fn differences(link: &VpcLink, nlb: &LoadBalancer) -> Vec<String> {
    if link.target_arns == [nlb.arn.as_str()] {
        Vec::new()
    } else {
        vec![format!(
            "VPC link {} targets {}, not {}",
            link.id,
            link.target_arns.join(", "),
            nlb.arn
        )]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NLB: &str =
        "arn:aws:elasticloadbalancing:us-east-1:111111111111:loadbalancer/net/n/0123456789abcdef";

    fn seen(link: Option<(&str, &str)>, nlb_state: &str) -> Observed {
        Observed {
            identity: "arn:aws:iam::111111111111:role/me".into(),
            nlb: LoadBalancer {
                arn: NLB.into(),
                name: "n".into(),
                dns_name: "n.elb.amazonaws.com".into(),
                scheme: "internal".into(),
                lb_type: "network".into(),
                state: nlb_state.into(),
                vpc_id: "vpc-0aaaaaaaaaaaaaaa1".into(),
                subnet_ids: vec![],
            },
            link: link.map(|(id, status)| VpcLink {
                id: id.into(),
                name: "l".into(),
                target_arns: vec![NLB.into()],
                version: crate::model::LinkVersion::V1,
                subnet_ids: vec![],
                security_group_ids: vec![],
                status: status.into(),
                status_message: None,
                tags: std::collections::BTreeMap::new(),
            }),
        }
    }

    #[test]
    fn no_link_yet_creates_one_to_the_load_balancer() {
        let p = plan(&seen(None, "active"), "l").unwrap();
        assert_eq!(
            p.steps,
            [Step::Create {
                name: "l".into(),
                nlb_arn: NLB.into()
            }]
        );
        let a = &p.plan.actions[0];
        assert_eq!((a.verb, a.target.as_str()), (Verb::Create, "l"));
        assert_eq!(a.details, [format!("target {NLB}")]);
        assert!(p.plan.warnings.is_empty());
        assert_eq!(p.plan.identity, "arn:aws:iam::111111111111:role/me");
    }

    #[test]
    fn an_available_link_is_reused_with_no_steps() {
        let p = plan(&seen(Some(("lnk1", "AVAILABLE")), "active"), "other").unwrap();
        assert!(p.steps.is_empty() && p.plan.is_noop());
        assert_eq!(p.plan.actions[0].target, "lnk1");
        assert_eq!(p.plan.actions[0].details, ["l targets n, status AVAILABLE"]);
    }

    #[test]
    fn a_link_on_its_way_is_reused_and_awaited() {
        for status in ["PENDING", "FAILED"] {
            let s = seen(Some(("lnk1", status)), "active");
            let p = plan(&s, "l").unwrap();
            assert_eq!(p.steps, [Step::AwaitAvailable(s.link.clone().unwrap())]);
            assert_eq!(p.plan.actions[0].verb, Verb::Reuse);
            assert_eq!(p.plan.actions[0].details[1], "waits until it is AVAILABLE");
        }
    }

    #[test]
    fn a_load_balancer_that_is_not_active_is_a_warning() {
        let p = plan(&seen(None, "provisioning"), "l").unwrap();
        assert_eq!(
            p.plan.warnings,
            ["n is provisioning: a link created before its load balancer is active fails"]
        );
        assert!(plan(&seen(None, ""), "l").unwrap().plan.warnings.is_empty());
    }

    #[test]
    fn a_link_to_more_than_the_load_balancer_differs() {
        let s = seen(Some(("lnk1", "AVAILABLE")), "active");
        let mut link = s.link.clone().unwrap();
        assert!(differences(&link, &s.nlb).is_empty());
        link.target_arns.push("arn:other".into());
        assert_eq!(
            differences(&link, &s.nlb),
            [format!("VPC link lnk1 targets {NLB}, arn:other, not {NLB}")]
        );
    }

    #[test]
    fn finds_the_live_link_to_the_load_balancer() {
        let link = |id: &str, target: &str, status: &str| VpcLink {
            id: id.into(),
            name: id.into(),
            target_arns: vec![target.into()],
            version: crate::model::LinkVersion::V1,
            subnet_ids: vec![],
            security_group_ids: vec![],
            status: status.into(),
            status_message: None,
            tags: std::collections::BTreeMap::new(),
        };
        let links = [
            link("other", "arn:nlb/b", "AVAILABLE"),
            link("gone", "arn:nlb/a", "DELETING"),
            link("mine", "arn:nlb/a", "PENDING"),
        ];
        assert_eq!(
            link_for(&links, "arn:nlb/a").map(|l| l.id.as_str()),
            Some("mine")
        );
        assert!(link_for(&links[..2], "arn:nlb/a").is_none());
        assert!(link_for(&links, "arn:nlb/c").is_none());
    }
}
