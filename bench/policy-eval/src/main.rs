//! Worst and median evaluation times of adversarial resource policies (up to API Gateway's
//! 8,192-character limit) for what the commands ask: `summarize` (policy show, doctor),
//! `admits_vpce` (doctor) and a grant dry run. A benchmark, not a test: it prints a table.
//!
//! Usage: policy-eval-bench [POLICIES_PER_SHAPE]

#[allow(dead_code, unused_imports)]
#[path = "../../../src/policy/mod.rs"]
mod policy;

use std::time::{Duration, Instant};

use policy::{admits_vpce, grant, summarize, ApiRef, PolicyDocument, POLICY_SIZE_LIMIT};
use serde_json::{json, Value};

/// xorshift64*: deterministic, so every run measures the same policies.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
    fn glob(&mut self, alphabet: &[&str], len: usize) -> String {
        (0..len).map(|_| self.pick(alphabet)).collect()
    }
}

fn api() -> ApiRef {
    ApiRef {
        region: "us-east-1".into(),
        account: "111122223333".into(),
        api_id: "abc123defg".into(),
    }
}

fn vpce(i: usize) -> String {
    format!("vpce-{:017x}", 0x0a1b_2c3d_0000_0000u64 + i as u64 * 7919)
}

fn stmt(effect: &str, resources: &[String], condition: Option<Value>) -> Value {
    let mut s = json!({"Effect": effect, "Principal": "*", "Action": "execute-api:Invoke",
                       "Resource": resources});
    if let Some(c) = condition {
        s["Condition"] = c;
    }
    s
}

fn usual_deny(listed: &[String]) -> Value {
    stmt(
        "Deny",
        &["execute-api:/*".to_string()],
        Some(json!({"StringNotEquals": {"aws:SourceVpce": listed}})),
    )
}

fn document(stmts: Vec<Value>) -> Value {
    json!({"Version": "2012-10-17", "Statement": stmts})
}

/// The largest policy `make(n)` builds within the size limit, growing `n` from 1.
fn fill(make: impl Fn(usize) -> Value) -> PolicyDocument {
    let mut best = make(1);
    for n in 2.. {
        let v = make(n);
        if v.to_string().len() > POLICY_SIZE_LIMIT {
            break;
        }
        best = v;
    }
    PolicyDocument::from_json(best)
}

/// The shape from the issue: an Allow over wildcard-dense resources, a Deny over other
/// wildcard-dense resources unless the endpoint matches one of many patterns, and the
/// usual endpoint Deny.
fn issue_shape(seed: u64) -> PolicyDocument {
    fill(|n| {
        let mut r = Rng(seed);
        let methods = ["GET", "POST", "PUT", "*"];
        let letters = ["a", "b", "c", "x", "y", "7", "0"];
        let allow: Vec<String> = (0..n * 3 / 2)
            .map(|_| {
                format!(
                    "execute-api:/*/{}/*/{}/*/{}*/*",
                    r.pick(&methods),
                    r.pick(&letters),
                    r.pick(&letters)
                )
            })
            .collect();
        let deny: Vec<String> = (0..n)
            .map(|_| {
                format!(
                    "execute-api:/*/*/{}*{}*{}*{}*",
                    r.pick(&letters),
                    r.pick(&letters),
                    r.pick(&letters),
                    r.pick(&letters)
                )
            })
            .collect();
        let exempt: Vec<String> = (0..n * 3 / 2)
            .map(|_| {
                format!(
                    "vpce-0*{}*{}*{}*",
                    r.pick(&letters),
                    r.pick(&letters),
                    r.pick(&letters)
                )
            })
            .collect();
        let listed: Vec<String> = (0..8).map(vpce).collect();
        document(vec![
            stmt("Allow", &allow, None),
            stmt(
                "Deny",
                &deny,
                Some(json!({"StringNotLike": {"aws:SourceVpce": exempt}})),
            ),
            usual_deny(&listed),
        ])
    })
}

