//! What redeploying a stage publishes besides the policy: a deployment
//! snapshots the whole draft (methods, integrations, ...), so a redeploy made
//! for a policy change also ships every draft change not yet deployed there.
//! Pure: compares the methods a stage's export says it serves with the draft's.

use crate::model::{ApiShape, MethodShape};

/// How a stage's deployment compares with the draft, the policy aside.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Drift {
    /// The same methods, authorization and integrations: a redeploy publishes
    /// only the policy (as far as xapi compares; see README, "Writes").
    Same,
    /// What a redeploy would also publish, one entry per method.
    Publishes(Vec<String>),
    /// The deployment could not be compared with the draft, and why.
    Unknown(String),
}

impl Drift {
    /// Redeploying the stage may publish more than the policy.
    pub fn needs_consent(&self) -> bool {
        !matches!(self, Drift::Same)
    }

    /// The plan's line about what a redeploy of the stage publishes.
    pub fn describe(&self) -> String {
        match self {
            Drift::Same => {
                "its deployment matches the draft apart from the policy: only the policy is published"
                    .into()
            }
            Drift::Publishes(changes) => format!(
                "its deployment differs from the draft: redeploying also publishes {}",
                changes.join(", ")
            ),
            Drift::Unknown(why) => format!(
                "could not compare its deployment with the draft ({why}): redeploying may publish other changes"
            ),
        }
    }
}

/// The draft changes a redeploy would publish, method by method, sorted.
/// A deployed method whose integration the export does not describe is
/// compared without it.
pub fn compare(deployed: &ApiShape, draft: &ApiShape) -> Drift {
    let mut changes = Vec::new();
    for (key, now) in draft {
        match deployed.get(key) {
            None => changes.push(format!("new method {key}")),
            Some(was) => {
                let what = differences(was, now);
                if !what.is_empty() {
                    changes.push(format!("{key} ({})", what.join(", ")));
                }
            }
        }
    }
    changes.extend(
        deployed
            .keys()
            .filter(|k| !draft.contains_key(*k))
            .map(|k| format!("removal of {k}")),
    );
    if changes.is_empty() {
        Drift::Same
    } else {
        Drift::Publishes(changes)
    }
}

