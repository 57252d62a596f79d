//! `xapi mtls show`: the stack as consumers and operators see it: the
//! endpoint service and who may connect, the NLB's target health, and how
//! many proxy tasks run.

use serde::Serialize;

use crate::cli::MtlsShowArgs;
use crate::context::Context;
use crate::error::{exit, Result};
use crate::infra;
use crate::model::{TargetHealth, STACK_TAG};
use crate::mtls::{crl_coverage, read_crls, CrlCoverage, CrlInfo, CrlState};
use crate::output::{self, Report, Style};
use crate::stack::{the_endpoint_service, StackNames};

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct EndpointServiceView {
    pub id: String,
    pub service_name: String,
    pub state: String,
    pub acceptance_required: bool,
    pub load_balancer_arns: Vec<String>,
    pub allowed_principals: Vec<String>,
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct TasksView {
    pub cluster: String,
    pub service: String,
    pub status: String,
    pub desired: i32,
    pub running: i32,
    pub pending: i32,
    pub task_definition: String,
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct ShowReport {
    pub name: String,
    pub endpoint_service: EndpointServiceView,
    pub load_balancer: Option<String>,
    pub target_group: Option<String>,
    pub targets: Vec<TargetHealth>,
    /// `None` when the ECS service is missing.
    pub tasks: Option<TasksView>,
    /// The CRLs the deployed proxy enforces (from the stack's secret).
    pub revocation: RevocationView,
}

#[derive(Debug, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct RevocationView {
    pub secret: String,
    /// Empty when the secret has no CRL (deployed by an older xapi) or could not be read.
    pub crls: Vec<CrlInfo>,
    /// Why `crls` is empty, when it is.
    pub problem: Option<String>,
    /// Every CA of the deployed `ca.pem` and the state of its CRL; NGINX
    /// refuses every client once one is `missing` or `lapsed` (the command
    /// then exits 1), and `expiring` says that comes within 14 days.
    pub coverage: Vec<CrlCoverage>,
}

impl RevocationView {
    /// The proxy refuses every client (a CRL of its chain is missing or
    /// lapsed), or nobody can tell whether it does: the CRL or the client CA
    /// is missing, unreadable or does not parse.
    fn failing(&self) -> bool {
        self.problem.is_some()
            || self
                .coverage
                .iter()
                .any(|c| matches!(c.state, CrlState::Lapsed | CrlState::Missing))
    }
}

impl Report for ShowReport {
    fn table(&self, style: &Style) -> String {
        let es = &self.endpoint_service;
        let mut out = format!(
            "stack {}\nendpoint service {} ({})\n  state {}, acceptance {}\n",
            self.name,
            es.service_name,
            es.id,
            es.state,
            if es.acceptance_required {
                "required"
            } else {
                "NOT required"
            }
        );
        if es.allowed_principals.is_empty() {
            out.push_str("  allowed principals: none\n");
        } else {
            out.push_str(&format!(
                "  allowed principals: {}\n",
                es.allowed_principals.join(", ")
            ));
        }
        match &self.tasks {
            Some(t) => out.push_str(&format!(
                "ECS service {} ({}): {} running of {} desired, {} pending\n",
                t.service, t.status, t.running, t.desired, t.pending
            )),
            None => out.push_str("ECS service: missing\n"),
        }
        if self.targets.is_empty() {
            out.push_str("NLB targets: none registered\n");
        } else {
            let mut t = style.table(&["TARGET", "PORT", "HEALTH", "REASON"]);
            for h in &self.targets {
                t.add_row(vec![
                    comfy_table::Cell::new(&h.target.ip),
                    comfy_table::Cell::new(h.target.port),
                    style.status_cell(&h.state, h.state == "healthy"),
                    comfy_table::Cell::new(h.reason.as_deref().unwrap_or("")),
                ]);
            }
            out.push_str(&format!("{t}\n"));
        }
        let r = &self.revocation;
        match &r.problem {
            Some(p) => out.push_str(&format!("revocation ({}): {p}\n", r.secret)),
            None => {
                out.push_str(&format!(
                    "revocation ({}): NGINX refuses every client once a CRL's next update \
                     has passed; re-issue and deploy before then\n",
                    r.secret
                ));
                out.push_str(&super::crl_table(style, &r.crls));
            }
        }
        for c in r.coverage.iter().filter(|c| c.state != CrlState::Current) {
            let mark = if c.state == CrlState::Expiring {
                style.warning_line(&c.describe())
            } else {
                format!(
                    "{} {}\n",
                    style.paint("FAIL:", comfy_table::Color::Red),
                    c.describe()
                )
            };
            out.push_str(&mark);
            out.push_str(&format!("  fix: {}\n", c.fix("DIR")));
        }
        out
    }
}

async fn revocation(aws: &crate::aws::Aws, secret: &str) -> RevocationView {
    let field = |file: &str| {
        crate::mtls::SECRET_FIELDS
            .iter()
            .find(|f| f.file == file)
            .map_or("", |f| f.json_key)
    };
    let mut coverage = Vec::new();
    let (crls, problem) = match aws
        .secret_json_field(secret, field(crate::mtls::CRL_FILE))
        .await
    {
        Ok(Some(pem)) => match read_crls(&pem) {
            Ok(crls) => {
                let ca = aws
                    .secret_json_field(secret, field(crate::mtls::CA_CERT_FILE))
                    .await;
                match ca {
                    Ok(Some(ca)) => {
                        match crl_coverage(&ca, &pem, time::OffsetDateTime::now_utc()) {
                            Ok(c) => {
                                coverage = c;
                                (crls, None)
                            }
                            Err(e) => (
                                crls,
                                Some(format!("the deployed client CA does not parse: {e}")),
                            ),
                        }
                    }
                    Ok(None) => (crls, Some("the secret holds no client CA".to_owned())),
                    Err(e) => (crls, Some(format!("cannot read its client CA: {e}"))),
                }
            }
            Err(e) => (
                Vec::new(),
                Some(format!("the deployed CRL does not parse: {e}")),
            ),
        },
        Ok(None) => (
            Vec::new(),
            Some(
                "no CRL deployed: run `xapi mtls certs` (it writes crl.pem) and \
                 `xapi mtls deploy --certs DIR`"
                    .to_owned(),
            ),
        ),
        Err(e) => (Vec::new(), Some(format!("cannot read it: {e}"))),
    };
    RevocationView {
        secret: secret.to_owned(),
        crls,
        problem,
        coverage,
    }
}

pub async fn run(ctx: &Context, args: &MtlsShowArgs) -> Result<u8> {
    let aws = ctx.aws().await?;
    let n = StackNames::new(&args.name);
    let (services, target_group, load_balancer, service) = tokio::try_join!(
        aws.tagged_endpoint_services(STACK_TAG, &n.stack),
        infra::target_group::find(&aws, &n.target_group),
        aws.load_balancer(&n.load_balancer),
        aws.ecs_service(&n.cluster, &n.service),
    )?;
    let es = the_endpoint_service(&n.stack, services)?;
    let principals = aws.allowed_principals(&es.id).await?;
    let targets = match &target_group {
        Some(tg) => infra::target_group::health(&aws, &tg.arn).await?,
        None => Vec::new(),
    };
    let revocation = revocation(&aws, &n.secret).await;
    let report = ShowReport {
        name: n.stack.clone(),
        endpoint_service: EndpointServiceView {
            id: es.id,
            service_name: es.service_name,
            state: es.state,
            acceptance_required: es.acceptance_required,
            load_balancer_arns: es.load_balancer_arns,
            allowed_principals: principals,
        },
        load_balancer: load_balancer.map(|l| l.dns_name),
        target_group: target_group.map(|t| t.arn),
        targets,
        tasks: service.filter(|s| s.is_active()).map(|s| TasksView {
            cluster: n.cluster.clone(),
            service: s.name,
            status: s.status,
            desired: s.desired_count,
            running: s.running_count,
            pending: s.pending_count,
            task_definition: s.task_definition,
        }),
        revocation,
    };
    output::emit(ctx, &report)?;
    // Reading the stack worked, but it cannot serve anyone, or its pin cannot
    // be judged: not a success.
    Ok(if report.revocation.failing() {
        exit::CHECK_FAILED
    } else {
        exit::OK
    })
}