/// Random globs over a small alphabet: Deny patterns that together nearly cover the Allow
/// ones are where proving "not admitted" is hardest.
fn random_dense(seed: u64) -> PolicyDocument {
    fill(|n| {
        let mut r = Rng(seed);
        let alphabet = ["a", "b", "/", "*", "*", "?", "7"];
        let mut g = |len: usize| format!("execute-api:/{}", r.glob(&alphabet, len));
        let allow: Vec<String> = (0..n).map(|i| g(4 + i % 9)).collect();
        let deny: Vec<String> = (0..n * 2).map(|i| g(3 + i % 11)).collect();
        let not_resource: Vec<String> = (0..n / 2).map(|i| g(2 + i % 7)).collect();
        let listed: Vec<String> = (0..6).map(vpce).collect();
        let mut not = stmt(
            "Deny",
            &[],
            Some(json!({"StringNotEquals": {"aws:SourceVpce": [vpce(0), vpce(1)]}})),
        );
        let o = not.as_object_mut().expect("statement is an object");
        o.remove("Resource");
        o.insert("NotResource".into(), json!(not_resource));
        document(vec![
            stmt("Allow", &allow, None),
            stmt(
                "Deny",
                &deny,
                Some(json!({"StringNotEquals": {"aws:SourceVpce": [vpce(0), vpce(2)]}})),
            ),
            not,
            usual_deny(&listed),
        ])
    })
}

/// Many Deny statements, each sparing a different endpoint: every listed endpoint sees a
/// different set of statements, so no two questions share an answer.
fn many_contexts(seed: u64) -> PolicyDocument {
    fill(|n| {
        let mut r = Rng(seed);
        let alphabet = ["a", "b", "/", "*", "*", "7"];
        let allow: Vec<String> = (0..12)
            .map(|_| format!("execute-api:/*/{}", r.glob(&alphabet, 8)))
            .collect();
        let mut stmts = vec![stmt("Allow", &allow, None)];
        for i in 0..n {
            let deny: Vec<String> = (0..2)
                .map(|_| format!("execute-api:/*{}", r.glob(&alphabet, 7)))
                .collect();
            stmts.push(stmt(
                "Deny",
                &deny,
                Some(json!({"StringNotEquals": {"aws:SourceVpce": vpce(i)}})),
            ));
        }
        document(stmts)
    })
}

/// Allows for many named principals, each over its own wildcard-dense resources: every
/// question is asked once per principal.
fn many_principals(seed: u64) -> PolicyDocument {
    fill(|n| {
        let mut r = Rng(seed);
        let alphabet = ["a", "b", "/", "*", "*", "?"];
        let listed: Vec<String> = (0..4).map(vpce).collect();
        let deny: Vec<String> = (0..20)
            .map(|_| format!("execute-api:/*{}", r.glob(&alphabet, 9)))
            .collect();
        let mut stmts = vec![stmt("Deny", &deny, None), usual_deny(&listed)];
        for i in 0..n {
            let mut s = stmt(
                "Allow",
                &[format!("execute-api:/*/{}", r.glob(&alphabet, 6))],
                None,
            );
            s["Principal"] = json!({"AWS": format!("arn:aws:iam::{:012}:role/r{i}", 400000000000u64 + i as u64)});
            stmts.push(s);
        }
        document(stmts)
    })
}

