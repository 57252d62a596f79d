//! `xapi audit`: scan accounts and regions concurrently into one [`Scan`],
//! judge it with the pure checks in [`crate::audit`], render. An account or
//! region that cannot be read becomes an `audit.unreadable` finding and the
//! rest of the scan goes on; an organization's account left out is listed with
//! the reason; a scan that read no account at all exits 1.

use std::future::Future;
use std::path::Path;
use std::time::Instant;

use futures::stream::{self, StreamExt};
use indicatif::{MultiProgress, ProgressBar, ProgressStyle};
use tokio::sync::Semaphore;

use crate::audit::render::{self, GraphFormat};
use crate::audit::{Report, Scan, Severity, Stats, Target, Unreadable, SNAPSHOT_VERSION};
use crate::aws::domain::DomainOwner;
use crate::aws::fleet::{Account, Fleet};
use crate::aws::Aws;
use crate::cli::{AuditArgs, FailOnArg, GlobalArgs, OutputArg};
use crate::context::{output_settings, Context, Format};
use crate::error::{exit, Error, Result};
use crate::ids::DomainArn;
use crate::model::{DomainName, DomainRecord};
use crate::output::{self, Style};
use crate::region;

/// Accounts read at once; each has its own `--max-concurrency` per region.
const ACCOUNTS_AT_ONCE: usize = 16;

impl output::Report for Report {
    fn table(&self, style: &Style) -> String {
        render::table(self, style)
    }
}

/// Checks every value a user typed before any AWS call, so bad input exits 2 having done nothing.
fn checked_graph(path: Option<&Path>) -> Result<Option<GraphFormat>> {
    let Some(path) = path else { return Ok(None) };
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    GraphFormat::from_extension(ext).map(Some).ok_or_else(|| {
        Error::BadInput(format!(
            "--graph {}: unknown graph format; name the file .dot or .gv (Graphviz), .mmd or .mermaid (Mermaid)",
            path.display()
        ))
    })
}

fn check_regions(regions: &[String]) -> Result<()> {
    for r in regions {
        if region::partition(r).is_none() {
            return Err(Error::BadInput(format!(
                "unknown region '{r}' in --regions: pass regions such as us-east-1,eu-west-1"
            )));
        }
    }
    Ok(())
}

fn threshold(arg: FailOnArg) -> Severity {
    match arg {
        FailOnArg::High => Severity::High,
        FailOnArg::Medium => Severity::Medium,
        FailOnArg::Low => Severity::Low,
    }
}

/// The snapshot holds every policy and endpoint read, and the graph says who
/// can reach what: only their owner may read either.
fn write_private(path: &Path, text: &str, what: &str) -> Result<()> {
    crate::private_file::write_private(path, text.as_bytes()).map_err(|e| Error::Io {
        what: format!("writing the {what} to {}", path.display()),
        source: e,
    })
}

/// Render, write the side files, and turn the findings into the exit code.
fn finish(
    global: &GlobalArgs,
    args: &AuditArgs,
    graph: Option<GraphFormat>,
    report: &Report,
) -> Result<u8> {
    let (format, color) = output_settings(global);
    if let (Some(format), Some(path)) = (graph, &args.graph) {
        write_private(
            path,
            &render::graph_text(format, &report.access_map),
            "access graph",
        )?;
    }
    if global.output == OutputArg::Csv {
        output::write_stdout(&render::csv(&report.findings))?;
    } else {
        output::emit_as(format, color, report)?;
    }
    // The table lists them; JSON has them in `excluded`, CSV nowhere but here.
    if format != Format::Table {
        if let Some(line) = render::excluded_line(&report.inventory.excluded) {
            output::note(&line);
        }
    }
    if let Some(why) = crate::audit::nothing_scanned(&report.inventory) {
        return Err(Error::NothingRead(why));
    }
    Ok(
        if crate::audit::fails(&report.findings, threshold(args.fail_on)) {
            exit::CHECK_FAILED
        } else {
            exit::OK
        },
    )
}

/// `--from-snapshot`: judge a saved scan with no AWS call.
pub fn from_snapshot(global: &GlobalArgs, args: &AuditArgs, path: &Path) -> Result<u8> {
    let graph = checked_graph(args.graph.as_deref())?;
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::BadInput(format!("cannot read the snapshot {}: {e}", path.display()))
    })?;
    let scan: Scan = serde_json::from_str(&text).map_err(|e| {
        Error::BadInput(format!(
            "{} is not an audit snapshot (from xapi audit --snapshot-out): {e}",
            path.display()
        ))
    })?;
    if scan.schema_version != SNAPSHOT_VERSION {
        return Err(Error::BadInput(format!(
            "{}: snapshot schema_version {} is not {SNAPSHOT_VERSION}; use the xapi that wrote it",
            path.display(),
            scan.schema_version
        )));
    }
    finish(global, args, graph, &Report::new(scan, None))
}

