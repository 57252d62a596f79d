//! The audit for people (a table per account), for spreadsheets (CSV of the
//! findings) and as a picture of the access map (Graphviz DOT or Mermaid).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use comfy_table::Color;

use super::{Access, Excluded, Finding, Report, Severity};
use crate::output::Style;

/// The graph languages `--graph` writes, chosen by the file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GraphFormat {
    Dot,
    Mermaid,
}

impl GraphFormat {
    pub fn from_extension(ext: &str) -> Option<Self> {
        match ext.to_ascii_lowercase().as_str() {
            "dot" | "gv" => Some(GraphFormat::Dot),
            "mmd" | "mermaid" => Some(GraphFormat::Mermaid),
            _ => None,
        }
    }
}

const CSV_HEADER: [&str; 7] = [
    "check", "severity", "account", "region", "resource", "message", "fix",
];

/// RFC 4180: quote a field that holds a comma, quote or line break; double its quotes.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_owned()
    }
}

pub fn csv(findings: &[Finding]) -> String {
    let mut out = CSV_HEADER.join(",");
    out.push_str("\r\n");
    for f in findings {
        let row = [
            f.check.as_str(),
            f.severity.as_str(),
            &f.account,
            f.region.as_deref().unwrap_or(""),
            &f.resource,
            &f.message,
            f.fix.as_deref().unwrap_or(""),
        ];
        out.push_str(
            &row.iter()
                .map(|c| csv_field(c))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push_str("\r\n");
    }
    out
}

/// Endpoint ids with their region, by VPC.
type VpcEndpoints<'a> = BTreeMap<&'a str, BTreeSet<(&'a str, &'a str)>>;
/// An API's id, name, region and stage label.
type ApiNode<'a> = (&'a str, &'a str, &'a str, String);

/// Nodes of the access map: endpoints grouped by account and VPC, APIs by account.
struct Graph<'a> {
    endpoints: BTreeMap<&'a str, VpcEndpoints<'a>>,
    apis: BTreeMap<&'a str, BTreeSet<ApiNode<'a>>>,
    edges: BTreeSet<(&'a str, &'a str)>,
}

fn graph(access: &[Access]) -> Graph<'_> {
    let mut g = Graph {
        endpoints: BTreeMap::new(),
        apis: BTreeMap::new(),
        edges: BTreeSet::new(),
    };
    for a in access {
        g.endpoints
            .entry(&a.consumer_account)
            .or_default()
            .entry(&a.vpc_id)
            .or_default()
            .insert((&a.vpce_id, &a.region));
        let stages = if a.stages.is_empty() {
            "no stage".to_owned()
        } else {
            a.stages.join(", ")
        };
        g.apis.entry(&a.producer_account).or_default().insert((
            &a.api_id,
            &a.api_name,
            &a.region,
            if a.open_to_any_endpoint {
                format!("{stages}; OPEN to any endpoint")
            } else {
                stages
            },
        ));
        g.edges.insert((&a.vpce_id, &a.api_id));
    }
    g
}