/// Many listed endpoints, VPCs and principals, with the endpoints denied again: every
/// endpoint is asked about from every VPC as every caller before it counts as shut out.
fn many_ids(seed: u64) -> PolicyDocument {
    fill(|n| {
        let mut r = Rng(seed);
        let ids: Vec<String> = (0..n).map(|i| vpce(i + r.below(3))).collect();
        let vpcs: Vec<String> = (0..n)
            .map(|i| format!("vpc-{:017x}", 0x0b00_0000_0000_0000u64 + i as u64 * 31))
            .collect();
        let principals: Vec<String> = (0..n * 2 / 3)
            .map(|i| {
                format!(
                    "arn:aws:iam::{:012}:role/caller{i}",
                    500000000000u64 + i as u64
                )
            })
            .collect();
        let mut named = stmt(
            "Allow",
            &["execute-api:/*/GET/*".to_string()],
            Some(json!({"StringEquals": {"aws:SourceVpc": vpcs}})),
        );
        named["Principal"] = json!({ "AWS": principals });
        document(vec![
            stmt(
                "Allow",
                &["execute-api:/*".to_string()],
                Some(json!({"StringEquals": {"aws:SourceVpce": ids.clone()}})),
            ),
            named,
            stmt(
                "Deny",
                &["execute-api:/*".to_string()],
                Some(json!({"StringLike": {"aws:SourceVpce": ids}})),
            ),
        ])
    })
}

struct Times {
    summarize: Vec<Duration>,
    admits: Vec<Duration>,
    grant: Vec<Duration>,
    approximated: usize,
    largest: usize,
}

/// Least wall time of a few runs: the machine may be shared, and waiting for a core is not
/// evaluation time.
fn timed<T>(mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut best = Duration::MAX;
    let mut out = None;
    for _ in 0..REPEAT {
        let started = Instant::now();
        let v = f();
        best = best.min(started.elapsed());
        out = Some(v);
    }
    (best, out.expect("REPEAT > 0"))
}

const REPEAT: usize = 5;

fn measure(doc: &PolicyDocument, t: &mut Times) {
    let api = api();
    t.largest = t.largest.max(doc.to_compact().len());
    let (took, s) = timed(|| summarize(doc, &api).expect("generated policies are supported"));
    t.summarize.push(took);
    if !s.approximated.is_empty() {
        t.approximated += 1;
    }
    for id in [vpce(0), vpce(999)] {
        let (took, _) = timed(|| admits_vpce(doc, &api, &id, Some("vpc-0123456789abcdef0")));
        t.admits.push(took);
    }
    let (took, _) = timed(|| grant(Some(doc), &api, &[vpce(4242)]));
    t.grant.push(took);
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

fn row(shape: &str, op: &str, v: &mut [Duration], t: &Times) {
    v.sort();
    println!(
        "| {shape} | {op} | {} | {} | {} | {} | {} |",
        v.len(),
        t.largest,
        ms(v[v.len() / 2]),
        ms(v[v.len() - 1]),
        t.approximated
    );
}

/// A name and a generator of policies from a seed.
type Shape = (&'static str, fn(u64) -> PolicyDocument);

fn main() {
    let per_shape: u64 = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(20);
    let shapes: [Shape; 5] = [
        ("issue (allow/deny/NotLike)", issue_shape),
        ("random dense + NotResource", random_dense),
        ("one Deny per endpoint", many_contexts),
        ("one Allow per principal", many_principals),
        ("many endpoints, VPCs, principals", many_ids),
    ];
    println!("| shape | operation | runs | largest policy (chars) | median ms | worst ms | summaries approximated |");
    println!("|---|---|---|---|---|---|---|");
    let mut worst_summary = Duration::ZERO;
    for (name, make) in shapes {
        let mut t = Times {
            summarize: Vec::new(),
            admits: Vec::new(),
            grant: Vec::new(),
            approximated: 0,
            largest: 0,
        };
        for seed in 1..=per_shape {
            measure(&make(seed * 0x9e37_79b9_7f4a_7c15), &mut t);
        }
        worst_summary = worst_summary.max(*t.summarize.iter().max().expect("runs"));
        let (mut s, mut a, mut g) = (
            std::mem::take(&mut t.summarize),
            std::mem::take(&mut t.admits),
            std::mem::take(&mut t.grant),
        );
        row(name, "summarize", &mut s, &t);
        row(name, "admits_vpce", &mut a, &t);
        row(name, "grant (dry run)", &mut g, &t);
    }
    println!("\nTimes are the least of {REPEAT} runs of each operation on each policy.");
    println!(
        "worst summarize: {} ms (target: under 50 ms)",
        ms(worst_summary)
    );
}