/// One spinner per account and region, only when progress is shown.
struct Progress(Option<MultiProgress>);

impl Progress {
    fn bar(&self, label: String) -> Option<ProgressBar> {
        let multi = self.0.as_ref()?;
        let pb = multi.add(ProgressBar::new_spinner().with_message(label));
        if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
            pb.set_style(style);
        }
        pb.enable_steady_tick(std::time::Duration::from_millis(120));
        Some(pb)
    }
}

pub async fn run(ctx: &Context, global: &GlobalArgs, args: &AuditArgs) -> Result<u8> {
    let graph = checked_graph(args.graph.as_deref())?;
    check_regions(&args.regions)?;
    let started = Instant::now();
    let fleet = Fleet::new(&*ctx.aws().await?)?;
    let partition = region::partition(&ctx.region).unwrap_or("aws");

    let role_arn = |id: &str| {
        args.role_name
            .as_ref()
            .map(|name| format!("arn:{partition}:iam::{id}:role/{name}"))
    };
    let mut excluded: Vec<String> = args
        .exclude_accounts
        .iter()
        .map(|a| a.to_string())
        .collect();
    excluded.sort();
    excluded.dedup();
    let mut left_out = Vec::new();
    let targets: Vec<(String, Option<String>)> = if args.org {
        let (ids, out) = crate::audit::org_scope(fleet.org_accounts().await?, &excluded);
        left_out = out;
        ids.into_iter()
            .map(|id| {
                let role = role_arn(&id);
                (id, role)
            })
            .collect()
    } else if !args.accounts.is_empty() {
        let mut ids: Vec<String> = args.accounts.iter().map(|a| a.to_string()).collect();
        ids.sort();
        ids.dedup();
        ids.into_iter()
            .map(|id| {
                let role = role_arn(&id);
                (id, role)
            })
            .collect()
    } else {
        vec![(fleet.own_account().await?, None)]
    };

    let regions = if args.all_regions {
        None
    } else if args.regions.is_empty() {
        Some(vec![ctx.region.clone()])
    } else {
        let mut r = args.regions.clone();
        r.sort();
        r.dedup();
        Some(r)
    };
    let progress = Progress(ctx.progress.then(MultiProgress::new));
    let fleet_ref = &fleet;
    let results: Vec<(Vec<Target>, Vec<Unreadable>)> = stream::iter(targets.iter())
        .map(|(account, role)| {
            scan_account(
                fleet_ref,
                account,
                role.as_deref(),
                regions.as_deref(),
                &ctx.region,
                args.max_concurrency,
                &progress,
            )
        })
        .buffer_unordered(ACCOUNTS_AT_ONCE)
        .collect()
        .await;

    let mut scan = Scan {
        schema_version: SNAPSHOT_VERSION,
        accounts: targets.iter().map(|(a, _)| a.clone()).collect(),
        org: args.org,
        excluded_accounts: excluded,
        excluded: left_out,
        targets: Vec::new(),
        unreadable: Vec::new(),
    };
    scan.accounts.sort();
    for (t, u) in results {
        scan.targets.extend(t);
        scan.unreadable.extend(u);
    }
    scan.targets
        .sort_by(|a, b| (&a.account, &a.region).cmp(&(&b.account, &b.region)));
    scan.unreadable.sort_by(|a, b| {
        (&a.account, &a.region, &a.resource).cmp(&(&b.account, &b.region, &b.resource))
    });

    if let Some(path) = &args.snapshot_out {
        let text = serde_json::to_string_pretty(&scan)
            .map_err(|e| Error::internal("serialising the snapshot", e))?;
        write_private(path, &(text + "\n"), "snapshot")?;
    }
    let stats = Stats {
        requests: fleet.requests(),
        seconds: started.elapsed().as_secs_f64(),
        max_concurrency: args.max_concurrency,
    };
    tracing::debug!(
        requests = stats.requests,
        seconds = stats.seconds,
        "audit scan done"
    );
    if ctx.format == Format::Table && global.output != OutputArg::Csv {
        output::note(&format!(
            "scanned in {:.1}s with {} AWS requests",
            stats.seconds, stats.requests
        ));
    }
    finish(global, args, graph, &Report::new(scan, Some(stats)))
}

