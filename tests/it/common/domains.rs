//! API Gateway's custom domain names as AWS answers for them, served by the
//! test proxy: moto drops a private domain's `domainNameId`, ARN and policy,
//! ignores the id (so a public and a private domain of one name collide)
//! and has no UpdateDomainName. The shapes are the canned answers D1 (one
//! domain) and D2 (a listing, wire key `item`) of docs/emulator.md; the
//! policy is stored the way AWS reads it back, `execute-api:/*` expanded to
//! the domain's execute-api ARN with no `/*`.
//!
//! Access associations are served the same way (D3, D4; moto has none):
//! listed by whose they are, rejected by the domain's owner. A rejected
//! association stays listed, as it does on AWS until its owner deletes it.
//!
//! Every request on a domain that lacks `domainNameId` is answered as AWS
//! answers a private domain asked for by name alone, and is kept, so a test
//! can assert that none was sent.

use std::sync::{Arc, Mutex};

use serde_json::{json, Value};

use super::proxy::{Canned, Proxy, Recorded};

#[derive(Debug, Clone)]
pub struct Domain {
    pub name: String,
    /// Empty for a public domain.
    pub id: String,
    pub endpoint_type: String,
    pub status: String,
    pub certificate_arn: String,
    pub policy: Option<String>,
    pub tags: Value,
    pub mappings: Vec<Value>,
    /// GETs still to answer PENDING before the domain becomes AVAILABLE.
    pub pending_reads: u32,
}

#[derive(Default)]
pub struct State {
    pub account: String,
    /// The account that owns `domains`, when not `account`: a consumer's
    /// test reads the producer's domain through the same proxy.
    pub owner: Option<String>,
    pub domains: Vec<Domain>,
    /// Requests on a domain that carried no `domainNameId`.
    pub without_id: Vec<String>,
    /// Answer the next create with a server error after making the domain.
    pub lose_next_create_answer: bool,
    pub creates: u32,
    pub next_id: u32,
    /// Access associations (D3 objects), this account's and other accounts'.
    pub associations: Vec<Value>,
    /// The association ARNs rejected, in order.
    pub rejected: Vec<String>,
    /// Domains other accounts share with this one (D2 items).
    pub shared: Vec<Value>,
    /// AWS RAM invitations this account received (R2 objects); accepting
    /// the one whose share is `accept_shares` adds it to `shared`.
    pub invitations: Vec<Value>,
    pub accept_shares: Option<Value>,
    /// This account's AWS RAM shares (R1 objects) and their principals and
    /// resources (R4 objects); moto cannot share a domain ARN.
    pub shares: Vec<Value>,
    pub share_members: Vec<Value>,
    /// The body of each CreateResourceShare.
    pub share_creates: Vec<Value>,
}

const REGION: &str = super::REGION;

impl Domain {
    pub fn arn(&self, account: &str) -> String {
        format!(
            "arn:aws:apigateway:{REGION}:{account}:/domainnames/{}+{}",
            self.name, self.id
        )
    }

    /// D1: the domain as GetDomainName/CreateDomainName describe it.
    fn json(&self, account: &str) -> Value {
        let mut v = json!({
            "domainName": self.name,
            "certificateArn": self.certificate_arn,
            "certificateUploadDate": 1_764_500_000,
            "endpointConfiguration": {"types": [self.endpoint_type], "ipAddressType": "ipv4"},
            "domainNameStatus": self.status,
            "securityPolicy": "TLS_1_2",
            "tags": self.tags,
        });
        if !self.id.is_empty() {
            v["domainNameId"] = json!(self.id);
            v["domainNameArn"] = json!(self.arn(account));
            v["routingMode"] = json!("BASE_PATH_MAPPING_ONLY");
        }
        if let Some(p) = &self.policy {
            v["policy"] = json!(p);
        }
        v
    }
}

/// AWS's read-back form of a policy: `execute-api:/*` as the domain's ARN.
fn expand(policy: &str, account: &str, name_id: &str) -> String {
    policy.replace(
        "\"execute-api:/*\"",
        &format!("\"arn:aws:execute-api:{REGION}:{account}:/domainnames/{name_id}\""),
    )
}

fn not_found() -> Canned {
    Canned::json(
        404,
        json!({"__type": "NotFoundException", "message": "Invalid domain name identifier specified"})
            .to_string(),
    )
}

