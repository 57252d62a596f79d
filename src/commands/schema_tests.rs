//! The JSON contract: `docs/schema/<report>.json` is the JSON Schema of what
//! `--output json` prints, generated from the very types that print it, so
//! the documents and the schema cannot drift apart. A change to a report
//! shows here as a changed schema file to review (and, when a field changes
//! meaning, a new `schema_version`).
//! `XAPI_BLESS_SCHEMA=1 cargo test --lib json_schema` rewrites the files.

use std::path::Path;

use crate::output::json_schema;

/// Each document with the commands that print it.
fn schemas() -> Vec<(&'static str, &'static str, serde_json::Value)> {
    use super::*;
    vec![
        (
            "AccessReport",
            "grant-vpce, revoke-vpce",
            json_schema::<crate::access::AccessReport>(),
        ),
        (
            "DomainAccessReport",
            "grant-vpce --domain, revoke-vpce --domain",
            json_schema::<crate::access::DomainAccessReport>(),
        ),
        (
            "AuditReport",
            "audit",
            json_schema::<crate::audit::Report>(),
        ),
        (
            "DoctorReport",
            "doctor",
            json_schema::<doctor::DoctorReport>(),
        ),
        (
            "DomainReport",
            "domain create",
            json_schema::<domain::DomainReport>(),
        ),
        (
            "DomainShow",
            "domain show",
            json_schema::<domain::show::DomainShow>(),
        ),
        (
            "ShareReport",
            "domain share, domain unshare",
            json_schema::<domain::share::ShareReport>(),
        ),
        (
            "AssociateReport",
            "domain associate",
            json_schema::<domain::associate::AssociateReport>(),
        ),
        (
            "EndpointCreateReport",
            "endpoint create",
            json_schema::<endpoint::create::CreateReport>(),
        ),
        (
            "EndpointList",
            "endpoint list",
            json_schema::<endpoint::list::EndpointList>(),
        ),
        (
            "EndpointDetail",
            "endpoint show",
            json_schema::<endpoint::show::EndpointDetail>(),
        ),
        (
            "MtlsAcceptReport",
            "mtls accept",
            json_schema::<mtls::accept::AcceptReport>(),
        ),
        (
            "MtlsAllowReport",
            "mtls allow",
            json_schema::<mtls::allow::AllowReport>(),
        ),
        (
            "MtlsCertsReport",
            "mtls certs",
            json_schema::<mtls::certs::CertsReport>(),
        ),
        (
            "MtlsRefreshReport",
            "mtls certs --refresh-chain-crl",
            json_schema::<mtls::certs::RefreshReport>(),
        ),
        (
            "MtlsDeployReport",
            "mtls deploy",
            json_schema::<mtls::deploy::DeployReport>(),
        ),
        (
            "MtlsRenderReport",
            "mtls render",
            json_schema::<mtls::render::RenderReport>(),
        ),
        (
            "MtlsRevokeClientReport",
            "mtls revoke-client",
            json_schema::<mtls::revoke_client::RevokeClientReport>(),
        ),
        (
            "MtlsShowReport",
            "mtls show",
            json_schema::<mtls::show::ShowReport>(),
        ),
        (
            "PolicyShow",
            "policy show",
            json_schema::<policy::PolicyShow>(),
        ),
        (
            "PolicyRestoreReport",
            "policy restore",
            json_schema::<policy::RestoreReport>(),
        ),
        (
            "TargetsSyncReport",
            "targets sync",
            json_schema::<targets::SyncReport>(),
        ),
        (
            "TeardownReport",
            "teardown",
            json_schema::<teardown::TeardownReport>(),
        ),
        (
            "VpcLinkReport",
            "vpc-link create",
            json_schema::<vpc_link::LinkReport>(),
        ),
        (
            "VpcLinkList",
            "vpc-link list",
            json_schema::<vpc_link::LinkList>(),
        ),
        ("Whoami", "whoami", json_schema::<whoami::Whoami>()),
        (
            "WireReport",
            "wire-regional-front",
            json_schema::<wire_regional_front::WireReport>(),
        ),
        // The evidence files `--snapshot-out` writes (and `--snapshot-in` reads).
        (
            "DoctorSnapshot",
            "doctor --snapshot-out",
            schemars::schema_for!(crate::doctor::Snapshot).to_value(),
        ),
        (
            "AuditSnapshot",
            "audit --snapshot-out",
            schemars::schema_for!(crate::audit::Scan).to_value(),
        ),
    ]
}

#[test]
fn json_schema_files_match_the_report_types() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/schema");
    let bless = std::env::var_os("XAPI_BLESS_SCHEMA").is_some();
    let mut index = String::from(
        "# JSON output schemas\n\nGenerated from the report types by `XAPI_BLESS_SCHEMA=1 cargo test --lib json_schema`; a test fails when they differ.\nEvery document carries `schema_version`; it changes only when a field changes meaning.\n\n| Schema | Printed by |\n|---|---|\n",
    );
    let mut stale = Vec::new();
    for (name, commands, schema) in schemas() {
        index.push_str(&format!(
            "| [{name}]({name}.json) | `xapi {}` |\n",
            commands.replace(", ", "`, `xapi ")
        ));
        let want = serde_json::to_string_pretty(&schema).unwrap() + "\n";
        let path = dir.join(format!("{name}.json"));
        if std::fs::read_to_string(&path).ok().as_deref() != Some(want.as_str()) {
            stale.push(name);
            if bless {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&path, &want).unwrap();
            }
        }
    }
    let index_path = dir.join("README.md");
    if std::fs::read_to_string(&index_path).ok().as_deref() != Some(index.as_str()) {
        stale.push("README");
        if bless {
            std::fs::write(&index_path, &index).unwrap();
        }
    }
    assert!(
        bless || stale.is_empty(),
        "docs/schema is stale for {stale:?}: review the change and run XAPI_BLESS_SCHEMA=1 cargo test --lib json_schema"
    );
}

#[test]
fn every_schema_requires_the_version_and_says_what_the_run_did() {
    for (name, _, schema) in schemas() {
        let required: Vec<&str> = schema["required"]
            .as_array()
            .unwrap_or_else(|| panic!("{name}: no required fields"))
            .iter()
            .filter_map(|v| v.as_str())
            .collect();
        assert!(required.contains(&"schema_version"), "{name}: {required:?}");
        let mutating = schema["properties"].get("dry_run").is_some();
        if mutating {
            for field in ["outcome", "dry_run", "changed", "plan"] {
                assert!(
                    required.contains(&field),
                    "{name} lacks {field}: {required:?}"
                );
            }
        }
    }
}