/// Holds one of the account/region's permits while `f` runs.
async fn limited<T>(sem: &Semaphore, f: impl Future<Output = Result<T>>) -> Result<T> {
    let _permit = sem
        .acquire()
        .await
        .map_err(|e| Error::internal("scheduling an AWS read", e))?;
    f.await
}

async fn scan_account(
    fleet: &Fleet,
    account: &str,
    role: Option<&str>,
    regions: Option<&[String]>,
    home_region: &str,
    max_concurrency: usize,
    progress: &Progress,
) -> (Vec<Target>, Vec<Unreadable>) {
    let session = match role {
        None => fleet.own(account),
        Some(arn) => match fleet.assume(account, arn).await {
            Ok(s) => s,
            Err(e) => {
                return (
                    Vec::new(),
                    vec![Unreadable {
                        account: account.to_owned(),
                        region: None,
                        resource: arn.to_owned(),
                        error: e.to_string(),
                        needs: format!(
                            "sts:AssumeRole on {arn}, and that role a trust policy that admits the scanning identity"
                        ),
                    }],
                )
            }
        },
    };
    let regions: Vec<String> = match regions {
        Some(r) => r.to_vec(),
        None => match session.enabled_regions(home_region).await {
            Ok(r) => r,
            Err(e) => {
                return (
                    Vec::new(),
                    vec![Unreadable {
                        account: account.to_owned(),
                        region: Some(home_region.to_owned()),
                        resource: format!(
                            "arn:{}:ec2:{home_region}:{account}:regions",
                            crate::audit::partition(home_region)
                        ),
                        error: e.to_string(),
                        needs: "ec2:DescribeRegions".into(),
                    }],
                )
            }
        },
    };
    let scans = regions
        .iter()
        .map(|r| scan_region(&session, account, r, max_concurrency, progress));
    let mut targets = Vec::new();
    let mut unreadable = Vec::new();
    for (t, u) in futures::future::join_all(scans).await {
        targets.extend(t);
        unreadable.extend(u);
    }
    (targets, unreadable)
}

async fn scan_region(
    session: &Account,
    account: &str,
    region: &str,
    max_concurrency: usize,
    progress: &Progress,
) -> (Option<Target>, Vec<Unreadable>) {
    let bar = progress.bar(format!("{account} {region}: listing APIs and endpoints"));
    let aws = session.in_region(region);
    let sem = Semaphore::new(max_concurrency);
    let partition = crate::audit::partition(region);
    let unread = |resource: String, e: Error, needs: String| Unreadable {
        account: account.to_owned(),
        region: Some(region.to_owned()),
        resource,
        error: e.to_string(),
        needs,
    };
    let (apis, endpoints, (domains, domains_unread)) = tokio::join!(
        limited(&sem, aws.rest_api_records()),
        limited(&sem, aws.endpoint_records()),
        scan_domains(&aws, &sem, account, region),
    );
    let mut unreadable = domains_unread;
    let restapis = format!("arn:{partition}:apigateway:{region}::/restapis");
    let mut apis = match apis {
        Ok(a) => a,
        Err(e) => {
            unreadable.push(unread(
                restapis.clone(),
                e,
                format!("apigateway:GET on {restapis}"),
            ));
            if let Some(pb) = bar {
                pb.finish_and_clear();
            }
            // Without the API list nothing in the region can be judged.
            return (None, unreadable);
        }
    };
    let endpoints_read = endpoints.is_ok();
    let endpoints = match endpoints {
        Ok(e) => e,
        Err(e) => {
            unreadable.push(unread(
                format!("arn:{partition}:ec2:{region}:{account}:vpc-endpoint/*"),
                e,
                "ec2:DescribeVpcEndpoints".into(),
            ));
            Vec::new()
        }
    };
    if let Some(pb) = &bar {
        pb.set_message(format!("{account} {region}: reading {} APIs", apis.len()));
    }
    let details = apis.iter().enumerate().map(|(i, api)| {
        let (aws, sem) = (&aws, &sem);
        async move {
            if api.is_private() {
                let mut stages = match limited(sem, aws.stage_records(&api.id)).await {
                    Ok(s) => s,
                    Err(e) => return (i, Err(e), Vec::new()),
                };
                let exports = stages
                    .iter()
                    .enumerate()
                    .filter(|(_, st)| crate::audit::export_wanted(api, st))
                    .map(|(k, st)| {
                        let name = st.name.clone();
                        async move { (k, limited(sem, aws.stage_export(&api.id, &name)).await) }
                    })
                    .collect::<Vec<_>>();
                let mut failed = Vec::new();
                for (k, export) in futures::future::join_all(exports).await {
                    match export {
                        Ok(x) => stages[k].export = Some(x),
                        Err(e) => failed.push((stages[k].name.clone(), e)),
                    }
                }
                (i, Ok((Some(stages), None)), failed)
            } else if api.front_stack().is_some() {
                let r = limited(sem, aws.method_auths(&api.id)).await;
                (i, r.map(|m| (None, Some(m))), Vec::new())
            } else {
                (i, Ok((None, None)), Vec::new())
            }
        }
    });
    for (i, detail, failed_exports) in futures::future::join_all(details).await {
        // An unreadable export leaves that stage unjudged; the rest of the API still is.
        for (stage, e) in failed_exports {
            let arn = format!("{restapis}/{}/stages/{stage}/exports/oas30", apis[i].id);
            unreadable.push(unread(arn.clone(), e, format!("apigateway:GET on {arn}")));
        }
        match detail {
            Ok((stages, methods)) => {
                if let Some(s) = stages {
                    apis[i].stages = s;
                }
                apis[i].methods = methods;
            }
            Err(e) => {
                let arn = format!("{restapis}/{}", apis[i].id);
                unreadable.push(unread(arn.clone(), e, format!("apigateway:GET on {arn}/*")));
            }
        }
    }
    if let Some(pb) = bar {
        pb.finish_and_clear();
    }
    (
        Some(Target {
            account: account.to_owned(),
            region: region.to_owned(),
            apis,
            endpoints,
            endpoints_read,
            domains,
        }),
        unreadable,
    )
}