/// `name` and the `domainNameId` query value of a `/domainnames/{name}...` path.
fn split(path: &str) -> (String, Option<String>, String) {
    let (path, query) = path.split_once('?').unwrap_or((path, ""));
    let rest = path.trim_start_matches("/domainnames/");
    let (name, tail) = rest.split_once('/').unwrap_or((rest, ""));
    let id = query
        .split('&')
        .find_map(|kv| kv.strip_prefix("domainNameId="))
        .map(str::to_owned);
    (name.to_owned(), id, tail.to_owned())
}

/// `%3A`-style escapes undone, as AWS reads a query value or path label.
fn decoded(value: &str) -> String {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (bytes[i], bytes.get(i + 1..i + 3)) {
            (b'%', Some(hex)) => {
                let hex = std::str::from_utf8(hex).unwrap_or("zz");
                match u8::from_str_radix(hex, 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 3;
                        continue;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            (b, _) => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The value of `key` in the request's query string, decoded.
fn query(path: &str, key: &str) -> Option<String> {
    let (_, q) = path.split_once('?')?;
    q.split('&')
        .find_map(|kv| kv.strip_prefix(key)?.strip_prefix('='))
        .map(decoded)
}

/// The account in an ARN.
fn account_of(arn: &str) -> &str {
    arn.split(':').nth(4).unwrap_or_default()
}

/// D3: an association of `vpce` (in `consumer`'s account) with `domain_arn`.
pub fn association(consumer: &str, domain_arn: &str, vpce: &str, stack: Option<&str>) -> Value {
    let name_id = domain_arn
        .rsplit("/domainnames/")
        .next()
        .unwrap_or_default();
    json!({
        "domainNameAccessAssociationArn": format!(
            "arn:aws:apigateway:{REGION}:{consumer}:/domainnameaccessassociations/domainname/{name_id}/vpcesource/{vpce}"
        ),
        "domainNameArn": domain_arn,
        "accessAssociationSourceType": "VPCE",
        "accessAssociationSource": vpce,
        "tags": stack.map_or(json!({}), |s| json!({"xapi:stack": s})),
    })
}

impl State {
    fn answer(&mut self, r: &Recorded) -> Option<Canned> {
        let account = self.account.clone();
        if let Some(answer) = self
            .association_answer(r, &account)
            .or_else(|| self.ram_answer(r))
        {
            return Some(answer);
        }
        let account = self.owner.clone().unwrap_or(account);
        // Another account (a consumer, by its signature) owns none of these
        // domains: it reads one through a share and changes none.
        let foreign = r.caller.as_deref().is_some_and(|c| c != account);
        if r.path == "/domainnames" || r.path.starts_with("/domainnames?") {
            return Some(match r.method.as_str() {
                "GET" if query(&r.path, "resourceOwner").as_deref() == Some("OTHER_ACCOUNTS") => {
                    Canned::json(200, json!({ "item": self.shared }).to_string())
                }
                "GET" if foreign => Canned::json(200, json!({ "item": [] }).to_string()),
                "GET" => {
                    let items: Vec<Value> = self.domains.iter().map(|d| d.json(&account)).collect();
                    Canned::json(200, json!({ "item": items }).to_string())
                }
                "POST" => self.create(r, &account),
                _ => return None,
            });
        }
        if !r.path.starts_with("/domainnames/") {
            return None;
        }
        let (name, id, tail) = split(&r.path);
        let Some(id) = id else {
            self.without_id.push(format!("{} {}", r.method, r.path));
            return Some(not_found());
        };
        let Some(at) = self
            .domains
            .iter()
            .position(|d| d.name == name && d.id == id && !id.is_empty())
        else {
            return Some(not_found());
        };
        if foreign && r.method != "GET" {
            return Some(not_found());
        }
        let name_id = format!("{name}+{id}");
        let d = &mut self.domains[at];
        Some(match (r.method.as_str(), tail.as_str()) {
            ("GET", "") => {
                if d.pending_reads > 0 {
                    d.pending_reads -= 1;
                    if d.pending_reads == 0 {
                        d.status = "AVAILABLE".into();
                    }
                }
                Canned::json(200, d.json(&account).to_string())
            }
            ("PATCH", "") => {
                let body: Value = serde_json::from_str(&r.body).unwrap_or_default();
                for op in body["patchOperations"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
                {
                    if op["op"] == "replace" && op["path"] == "/policy" {
                        let p = op["value"].as_str().unwrap_or_default();
                        d.policy = Some(expand(p, &account, &name_id));
                    }
                }
                Canned::json(200, d.json(&account).to_string())
            }
            ("DELETE", "") => {
                self.domains.remove(at);
                Canned::json(202, "{}".into())
            }
            ("GET", "basepathmappings") => {
                Canned::json(200, json!({ "item": d.mappings }).to_string())
            }
            ("POST", "basepathmappings") => {
                let body: Value = serde_json::from_str(&r.body).unwrap_or_default();
                let m = json!({
                    "basePath": body["basePath"].as_str().unwrap_or("(none)"),
                    "restApiId": body["restApiId"],
                    "stage": body["stage"],
                });
                d.mappings.push(m.clone());
                Canned::json(201, m.to_string())
            }
            _ => return None,
        })
    }

    /// R1-R4: moto's RAM has no invitations and cannot share a domain ARN.
    fn ram_answer(&mut self, r: &Recorded) -> Option<Canned> {
        let path = r.path.split('?').next().unwrap_or_default();
        match (r.method.as_str(), path) {
            ("POST", "/getresourceshareinvitations") => Some(Canned::json(
                200,
                json!({ "resourceShareInvitations": self.invitations }).to_string(),
            )),
            ("POST", "/acceptresourceshareinvitation") => {
                let body: Value = serde_json::from_str(&r.body).unwrap_or_default();
                let arn = body["resourceShareInvitationArn"].clone();
                let Some(i) = self
                    .invitations
                    .iter_mut()
                    .find(|i| i["resourceShareInvitationArn"] == arn)
                else {
                    return Some(Canned::json(400, json!({"__type": "UnknownResourceException", "message": "the invitation does not exist"}).to_string()));
                };
                if i["status"] != "PENDING" {
                    let code = if i["status"] == "EXPIRED" {
                        "ResourceShareInvitationExpiredException"
                    } else {
                        "ResourceShareInvitationAlreadyAcceptedException"
                    };
                    return Some(Canned::json(
                        400,
                        json!({"__type": code, "message": code}).to_string(),
                    ));
                }
                i["status"] = json!("ACCEPTED");
                let answer = json!({ "resourceShareInvitation": i.clone() });
                if let Some(d) = self.accept_shares.take() {
                    self.shared.push(d);
                }
                Some(Canned::json(200, answer.to_string()))
            }
            ("POST", "/getresourceshares") => {
                let body: Value = serde_json::from_str(&r.body).unwrap_or_default();
                let shares: Vec<&Value> = self
                    .shares
                    .iter()
                    .filter(|sh| body.get("name").is_none_or(|n| sh["name"] == *n))
                    .collect();
                Some(Canned::json(
                    200,
                    json!({ "resourceShares": shares }).to_string(),
                ))
            }
            ("POST", "/createresourceshare") => {
                let body: Value = serde_json::from_str(&r.body).unwrap_or_default();
                self.share_creates.push(body.clone());
                let arn = format!(
                    "arn:aws:ram:{REGION}:{}:resource-share/6f1d-{}",
                    self.account,
                    self.shares.len()
                );
                let share = json!({
                    "resourceShareArn": arn, "name": body["name"], "owningAccountId": self.account,
                    "allowExternalPrincipals": body["allowExternalPrincipals"], "status": "ACTIVE",
                    "creationTime": 1_764_500_000.0, "lastUpdatedTime": 1_764_500_000.0,
                    "featureSet": "STANDARD", "tags": body["tags"],
                });
                self.shares.push(share.clone());
                self.add_members(&arn, &body);
                Some(Canned::json(
                    200,
                    json!({ "resourceShare": share }).to_string(),
                ))
            }
            ("POST", "/associateresourceshare") => {
                let body: Value = serde_json::from_str(&r.body).unwrap_or_default();
                let arn = body["resourceShareArn"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned();
                let added = self.add_members(&arn, &body);
                Some(Canned::json(
                    200,
                    json!({ "resourceShareAssociations": added }).to_string(),
                ))
            }
            ("POST", "/disassociateresourceshare") => {
                let body: Value = serde_json::from_str(&r.body).unwrap_or_default();
                let mut out = Vec::new();
                for p in body["principals"].as_array().cloned().unwrap_or_default() {
                    for m in self.share_members.iter_mut().filter(|m| {
                        m["resourceShareArn"] == body["resourceShareArn"]
                            && m["associatedEntity"] == p
                    }) {
                        m["status"] = json!("DISASSOCIATING");
                        out.push(m.clone());
                    }
                }
                Some(Canned::json(
                    200,
                    json!({ "resourceShareAssociations": out }).to_string(),
                ))
            }
            ("POST", "/getresourceshareassociations") => {
                let body: Value = serde_json::from_str(&r.body).unwrap_or_default();
                let arns = body["resourceShareArns"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default();
                let listed: Vec<Value> = self
                    .share_members
                    .iter()
                    .filter(|m| m["associationType"] == body["associationType"])
                    .filter(|m| arns.is_empty() || arns.contains(&m["resourceShareArn"]))
                    .cloned()
                    .collect();
                // Each change shows once in progress, then done.
                for m in self.share_members.iter_mut().filter(|m| listed.contains(m)) {
                    let next = match m["status"].as_str() {
                        Some("ASSOCIATING") => "ASSOCIATED",
                        Some("DISASSOCIATING") => "DISASSOCIATED",
                        Some(other) => other,
                        None => "ASSOCIATED",
                    };
                    m["status"] = json!(next);
                }
                Some(Canned::json(
                    200,
                    json!({ "resourceShareAssociations": listed }).to_string(),
                ))
            }
            ("DELETE", "/deleteresourceshare") => {
                let arn = query(&r.path, "resourceShareArn").unwrap_or_default();
                for sh in self
                    .shares
                    .iter_mut()
                    .filter(|sh| sh["resourceShareArn"] == arn.as_str())
                {
                    sh["status"] = json!("DELETED");
                }
                Some(Canned::json(
                    200,
                    json!({ "returnValue": true }).to_string(),
                ))
            }
            _ => None,
        }
    }

    /// R4: the principals (ASSOCIATING, outside the organization) and
    /// resources (ASSOCIATED) of a create or associate body.
    fn add_members(&mut self, share_arn: &str, body: &Value) -> Vec<Value> {
        let mut added = Vec::new();
        for (key, kind, status) in [
            ("principals", "PRINCIPAL", "ASSOCIATING"),
            ("resourceArns", "RESOURCE", "ASSOCIATED"),
        ] {
            for entity in body[key].as_array().cloned().unwrap_or_default() {
                self.share_members.retain(|m| {
                    !(m["resourceShareArn"] == share_arn && m["associatedEntity"] == entity)
                });
                let m = json!({
                    "resourceShareArn": share_arn, "associatedEntity": entity,
                    "associationType": kind, "status": status, "external": kind == "PRINCIPAL",
                });
                self.share_members.push(m.clone());
                added.push(m);
            }
        }
        added
    }

    /// D3/D4 and the reject/delete calls (202, empty).
    fn association_answer(&mut self, r: &Recorded, account: &str) -> Option<Canned> {
        let path = r.path.split('?').next().unwrap_or_default();
        match (r.method.as_str(), path) {
            ("GET", "/domainnameaccessassociations") => {
                let mine = query(&r.path, "resourceOwner").as_deref() != Some("OTHER_ACCOUNTS");
                let items: Vec<Value> = self
                    .associations
                    .iter()
                    .filter(|a| {
                        let arn = a["domainNameAccessAssociationArn"]
                            .as_str()
                            .unwrap_or_default();
                        let domain = a["domainNameArn"].as_str().unwrap_or_default();
                        if mine {
                            account_of(arn) == account
                        } else {
                            account_of(domain) == account && account_of(arn) != account
                        }
                    })
                    .cloned()
                    .collect();
                Some(Canned::json(200, json!({ "item": items }).to_string()))
            }
            ("POST", "/rejectdomainnameaccessassociations") => {
                let arn = query(&r.path, "domainNameAccessAssociationArn").unwrap_or_default();
                let domain = query(&r.path, "domainNameArn").unwrap_or_default();
                let known = self.associations.iter().any(|a| {
                    a["domainNameAccessAssociationArn"] == arn.as_str()
                        && a["domainNameArn"] == domain.as_str()
                });
                Some(if !known || account_of(&domain) != account {
                    not_found()
                } else if account_of(&arn) == account {
                    Canned::json(400, json!({"__type": "BadRequestException", "message": "You can't reject a domain name access association in your own account"}).to_string())
                } else {
                    self.rejected.push(arn);
                    Canned::json(202, "{}".into())
                })
            }
            ("POST", "/domainnameaccessassociations") => {
                let body: Value = serde_json::from_str(&r.body).unwrap_or_default();
                let a = association(
                    account,
                    body["domainNameArn"].as_str().unwrap_or_default(),
                    body["accessAssociationSource"].as_str().unwrap_or_default(),
                    body["tags"]["xapi:stack"].as_str(),
                );
                self.associations.push(a.clone());
                Some(Canned::json(201, a.to_string()))
            }
            ("DELETE", p) if p.starts_with("/domainnameaccessassociations/") => {
                let arn = decoded(p.trim_start_matches("/domainnameaccessassociations/"));
                let before = self.associations.len();
                self.associations
                    .retain(|a| a["domainNameAccessAssociationArn"] != arn.as_str());
                Some(
                    if before == self.associations.len() || account_of(&arn) != account {
                        not_found()
                    } else {
                        Canned::json(202, "{}".into())
                    },
                )
            }
            _ => None,
        }
    }

    fn create(&mut self, r: &Recorded, account: &str) -> Canned {
        self.creates += 1;
        let body: Value = serde_json::from_str(&r.body).unwrap_or_default();
        if body.get("regionalCertificateArn").is_some() {
            return Canned::json(400, json!({"__type":"BadRequestException","message":"Invalid request provided: RegionalCertificateArn is not supported for PRIVATE custom domain name"}).to_string());
        }
        self.next_id += 1;
        let id = format!("abcd{:04}", 1233 + self.next_id);
        let name = body["domainName"].as_str().unwrap_or_default().to_owned();
        let name_id = format!("{name}+{id}");
        let d = Domain {
            name,
            id,
            endpoint_type: body["endpointConfiguration"]["types"][0]
                .as_str()
                .unwrap_or("EDGE")
                .to_owned(),
            status: "PENDING".into(),
            certificate_arn: body["certificateArn"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            policy: body["policy"]
                .as_str()
                .map(|p| expand(p, account, &name_id)),
            tags: body.get("tags").cloned().unwrap_or(json!({})),
            mappings: Vec::new(),
            pending_reads: 2,
        };
        let answer = Canned::json(201, d.json(account).to_string());
        self.domains.push(d);
        if std::mem::take(&mut self.lose_next_create_answer) {
            return Canned {
                status: 500,
                content_type: "application/json".into(),
                body: json!({"message": "An internal error occurred"}).to_string(),
            };
        }
        answer
    }
}

/// Serve domain requests from `state` through `proxy`; everything else goes to moto.
pub fn serve(proxy: &Proxy, state: Arc<Mutex<State>>) {
    proxy.respond_with(move |r| state.lock().unwrap().answer(r));
}

/// R2: an invitation from `sender` to `receiver` to the share `name`.
pub fn invitation(sender: &str, receiver: &str, name: &str, status: &str) -> Value {
    json!({
        "resourceShareInvitationArn": format!("arn:aws:ram:{REGION}:{sender}:resource-share-invitation/1e34-{name}"),
        "resourceShareName": name,
        "resourceShareArn": format!("arn:aws:ram:{REGION}:{sender}:resource-share/6f1d-{name}"),
        "senderAccountId": sender,
        "receiverAccountId": receiver,
        "invitationTimestamp": 1_764_500_000.0,
        "status": status,
    })
}

/// D2's item for a domain another account shares: name, id and ARN only.
pub fn shared_item(domain_arn: &str) -> Value {
    let name_id = domain_arn
        .rsplit("/domainnames/")
        .next()
        .unwrap_or_default();
    let (name, id) = name_id.split_once('+').unwrap_or((name_id, ""));
    json!({"domainName": name, "domainNameId": id, "domainNameArn": domain_arn})
}

/// D1's state: `owner`'s private, AVAILABLE domain `name+id` of stack `s1`
/// whose policy admits `vpce`, mapping `orders` to stage `prod` of `api_id`.
pub fn private_domain(
    owner: &str,
    name: &str,
    id: &str,
    certificate_arn: &str,
    api_id: &str,
    vpce: &str,
) -> Domain {
    let policy = json!({"Version": "2012-10-17", "Statement": [
        {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*"},
        {"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*",
         "Condition": {"StringNotEquals": {"aws:SourceVpce": vpce}}}]});
    Domain {
        name: name.into(),
        id: id.into(),
        endpoint_type: "PRIVATE".into(),
        status: "AVAILABLE".into(),
        certificate_arn: certificate_arn.into(),
        policy: Some(expand(&policy.to_string(), owner, &format!("{name}+{id}"))),
        tags: json!({"xapi:stack": "s1"}),
        mappings: vec![json!({"basePath": "orders", "restApiId": api_id, "stage": "prod"})],
        pending_reads: 0,
    }
}

/// A public domain of `name` (no id) in the account: the twin no command may touch.
pub fn public_twin(name: &str, certificate_arn: &str) -> Domain {
    Domain {
        name: name.into(),
        id: String::new(),
        endpoint_type: "REGIONAL".into(),
        status: "AVAILABLE".into(),
        certificate_arn: certificate_arn.into(),
        policy: None,
        tags: json!({}),
        mappings: Vec::new(),
        pending_reads: 0,
    }
}

/// Two accounts of one AWS, each behind its own proxy: the producer's
/// domains, shares and the associations made with them, and the consumer's
/// invitations, shared domains and associations, kept in step as AWS
/// keeps them. A principal the producer adds to a share gets a PENDING
/// invitation (it is outside the organization); accepting it shares the
/// share's domains; each side lists the associations either one made.
/// The consumer reads the producer's domains by ARN, as a share allows.
pub fn serve_pair(
    producer_proxy: &Proxy,
    consumer_proxy: &Proxy,
    producer: &str,
    consumer: &str,
) -> (Arc<Mutex<State>>, Arc<Mutex<State>>) {
    let p = Arc::new(Mutex::new(State {
        account: producer.to_owned(),
        ..State::default()
    }));
    let c = Arc::new(Mutex::new(State {
        account: consumer.to_owned(),
        owner: Some(producer.to_owned()),
        ..State::default()
    }));
    let (p1, c1) = (p.clone(), c.clone());
    producer_proxy.respond_with(move |r| {
        let (mut p, mut c) = (p1.lock().unwrap(), c1.lock().unwrap());
        let answer = p.answer(r);
        in_step(&mut p, &mut c);
        answer
    });
    let (p2, c2) = (p.clone(), c.clone());
    consumer_proxy.respond_with(move |r| {
        let (mut p, mut c) = (p2.lock().unwrap(), c2.lock().unwrap());
        in_step(&mut p, &mut c);
        let answer = c.answer(r);
        in_step(&mut p, &mut c);
        answer
    });
    (p, c)
}

/// What one account's change means for the other's view.
fn in_step(p: &mut State, c: &mut State) {
    c.domains.clone_from(&p.domains);
    for a in &c.associations {
        let arn = &a["domainNameAccessAssociationArn"];
        if !p
            .associations
            .iter()
            .any(|b| b["domainNameAccessAssociationArn"] == *arn)
        {
            p.associations.push(a.clone());
        }
    }
    let deleted: Vec<Value> = p
        .associations
        .iter()
        .filter(|a| {
            account_of(
                a["domainNameAccessAssociationArn"]
                    .as_str()
                    .unwrap_or_default(),
            ) == c.account
        })
        .filter(|a| !c.associations.contains(a))
        .cloned()
        .collect();
    p.associations.retain(|a| !deleted.contains(a));
    // A principal out of the share no longer sees the share's domains.
    for m in p.share_members.iter().filter(|m| {
        m["associationType"] == "PRINCIPAL"
            && m["associatedEntity"] == c.account.as_str()
            && matches!(
                m["status"].as_str(),
                Some("DISASSOCIATING" | "DISASSOCIATED")
            )
    }) {
        let share = &m["resourceShareArn"];
        for r in p
            .share_members
            .iter()
            .filter(|r| r["resourceShareArn"] == *share && r["associationType"] == "RESOURCE")
        {
            let arn = r["associatedEntity"].as_str().unwrap_or_default();
            c.shared.retain(|d| d["domainNameArn"] != arn);
        }
    }
    for m in p.share_members.iter().filter(|m| {
        m["associationType"] == "PRINCIPAL"
            && m["associatedEntity"] == c.account.as_str()
            && m["status"] == "ASSOCIATED"
    }) {
        let share = &m["resourceShareArn"];
        if c.invitations
            .iter()
            .any(|i| i["resourceShareArn"] == *share)
        {
            continue;
        }
        let Some(sh) = p.shares.iter().find(|sh| sh["resourceShareArn"] == *share) else {
            continue;
        };
        c.invitations.push(json!({
            "resourceShareInvitationArn": format!("{}/invitation", share.as_str().unwrap_or_default()),
            "resourceShareName": sh["name"],
            "resourceShareArn": share,
            "senderAccountId": p.account,
            "receiverAccountId": c.account,
            "invitationTimestamp": 1_764_500_000.0,
            "status": "PENDING",
        }));
        let resource = p
            .share_members
            .iter()
            .find(|r| r["resourceShareArn"] == *share && r["associationType"] == "RESOURCE");
        c.accept_shares = resource
            .and_then(|r| r["associatedEntity"].as_str())
            .map(shared_item);
    }
}
