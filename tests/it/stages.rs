//! Which stages a policy write redeploys, and what a redeploy publishes
//! besides the policy. moto 5.2.5's GetExport ignores the stage and answers
//! with the draft (Swagger 2, no integrations), so it cannot show a stage
//! whose deployment lags the draft: these tests answer each stage's GetExport
//! through the proxy as AWS does (OpenAPI 3 with API Gateway's extensions,
//! slashes escaped), with the methods that stage's deployment serves.

use crate::common::proxy::{Canned, Proxy};
use crate::common::{json, moto_url, seed, Run};
use crate::grant::{producer, standard_policy, Producer, X, Y};

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Runtime::new().expect("runtime")
}

const ORDERS_URI: &str = "https://orders.example.com/";

/// A producer whose private API (GET /hello, admitting Y) is deployed to
/// `prod` and `dev`, and whose draft then gained POST /orders: the canned
/// exports say `prod` was redeployed since, `dev` was not.
pub(crate) fn two_stages() -> Producer {
    let p = producer(Some(&standard_policy(&[Y])));
    rt().block_on(async {
        let cfg = seed::account_config(&p.account).await;
        let apigw = aws_sdk_apigateway::Client::new(&cfg);
        apigw
            .create_deployment()
            .rest_api_id(&p.api_id)
            .stage_name("dev")
            .send()
            .await
            .expect("CreateDeployment dev");
        let root = apigw
            .get_resources()
            .rest_api_id(&p.api_id)
            .send()
            .await
            .unwrap()
            .items
            .unwrap()
            .into_iter()
            .find(|r| r.path.as_deref() == Some("/"))
            .unwrap()
            .id
            .unwrap();
        let orders = apigw
            .create_resource()
            .rest_api_id(&p.api_id)
            .parent_id(root)
            .path_part("orders")
            .send()
            .await
            .unwrap()
            .id
            .unwrap();
        apigw
            .put_method()
            .rest_api_id(&p.api_id)
            .resource_id(&orders)
            .http_method("POST")
            .authorization_type("NONE")
            .send()
            .await
            .unwrap();
        apigw
            .put_integration()
            .rest_api_id(&p.api_id)
            .resource_id(&orders)
            .http_method("POST")
            .r#type(aws_sdk_apigateway::types::IntegrationType::HttpProxy)
            .integration_http_method("POST")
            .uri(ORDERS_URI)
            .send()
            .await
            .unwrap();
    });
    p
}

/// A stage's export as AWS answers GetExport (oas30, extensions=apigateway).
fn aws_export(p: &Producer, with_orders: bool) -> String {
    let mut paths = serde_json::json!({
        "/hello": {"get": {
            "responses": {},
            "x-amazon-apigateway-integration": {
                "type": "mock", "passthroughBehavior": "when_no_match",
                "requestTemplates": {"application/json": "{\"statusCode\": 200}"}
            }
        }}
    });
    if with_orders {
        paths["/orders"] = serde_json::json!({"post": {
            "responses": {},
            "x-amazon-apigateway-integration": {
                "type": "http_proxy", "httpMethod": "POST", "uri": ORDERS_URI,
                "passthroughBehavior": "when_no_match"
            }
        }});
    }
    serde_json::json!({
        "openapi": "3.0.1",
        "info": {"title": "orders-private", "version": "2026-12-04T07:00:00Z"},
        "servers": [{"url": format!("https://{}.execute-api.us-east-1.amazonaws.com/{{basePath}}", p.api_id)}],
        "paths": paths,
        "components": {},
        "x-amazon-apigateway-policy": serde_json::from_str::<serde_json::Value>(&standard_policy(&[Y])).unwrap()
    })
    .to_string()
    .replace('/', "\\/")
}

/// A proxy answering `prod`'s export as up to date with the draft and `dev`'s as lagging.
pub(crate) fn exporting(p: &Producer) -> Proxy {
    let proxy = Proxy::start(&moto_url());
    let answers =
        [("prod", aws_export(p, true)), ("dev", aws_export(p, false))].map(|(stage, body)| {
            (
                format!("/restapis/{}/stages/{stage}/exports/oas30", p.api_id),
                body,
            )
        });
    proxy.respond_with(move |r| {
        answers.iter().find_map(|(path, body)| {
            (r.method == "GET" && r.path.contains(path.as_str()))
                .then(|| Canned::json(200, body.clone()))
        })
    });
    proxy
}

/// Another endpoint to grant, once X is admitted.
const Z: &str = "vpce-0123456789abcdef2";

fn grant(p: &Producer, proxy: &Proxy, vpce: &str, extra: &[&str]) -> Run {
    let mut args = vec!["grant-vpce", "--api-id", &p.api_id, "--vpce", vpce];
    args.extend(extra);
    if !extra.contains(&"--output") {
        args.extend(["--output", "json"]);
    }
    p.xapi(&proxy.url).run(&args)
}