/// The region's private custom domains, each with its mappings, whether a
/// RAM share holds it and every association with it. The listing is one
/// request; the rest is read only when there is a private domain.
async fn scan_domains(
    aws: &Aws,
    sem: &Semaphore,
    account: &str,
    region: &str,
) -> (Vec<DomainRecord>, Vec<Unreadable>) {
    let partition = crate::audit::partition(region);
    let listing = format!("arn:{partition}:apigateway:{region}::/domainnames");
    let unread = |resource: &str, e: Error, needs: &str| Unreadable {
        account: account.to_owned(),
        region: Some(region.to_owned()),
        resource: resource.to_owned(),
        error: e.to_string(),
        needs: needs.to_owned(),
    };
    let domains = match limited(sem, aws.domain_names(DomainOwner::Mine)).await {
        Ok(all) => all,
        Err(e) => {
            return (
                Vec::new(),
                vec![unread(&listing, e, &format!("apigateway:GET on {listing}"))],
            )
        }
    };
    let private: Vec<(DomainArn, DomainName)> = domains
        .into_iter()
        .filter(|d| d.is_private())
        .filter_map(|d| Some((d.arn.parse().ok()?, d)))
        .collect();
    if private.is_empty() {
        return (Vec::new(), Vec::new());
    }
    let associations =
        format!("arn:{partition}:apigateway:{region}::/domainnameaccessassociations");
    let mappings = futures::future::join_all(
        private
            .iter()
            .map(|(arn, _)| limited(sem, aws.base_path_mappings(arn))),
    );
    let (mappings, offered, own, shared) = tokio::join!(
        mappings,
        limited(sem, aws.access_associations_offered(DomainOwner::Shared)),
        limited(sem, aws.access_associations_offered(DomainOwner::Mine)),
        limited(sem, aws.shared_resources()),
    );
    let mut unreadable = Vec::new();
    let mut all_associations = Vec::new();
    for listed in [offered, own] {
        match listed {
            Ok(a) => all_associations.extend(a.unwrap_or_default()),
            Err(e) => unreadable.push(unread(
                &associations,
                e,
                &format!("apigateway:GET on {associations}"),
            )),
        }
    }
    let shared = shared.unwrap_or_else(|e| {
        unreadable.push(unread(
            &format!("arn:{partition}:ram:{region}:{account}:resource-share/*"),
            e,
            "ram:GetResourceShareAssociations",
        ));
        Vec::new()
    });
    let records = private
        .into_iter()
        .zip(mappings)
        .map(|((arn, d), mappings)| {
            let mappings = mappings
                .map_err(|e| {
                    let at = format!("{}/basepathmappings", d.arn);
                    unreadable.push(unread(&at, e, &format!("apigateway:GET on {at}")));
                })
                .ok();
            DomainRecord {
                shared: shared.iter().any(|r| arn.is(r)),
                associations: all_associations
                    .iter()
                    .filter(|a| arn.is(&a.domain_arn))
                    .cloned()
                    .collect(),
                arn: d.arn,
                name: d.name,
                policy: d.policy,
                mappings,
            }
        })
        .collect();
    (records, unreadable)
}
