//! Policies the tests of more than one layer share.

/// A policy that admits `vpce` (and lists no other endpoint) where proving whether it does
/// exceeds the evaluation budget: NotResource patterns a request must match against Deny
/// patterns built from the same pieces.
pub(crate) fn over_budget_policy(vpce: &str) -> String {
    let pieces: Vec<String> = (0..40)
        .map(|i| format!("execute-api:/*{}*{}?*/*/{}*", i % 7, (i * 3) % 11, i))
        .collect();
    serde_json::json!({"Version":"2012-10-17","Statement":[
        {"Sid":"Dense","Effect":"Allow","Principal":"*","Action":"*","Resource":pieces[..20]},
        {"Effect":"Deny","Principal":"*","Action":"*","NotResource":pieces[20..],
         "Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-0ffffffffffffffff"}}},
        {"Effect":"Deny","Principal":"*","Action":"*","Resource":pieces[25..],
         "Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-0ffffffffffffffff"}}},
        {"Effect":"Deny","Principal":"*","Action":"*","Resource":"execute-api:/*",
         "Condition":{"StringNotEquals":{"aws:SourceVpce":["vpce-0ffffffffffffffff", vpce]}}}
    ]})
    .to_string()
}