fn deployed_stages(proxy: &Proxy) -> Vec<String> {
    proxy
        .requests()
        .into_iter()
        .filter(|r| r.method == "POST" && r.path.ends_with("/deployments"))
        .map(|r| {
            let body: serde_json::Value = serde_json::from_str(&r.body).unwrap();
            body["stageName"].as_str().unwrap().to_owned()
        })
        .collect()
}

#[test]
fn a_grant_that_would_publish_other_draft_changes_needs_yes_off_a_terminal() {
    let p = two_stages();
    let proxy = exporting(&p);

    let refused = grant(&p, &proxy, X, &[]).refused_naming("stage dev");
    let err = refused.stderr();
    assert!(err.contains("--yes") && err.contains("--stage"), "{err}");
    assert!(err.contains("nothing was changed"), "{err}");
    // The plan on stderr names what dev would publish; prod publishes only the policy.
    assert!(err.contains("new method POST /orders"), "{err}");
    assert!(
        err.contains("redeploying stage dev of") && !err.contains("redeploying stage prod of"),
        "{err}"
    );
    assert_eq!(
        proxy.mutating(),
        Vec::<String>::new(),
        "nothing was changed"
    );

    // Limited to prod, nothing else is published: no --yes needed.
    proxy.clear();
    let only_prod: json::Grant = grant(&p, &proxy, X, &["--stage", "prod"]).ok().parse();
    assert_eq!(deployed_stages(&proxy), ["prod"]);
    let stages: Vec<&str> = only_prod.stages.iter().map(|s| s.stage.as_str()).collect();
    assert_eq!(stages, ["prod"]);

    // With --yes every stage is redeployed, publishing dev's draft changes.
    proxy.clear();
    let all: json::Grant = grant(&p, &proxy, Z, &["--yes"]).ok().parse();
    assert_eq!(deployed_stages(&proxy), ["dev", "prod"]);
    assert_eq!(all.stages.len(), 2, "{:?}", all.stages);
}

#[test]
fn a_stage_whose_export_cannot_be_read_is_not_taken_for_the_draft() {
    let p = two_stages();
    let proxy = exporting(&p);
    let dev_export = format!("/restapis/{}/stages/dev/exports", p.api_id);
    proxy.fail_when(move |r| r.path.contains(&dev_export));

    let err = grant(&p, &proxy, X, &["--dry-run", "--output", "table"])
        .ok()
        .stdout();
    assert!(
        err.contains("could not compare its deployment with the draft")
            && err.contains("InjectedFault"),
        "{err}"
    );
    grant(&p, &proxy, X, &[]).refused_naming("stage dev");
    assert_eq!(proxy.mutating(), Vec::<String>::new());
    grant(&p, &proxy, X, &["--yes"]).ok();
    assert!(deployed_stages(&proxy).contains(&"dev".to_owned()));
}

/// Someone adds a method to the draft after the plan, while xapi writes the
/// policy: the redeploy would publish it unseen, so xapi deploys nothing and
/// exits 4 saying what was written; a re-run plans again and finishes. (No
/// canned answer here: moto's export is the draft, so the plan sees none.)
#[test]
fn a_draft_changed_after_the_plan_is_not_published_unseen() {
    let p = std::sync::Arc::new(producer(Some(&standard_policy(&[Y]))));
    let proxy = Proxy::start(&moto_url());
    let (late, done) = (p.clone(), std::sync::atomic::AtomicBool::new(false));
    proxy.respond_with(move |r| {
        if r.method == "PATCH" && !done.swap(true, std::sync::atomic::Ordering::SeqCst) {
            let (account, api) = (late.account.clone(), late.api_id.clone());
            // On a thread of its own: the proxy calls this from inside its runtime.
            std::thread::spawn(move || rt().block_on(add_method(&account, &api, "late")))
                .join()
                .unwrap();
        }
        None
    });
    let run = grant(&p, &proxy, X, &[]).expect_code(4);
    let err = run.stderr();
    assert!(
        err.contains("changed after the plan (new method DELETE /late)")
            && err.contains("no stage was redeployed")
            && err.contains("NOT live on stage prod"),
        "{err}"
    );
    assert_eq!(deployed_stages(&proxy), Vec::<String>::new());

    proxy.clear();
    let again: json::Grant = grant(&p, &proxy, X, &[]).ok().parse();
    assert_eq!(deployed_stages(&proxy), ["prod"], "{again:?}");
}