fn differences(was: &MethodShape, now: &MethodShape) -> Vec<String> {
    let mut out = Vec::new();
    if was.authorization != now.authorization {
        out.push(format!(
            "authorization {} -> {}",
            was.authorization, now.authorization
        ));
    }
    if was.api_key_required != now.api_key_required {
        out.push(format!(
            "API key {}",
            if now.api_key_required {
                "required"
            } else {
                "no longer required"
            }
        ));
    }
    if let Some(was_i) = &was.integration {
        match &now.integration {
            None => out.push("integration removed".into()),
            Some(now_i) => {
                let fields = [
                    ("type", Some(&was_i.kind), Some(&now_i.kind)),
                    (
                        "HTTP method",
                        was_i.http_method.as_ref(),
                        now_i.http_method.as_ref(),
                    ),
                    ("URI", was_i.uri.as_ref(), now_i.uri.as_ref()),
                    (
                        "connection",
                        Some(&was_i.connection_type),
                        Some(&now_i.connection_type),
                    ),
                    (
                        "VPC link",
                        was_i.connection_id.as_ref(),
                        now_i.connection_id.as_ref(),
                    ),
                ];
                for (name, a, b) in fields {
                    if a != b {
                        out.push(format!(
                            "integration {name} {} -> {}",
                            a.map(String::as_str).unwrap_or("none"),
                            b.map(String::as_str).unwrap_or("none")
                        ));
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ExportedStage, IntegrationShape};

    fn method(auth: &str, uri: &str) -> MethodShape {
        MethodShape {
            authorization: auth.into(),
            api_key_required: false,
            integration: Some(IntegrationShape {
                kind: "HTTP_PROXY".into(),
                http_method: Some("GET".into()),
                uri: Some(uri.into()),
                connection_type: "INTERNET".into(),
                connection_id: None,
            }),
        }
    }

    fn shape(methods: &[(&str, MethodShape)]) -> ApiShape {
        methods
            .iter()
            .map(|(k, m)| (k.to_string(), m.clone()))
            .collect()
    }

    #[test]
    fn the_same_methods_publish_nothing_else() {
        let a = shape(&[("GET /a", method("NONE", "https://a"))]);
        assert_eq!(compare(&a, &a), Drift::Same);
        assert!(!compare(&a, &a).needs_consent());
    }

    #[test]
    fn every_kind_of_difference_is_named() {
        let deployed = shape(&[
            ("GET /a", method("NONE", "https://a")),
            ("GET /gone", method("NONE", "https://g")),
            ("GET /iam", method("NONE", "https://i")),
        ]);
        let draft = shape(&[
            ("GET /a", method("NONE", "https://b")),
            ("GET /iam", method("AWS_IAM", "https://i")),
            ("POST /new", method("NONE", "https://n")),
        ]);
        let Drift::Publishes(changes) = compare(&deployed, &draft) else {
            panic!()
        };
        assert_eq!(
            changes,
            [
                "GET /a (integration URI https://a -> https://b)",
                "GET /iam (authorization NONE -> AWS_IAM)",
                "new method POST /new",
                "removal of GET /gone",
            ]
        );
    }

    #[test]
    fn an_undescribed_deployed_integration_is_not_compared() {
        let mut deployed = method("NONE", "https://a");
        deployed.integration = None;
        let draft = method("NONE", "https://b");
        assert_eq!(
            compare(
                &shape(&[("GET /a", deployed)]),
                &shape(&[("GET /a", draft)])
            ),
            Drift::Same
        );
    }

    /// The shape AWS exports (OpenAPI 3 with extensions): lower-case methods,
    /// `x-amazon-apigateway-any-method`, lower-case integration types, and
    /// authorization as security requirements.
    #[test]
    fn an_aws_export_reads_as_the_draft_it_was_deployed_from() {
        let export = serde_json::json!({
            "openapi": "3.0.1",
            "paths": {
                "/": {"get": {"x-amazon-apigateway-integration": {"type": "mock"}}},
                "/{proxy+}": {
                    "parameters": [],
                    "x-amazon-apigateway-any-method": {
                        "security": [{"sigv4": []}, {"api_key": []}],
                        "x-amazon-apigateway-integration": {
                            "type": "http_proxy", "httpMethod": "ANY", "uri": "https://b/{proxy}",
                            "connectionType": "VPC_LINK", "connectionId": "abc123"
                        }
                    }
                }
            },
            "components": {"securitySchemes": {
                "sigv4": {"type": "apiKey", "name": "Authorization", "in": "header", "x-amazon-apigateway-authtype": "awsSigv4"},
                "api_key": {"type": "apiKey", "name": "x-api-key", "in": "header"}
            }},
            "x-amazon-apigateway-policy": {"Version": "2012-10-17", "Statement": []}
        });
        let e = ExportedStage::from_json(&export);
        assert!(e.policy.unwrap().contains("2012-10-17"));
        let mut draft = shape(&[("GET /", method("NONE", "x"))]);
        draft.get_mut("GET /").unwrap().integration = Some(IntegrationShape {
            kind: "MOCK".into(),
            http_method: None,
            uri: None,
            connection_type: "INTERNET".into(),
            connection_id: None,
        });
        draft.insert(
            "ANY /{proxy+}".into(),
            MethodShape {
                authorization: "AWS_IAM".into(),
                api_key_required: true,
                integration: Some(IntegrationShape {
                    kind: "HTTP_PROXY".into(),
                    http_method: Some("ANY".into()),
                    uri: Some("https://b/{proxy}".into()),
                    connection_type: "VPC_LINK".into(),
                    connection_id: Some("abc123".into()),
                }),
            },
        );
        assert_eq!(compare(&e.methods.unwrap(), &draft), Drift::Same);
    }

    #[test]
    fn an_unknown_security_scheme_cannot_be_compared() {
        let export = serde_json::json!({"paths": {"/a": {"get": {"security": [{"mine": []}]}}}});
        let err = ExportedStage::from_json(&export).methods.unwrap_err();
        assert!(err.contains("GET /a") && err.contains("'mine'"), "{err}");
    }
}