fn dot_quote(s: &str) -> String {
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

pub fn dot(access: &[Access]) -> String {
    let g = graph(access);
    let mut out =
        String::from("digraph xapi_access {\n  rankdir=LR;\n  node [fontname=\"Helvetica\"];\n");
    let accounts: BTreeSet<&str> = g.endpoints.keys().chain(g.apis.keys()).copied().collect();
    for account in accounts {
        let _ = writeln!(
            out,
            "  subgraph {} {{\n    label={};",
            dot_quote(&format!("cluster_{account}")),
            dot_quote(&format!("account {account}"))
        );
        for (vpc, eps) in g.endpoints.get(account).into_iter().flatten() {
            let _ = writeln!(
                out,
                "    subgraph {} {{\n      label={};",
                dot_quote(&format!("cluster_{vpc}")),
                dot_quote(vpc)
            );
            for (vpce, region) in eps {
                let _ = writeln!(
                    out,
                    "      {} [shape=ellipse, label={}];",
                    dot_quote(vpce),
                    dot_quote(&format!("{vpce}\n{region}"))
                );
            }
            out.push_str("    }\n");
        }
        for (id, name, region, stages) in g.apis.get(account).into_iter().flatten() {
            let _ = writeln!(
                out,
                "    {} [shape=box, label={}];",
                dot_quote(id),
                dot_quote(&format!("{name} ({id})\n{region}: {stages}"))
            );
        }
        out.push_str("  }\n");
    }
    for (from, to) in &g.edges {
        let _ = writeln!(out, "  {} -> {};", dot_quote(from), dot_quote(to));
    }
    out.push_str("}\n");
    out
}

/// Mermaid ids must be plain words, and labels lose their quotes.
fn mermaid_label(s: &str) -> String {
    s.replace('"', "'")
}

fn mermaid_id(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect()
}

pub fn mermaid(access: &[Access]) -> String {
    let g = graph(access);
    let mut out = String::from("flowchart LR\n");
    let accounts: BTreeSet<&str> = g.endpoints.keys().chain(g.apis.keys()).copied().collect();
    for account in accounts {
        let _ = writeln!(out, "  subgraph acct_{account}[\"account {account}\"]");
        for (vpc, eps) in g.endpoints.get(account).into_iter().flatten() {
            let _ = writeln!(out, "    subgraph {}[\"{}\"]", mermaid_id(vpc), vpc);
            for (vpce, region) in eps {
                let _ = writeln!(out, "      {}([\"{vpce}<br/>{region}\"])", mermaid_id(vpce));
            }
            out.push_str("    end\n");
        }
        for (id, name, region, stages) in g.apis.get(account).into_iter().flatten() {
            let _ = writeln!(
                out,
                "    api_{}[\"{} ({id})<br/>{region}: {}\"]",
                mermaid_id(id),
                mermaid_label(name),
                mermaid_label(stages)
            );
        }
        out.push_str("  end\n");
    }
    for (from, to) in &g.edges {
        let _ = writeln!(out, "  {} --> api_{}", mermaid_id(from), mermaid_id(to));
    }
    out
}

pub fn graph_text(format: GraphFormat, access: &[Access]) -> String {
    match format {
        GraphFormat::Dot => dot(access),
        GraphFormat::Mermaid => mermaid(access),
    }
}

const FALLBACK_WIDTH: u16 = 160;

/// One line on stderr naming every account of the organization left out, and why.
pub fn excluded_line(excluded: &[Excluded]) -> Option<String> {
    if excluded.is_empty() {
        return None;
    }
    let each: Vec<String> = excluded
        .iter()
        .map(|e| format!("{} ({})", e.account, e.reason))
        .collect();
    Some(format!(
        "not scanned: {} account(s) of the organization: {}",
        excluded.len(),
        each.join("; ")
    ))
}

/// A summary table per account, then its findings.
pub fn table(report: &Report, style: &Style) -> String {
    let scan = &report.inventory;
    let mut out = String::new();
    let mut accounts: BTreeSet<&str> = scan.accounts.iter().map(String::as_str).collect();
    accounts.extend(report.findings.iter().map(|f| f.account.as_str()));
    for account in accounts {
        let _ = writeln!(out, "account {account}");
        let mut t = style.table(&["region", "APIs", "private", "endpoints", "reached by"]);
        let mut any_target = false;
        for target in scan.targets.iter().filter(|t| t.account == account) {
            any_target = true;
            let reached: BTreeSet<&str> = report
                .access_map
                .iter()
                .filter(|a| a.producer_account == account && a.region == target.region)
                .map(|a| a.consumer_account.as_str())
                .collect();
            t.add_row(vec![
                target.region.clone(),
                target.apis.len().to_string(),
                target
                    .apis
                    .iter()
                    .filter(|a| a.is_private())
                    .count()
                    .to_string(),
                target.endpoints.len().to_string(),
                joined_or_dash(reached),
            ]);
        }
        if any_target {
            let _ = writeln!(out, "{t}");
        }
        domain_table(&mut out, report, account, style);
        let mine: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.account == account)
            .collect();
        if mine.is_empty() {
            let _ = writeln!(out, "{}\n", style.paint("no findings", Color::Green));
            continue;
        }
        let mut f = style.table(&["severity", "check", "resource", "finding", "fix"]);
        // Off a terminal there is no width to wrap to; findings are long sentences.
        if f.width().is_none() {
            f.set_width(FALLBACK_WIDTH);
        }
        for finding in mine {
            f.add_row(vec![
                style.status_cell(finding.severity.as_str(), finding.severity == Severity::Low),
                comfy_table::Cell::new(&finding.check),
                comfy_table::Cell::new(&finding.resource),
                comfy_table::Cell::new(&finding.message),
                comfy_table::Cell::new(finding.fix.as_deref().unwrap_or("-")),
            ]);
        }
        let _ = writeln!(out, "{f}\n");
    }
    if !scan.excluded.is_empty() {
        let _ = writeln!(out, "not scanned");
        let mut t = style.table(&["account", "name", "state", "reason"]);
        for e in &scan.excluded {
            t.add_row(vec![
                e.account.clone(),
                e.name.clone(),
                e.state.clone().unwrap_or_else(|| "-".to_owned()),
                e.reason.clone(),
            ]);
        }
        let _ = writeln!(out, "{t}\n");
    }
    let s = &report.summary;
    let _ = writeln!(
        out,
        "{} accounts, {} regions, {} APIs ({} private), {} endpoints, {} access paths: {} high, {} medium, {} low",
        s.accounts,
        s.regions,
        s.apis,
        s.private_apis,
        s.endpoints,
        report.access_map.len(),
        s.high,
        s.medium,
        s.low
    );
    if s.private_domains > 0 {
        let _ = writeln!(
            out,
            "{} private domains, {} domain access paths",
            s.private_domains,
            report.domain_access_map.len()
        );
    }
    out
}

/// `items` as a cell: comma-separated, or `-` when there are none.
fn joined_or_dash<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> String {
    let items: Vec<S> = items.into_iter().collect();
    if items.is_empty() {
        "-".to_owned()
    } else {
        items
            .iter()
            .map(AsRef::as_ref)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The account's private domains and who reaches each; nothing when it has none.
fn domain_table(out: &mut String, report: &Report, account: &str, style: &Style) {
    let mut t = style.table(&["domain", "region", "mapped APIs", "shared", "reached by"]);
    let mut any = false;
    for target in report
        .inventory
        .targets
        .iter()
        .filter(|t| t.account == account)
    {
        for d in &target.domains {
            any = true;
            let reached: Vec<String> = report
                .domain_access_map
                .iter()
                .filter(|a| a.domain_arn == d.arn)
                .map(|a| format!("{} ({})", a.vpce_id, a.consumer_account))
                .collect();
            t.add_row(vec![
                d.name.clone(),
                target.region.clone(),
                d.mappings.as_ref().map_or_else(
                    || "unread".to_owned(),
                    |m| {
                        joined_or_dash(m.iter().map(|m| m.api_id.as_str()).collect::<BTreeSet<_>>())
                    },
                ),
                if d.shared { "yes" } else { "no" }.to_owned(),
                joined_or_dash(reached),
            ]);
        }
    }
    if any {
        let _ = writeln!(out, "{t}");
    }
}