async fn add_method(account: &str, api_id: &str, path: &str) {
    let apigw = aws_sdk_apigateway::Client::new(&seed::account_config(account).await);
    let root = apigw
        .get_resources()
        .rest_api_id(api_id)
        .send()
        .await
        .unwrap()
        .items
        .unwrap()
        .into_iter()
        .find(|r| r.path.as_deref() == Some("/"))
        .unwrap()
        .id
        .unwrap();
    let id = apigw
        .create_resource()
        .rest_api_id(api_id)
        .parent_id(root)
        .path_part(path)
        .send()
        .await
        .unwrap()
        .id
        .unwrap();
    apigw
        .put_method()
        .rest_api_id(api_id)
        .resource_id(&id)
        .http_method("DELETE")
        .authorization_type("NONE")
        .send()
        .await
        .unwrap();
    apigw
        .put_integration()
        .rest_api_id(api_id)
        .resource_id(&id)
        .http_method("DELETE")
        .r#type(aws_sdk_apigateway::types::IntegrationType::Mock)
        .send()
        .await
        .unwrap();
}

/// `wire-regional-front` grants through the same writer: when the producer's
/// stage lags the draft (its export, canned as AWS answers it, lacks GET
/// /hello), it refuses before building anything of the front, unless `--yes`.
#[test]
fn wire_regional_front_asks_before_building_the_front() {
    let c = crate::front::chain(62);
    let proxy = Proxy::start(&moto_url());
    let export = format!("/restapis/{}/stages/prod/exports/oas30", c.api_id);
    proxy.respond_with(move |r| {
        (r.method == "GET" && r.path.contains(&export)).then(|| {
            Canned::json(
                200,
                r#"{"openapi":"3.0.1","info":{"title":"orders-private","version":"1"},"paths":{}}"#
                    .into(),
            )
        })
    });
    let refused = c
        .wire_as(&proxy.url, "json", &[])
        .refused_naming("stage prod");
    assert!(
        refused.stderr().contains("new method GET /hello"),
        "{}",
        refused.stderr()
    );
    assert_eq!(proxy.mutating(), Vec::<String>::new(), "nothing built");
    c.wire_as(&proxy.url, "json", &["--yes"]).ok();
    assert_eq!(
        deployed_stages(&proxy).len(),
        2,
        "the front's stage and prod"
    );
}

/// A private API that stores no policy while `prod` still serves the one it
/// was deployed with: its export (canned as AWS answers it) carries `served`.
fn policy_deleted_but_served(served: &str) -> (Producer, Proxy) {
    let p = producer(None);
    let proxy = Proxy::start(&moto_url());
    let export = format!("/restapis/{}/stages/prod/exports/oas30", p.api_id);
    let body = serde_json::json!({
        "openapi": "3.0.1",
        "info": {"title": "orders-private", "version": "2026-12-04T07:00:00Z"},
        "paths": {"/hello": {"get": {"responses": {}}}},
        "x-amazon-apigateway-policy": serde_json::from_str::<serde_json::Value>(served).unwrap()
    })
    .to_string()
    .replace('/', "\\/");
    proxy.respond_with(move |r| {
        (r.method == "GET" && r.path.contains(&export)).then(|| Canned::json(200, body.clone()))
    });
    (p, proxy)
}

#[test]
fn a_revoke_is_not_done_while_a_stage_serves_a_deleted_policy_that_admits_the_endpoint() {
    let (p, proxy) = policy_deleted_but_served(&standard_policy(&[X, Y]));
    let revoke = |extra: &[&str]| {
        let mut args = vec!["revoke-vpce", "--api-id", &p.api_id, "--vpce", X];
        args.extend(extra);
        p.xapi(&proxy.url).run(&args)
    };

    let run = revoke(&["--output", "json"]).expect_code(5);
    let doc = run.json();
    assert_eq!(
        doc["still_served"],
        serde_json::json!([{"stage": "prod", "vpce": X, "approximated": false}]),
        "{doc:#}"
    );
    assert_eq!(doc["changed"], false);
    let table = revoke(&["--output", "table", "--color", "never"])
        .expect_code(5)
        .stdout();
    assert!(
        table.contains(&format!("{X} is still admitted on stage prod"))
            && table.contains(&format!("xapi policy restore --api-id {}", p.api_id)),
        "{table}"
    );
    assert_eq!(proxy.mutating(), Vec::<String>::new(), "nothing is written");
    assert_eq!(p.raw_policy(), None);
}

#[test]
fn a_revoke_of_what_a_deleted_policy_never_admitted_is_done_without_a_guess() {
    let (p, proxy) = policy_deleted_but_served(&standard_policy(&[Y]));
    let run = p
        .xapi(&proxy.url)
        .run([
            "revoke-vpce",
            "--api-id",
            &p.api_id,
            "--vpce",
            X,
            "--output",
            "json",
        ])
        .ok();
    let doc = run.json();
    assert_eq!(doc["still_served"], serde_json::json!([]), "{doc:#}");
    assert!(
        !doc["warnings"].to_string().contains("may admit"),
        "the served policy was read, so nothing is guessed: {doc:#}"
    );
    assert_eq!(proxy.mutating(), Vec::<String>::new());
}
