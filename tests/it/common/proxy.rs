//! A recording HTTP proxy in front of the real moto server.
//!
//! moto's own recorder is global to the server; this one belongs to a single
//! test, so assertions like "a second run sends no mutating request" hold
//! while other tests run in parallel. It can also fail chosen requests, to
//! test how xapi behaves when AWS breaks midway.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::client::legacy::Client;
use hyper_util::rt::{TokioExecutor, TokioIo};

#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub target: Option<String>,
    pub body: String,
    /// The account whose credentials signed it, when they were issued by
    /// an AssumeRole that went through this proxy.
    pub caller: Option<String>,
}

impl Recorded {
    /// The API operation: `Action=` for query-protocol services (EC2, ELB,
    /// STS), `X-Amz-Target` for JSON ones, else `METHOD path` (API Gateway).
    pub fn operation(&self) -> String {
        if let Some(action) = self
            .body
            .split('&')
            .find_map(|kv| kv.strip_prefix("Action="))
        {
            return action.to_owned();
        }
        if let Some(target) = &self.target {
            return target.rsplit('.').next().unwrap_or(target).to_owned();
        }
        format!("{} {}", self.method, self.path)
    }

    pub fn is_mutating(&self) -> bool {
        let op = self.operation();
        if op.starts_with("AssumeRole") {
            return false;
        }
        const WRITES: &[&str] = &[
            "Create",
            "Modify",
            "Delete",
            "Register",
            "Deregister",
            "Authorize",
            "Revoke",
            "Put",
            "Update",
            "Add",
            "Remove",
            "Accept",
            "Reject",
            "Tag",
            "Untag",
            "Set",
        ];
        if WRITES.iter().any(|w| op.starts_with(w)) {
            return true;
        }
        // AWS RAM's reads are POSTs to /get... and /list... paths.
        let ram_read = self.method == "POST"
            && (self.path.starts_with("/get") || self.path.starts_with("/list"));
        !ram_read
            && self.target.is_none()
            && !self.body.contains("Action=")
            && self.method != "GET"
            && self.method != "HEAD"
    }
}

/// An error in the protocol the caller speaks, so the SDK parses its code.
fn fault_response(rec: &Recorded) -> Response<Full<Bytes>> {
    let (content_type, extra, body): (&str, Option<(&str, &str)>, String) = if rec
        .body
        .contains("Version=2016-11-15")
    {
        ("text/xml", None, "<Response><Errors><Error><Code>InjectedFault</Code><Message>fault injected by the test proxy</Message></Error></Errors><RequestID>x</RequestID></Response>".into())
    } else if rec.body.contains("Action=") {
        ("text/xml", None, "<ErrorResponse><Error><Type>Sender</Type><Code>InjectedFault</Code><Message>fault injected by the test proxy</Message></Error><RequestId>x</RequestId></ErrorResponse>".into())
    } else {
        (
            "application/json",
            Some(("x-amzn-errortype", "InjectedFault")),
            r#"{"message":"fault injected by the test proxy"}"#.into(),
        )
    };
    let mut resp = Response::builder()
        .status(400)
        .header("content-type", content_type);
    if let Some((k, v)) = extra {
        resp = resp.header(k, v);
    }
    resp.body(Full::new(Bytes::from(body)))
        .expect("fault response")
}

type Fault = Box<dyn Fn(&Recorded) -> bool + Send + Sync>;
/// A response a test wants the proxy to give instead of moto's.
#[derive(Debug, Clone)]
pub struct Canned {
    pub status: u16,
    pub content_type: String,
    pub body: String,
}

impl Canned {
    pub fn json(status: u16, body: String) -> Self {
        Canned {
            status,
            content_type: "application/json".into(),
            body,
        }
    }
}

/// Answers a request itself instead of forwarding it, or declines with `None`.
type Responder = Box<dyn Fn(&Recorded) -> Option<Canned> + Send + Sync>;

/// What AWS does to a request under load, for [`Proxy::disturb`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Disturbance {
    /// The service's throttling error, as that service spells it.
    Throttle,
    /// HTTP 500 `InternalFailure`.
    ServerError,
    /// No answer at all: the response is held back (for an hour).
    Hold,
}

pub type Disturber = Box<dyn Fn(&Recorded) -> Option<Disturbance> + Send + Sync>;

/// The throttling or server error a service would send, in its protocol.
fn disturbance_response(rec: &Recorded, d: Disturbance) -> Response<Full<Bytes>> {
    let throttle = d == Disturbance::Throttle;
    let (status, content_type, header, body): (u16, &str, Option<&str>, String) = if rec
        .body
        .contains("Version=2016-11-15")
    {
        // EC2's query protocol has its own error document and codes.
        let code = if throttle {
            "RequestLimitExceeded"
        } else {
            "InternalError"
        };
        (
            if throttle { 503 } else { 500 },
            "text/xml",
            None,
            format!("<Response><Errors><Error><Code>{code}</Code><Message>injected by the test proxy</Message></Error></Errors><RequestID>x</RequestID></Response>"),
        )
    } else if rec.body.contains("Action=") {
        let code = if throttle {
            "Throttling"
        } else {
            "InternalFailure"
        };
        (
                if throttle { 400 } else { 500 },
                "text/xml",
                None,
                format!("<ErrorResponse><Error><Type>Receiver</Type><Code>{code}</Code><Message>injected by the test proxy</Message></Error><RequestId>x</RequestId></ErrorResponse>"),
            )
    } else if rec.target.is_some() {
        let code = if throttle {
            "ThrottlingException"
        } else {
            "InternalServerError"
        };
        (
            if throttle { 400 } else { 500 },
            "application/x-amz-json-1.1",
            None,
            format!(r#"{{"__type":"{code}","message":"injected by the test proxy"}}"#),
        )
    } else {
        let code = if throttle {
            "TooManyRequestsException"
        } else {
            "InternalFailure"
        };
        (
            if throttle { 429 } else { 500 },
            "application/json",
            Some(code),
            r#"{"message":"injected by the test proxy"}"#.to_owned(),
        )
    };
    let mut resp = Response::builder()
        .status(status)
        .header("content-type", content_type);
    if let Some(code) = header {
        resp = resp.header("x-amzn-errortype", code);
    }
    resp.body(Full::new(Bytes::from(body)))
        .expect("disturbance response")
}

/// The access key of a SigV4 `Authorization` header.
fn access_key(headers: &hyper::HeaderMap) -> Option<&str> {
    let auth = headers.get("authorization")?.to_str().ok()?;
    let credential = auth.split("Credential=").nth(1)?;
    credential.split('/').next()
}

/// The access key an AssumeRole answer issued and the role's account.
fn issued(rec: &Recorded, answer: &str) -> Option<(String, String)> {
    if rec.operation() != "AssumeRole" {
        return None;
    }
    let role = rec
        .body
        .split('&')
        .find_map(|kv| kv.strip_prefix("RoleArn="))?
        .replace("%3A", ":");
    let account = role.split(':').nth(4)?.to_owned();
    let key = answer
        .split("<AccessKeyId>")
        .nth(1)?
        .split("</AccessKeyId>")
        .next()?
        .to_owned();
    Some((key, account))
}

pub struct Proxy {
    pub url: String,
    log: Arc<Mutex<Vec<Recorded>>>,
    fault: Arc<Mutex<Option<Fault>>>,
    responder: Arc<Mutex<Option<Responder>>>,
    disturber: Arc<Mutex<Option<Disturber>>>,
}

impl Proxy {
    pub fn start(upstream: &str) -> Proxy {
        let log = Arc::new(Mutex::new(Vec::new()));
        let fault: Arc<Mutex<Option<Fault>>> = Arc::new(Mutex::new(None));
        let responder: Arc<Mutex<Option<Responder>>> = Arc::new(Mutex::new(None));
        let disturber: Arc<Mutex<Option<Disturber>>> = Arc::new(Mutex::new(None));
        let disturber2 = disturber.clone();
        let upstream = upstream.trim_end_matches('/').to_owned();
        let (tx, rx) = std::sync::mpsc::channel::<SocketAddr>();
        let (log2, fault2, responder2) = (log.clone(), fault.clone(), responder.clone());
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("proxy runtime");
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("bind proxy");
                tx.send(listener.local_addr().expect("addr"))
                    .expect("send addr");
                let client: Client<_, Full<Bytes>> =
                    Client::builder(TokioExecutor::new()).build_http();
                // Access key -> account, learned from the AssumeRoles it forwards.
                let callers: Arc<Mutex<HashMap<String, String>>> = Arc::default();
                loop {
                    let Ok((stream, _)) = listener.accept().await else {
                        return;
                    };
                    let (client, upstream, log, fault, responder, disturber) = (
                        client.clone(),
                        upstream.clone(),
                        log2.clone(),
                        fault2.clone(),
                        responder2.clone(),
                        disturber2.clone(),
                    );
                    let callers = callers.clone();
                    tokio::spawn(async move {
                        let service = service_fn(move |req: Request<Incoming>| {
                            let (client, upstream, log, fault, responder, disturber) = (
                                client.clone(),
                                upstream.clone(),
                                log.clone(),
                                fault.clone(),
                                responder.clone(),
                                disturber.clone(),
                            );
                            let callers = callers.clone();
                            async move {
                                let (parts, body) = req.into_parts();
                                let body = body
                                    .collect()
                                    .await
                                    .map(|b| b.to_bytes())
                                    .unwrap_or_default();
                                let rec = Recorded {
                                    method: parts.method.to_string(),
                                    path: parts
                                        .uri
                                        .path_and_query()
                                        .map(|p| p.to_string())
                                        .unwrap_or_default(),
                                    target: parts
                                        .headers
                                        .get("x-amz-target")
                                        .and_then(|v| v.to_str().ok())
                                        .map(str::to_owned),
                                    body: String::from_utf8_lossy(&body).into_owned(),
                                    caller: access_key(&parts.headers)
                                        .and_then(|k| callers.lock().unwrap().get(k).cloned()),
                                };
                                let injected =
                                    fault.lock().unwrap().as_ref().is_some_and(|f| f(&rec));
                                log.lock().unwrap().push(rec.clone());
                                if injected {
                                    return Ok::<_, hyper::Error>(fault_response(&rec));
                                }
                                let disturbed =
                                    disturber.lock().unwrap().as_ref().and_then(|d| d(&rec));
                                match disturbed {
                                    Some(Disturbance::Hold) => {
                                        tokio::time::sleep(std::time::Duration::from_secs(3600))
                                            .await;
                                    }
                                    Some(d) => return Ok(disturbance_response(&rec, d)),
                                    None => {}
                                }
                                let canned =
                                    responder.lock().unwrap().as_ref().and_then(|r| r(&rec));
                                if let Some(c) = canned.or_else(|| emulator_gap(&rec)) {
                                    return Ok(Response::builder()
                                        .status(c.status)
                                        .header("content-type", c.content_type)
                                        .body(Full::new(Bytes::from(c.body)))
                                        .expect("canned response"));
                                }
                                let uri = format!("{upstream}{}", rec.path);
                                let mut fwd = Request::builder().method(parts.method).uri(uri);
                                for (k, v) in &parts.headers {
                                    fwd = fwd.header(k, v);
                                }
                                let resp = client
                                    .request(fwd.body(Full::new(body)).expect("request"))
                                    .await
                                    .expect("moto answered");
                                let (rparts, rbody) = resp.into_parts();
                                let rbody = rbody
                                    .collect()
                                    .await
                                    .map(|b| b.to_bytes())
                                    .unwrap_or_default();
                                if let Some((key, account)) =
                                    issued(&rec, &String::from_utf8_lossy(&rbody))
                                {
                                    callers.lock().unwrap().insert(key, account);
                                }
                                Ok(Response::from_parts(rparts, Full::new(rbody)))
                            }
                        });
                        let _ = hyper::server::conn::http1::Builder::new()
                            .serve_connection(TokioIo::new(stream), service)
                            .await;
                    });
                }
            });
        });
        let addr = rx.recv().expect("proxy address");
        Proxy {
            url: format!("http://{addr}"),
            log,
            fault,
            responder,
            disturber,
        }
    }

    pub fn clear(&self) {
        self.log.lock().unwrap().clear();
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.log.lock().unwrap().clone()
    }

    /// The first recorded request of operation `op`; panics naming it when there is none.
    pub fn first(&self, op: &str) -> Recorded {
        self.requests()
            .into_iter()
            .find(|r| r.operation() == op)
            .unwrap_or_else(|| panic!("no {op} request was sent"))
    }

    pub fn mutating(&self) -> Vec<String> {
        self.requests()
            .iter()
            .filter(|r| r.is_mutating())
            .map(|r| r.operation())
            .collect()
    }

    /// Answer every request matching `when` with an error instead of forwarding it.
    pub fn fail_when(&self, when: impl Fn(&Recorded) -> bool + Send + Sync + 'static) {
        *self.fault.lock().unwrap() = Some(Box::new(when));
    }

    /// Answer requests for which `respond` returns a response, without forwarding
    /// them: AWS behaviour the emulator cannot produce.
    pub fn respond_with(
        &self,
        respond: impl Fn(&Recorded) -> Option<Canned> + Send + Sync + 'static,
    ) {
        *self.responder.lock().unwrap() = Some(Box::new(respond));
    }

    pub fn heal(&self) {
        *self.fault.lock().unwrap() = None;
        *self.disturber.lock().unwrap() = None;
    }

    /// Throttle, fail with a 5xx, or hold back the answer to requests for
    /// which `how` says so (recorded either way), as AWS under load would.
    /// The disturbance set so far, for a test that wraps it in its own.
    pub fn take_disturber(&self) -> Option<Disturber> {
        self.disturber.lock().unwrap().take()
    }

    pub fn disturb(&self, how: impl Fn(&Recorded) -> Option<Disturbance> + Send + Sync + 'static) {
        *self.disturber.lock().unwrap() = Some(Box::new(how));
    }

    /// Throttle about `throttle_pct` and fail about `error_pct` percent of
    /// requests for which `when` holds, from a fixed pseudo-random sequence.
    pub fn disturb_randomly(
        &self,
        throttle_pct: u64,
        error_pct: u64,
        when: impl Fn(&Recorded) -> bool + Send + Sync + 'static,
    ) {
        let state = std::sync::atomic::AtomicU64::new(0x9E37_79B9_7F4A_7C15);
        self.disturb(move |rec| {
            if !when(rec) {
                return None;
            }
            // xorshift64*: deterministic, so a failing run can be replayed.
            let mut x = state.load(std::sync::atomic::Ordering::Relaxed);
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            state.store(x, std::sync::atomic::Ordering::Relaxed);
            let roll = x.wrapping_mul(0x2545_F491_4F6C_DD1D) % 100;
            if roll < throttle_pct {
                Some(Disturbance::Throttle)
            } else if roll < throttle_pct + error_pct {
                Some(Disturbance::ServerError)
            } else {
                None
            }
        });
    }
}

/// What moto has not implemented, answered as AWS answers it when the test
/// has not said otherwise: moto's HTTP 500 `NotImplementedError` is a server
/// error the SDK retries with backoff, about a minute per call, and real AWS
/// never sends it. Tests about these calls answer them with a responder.
fn emulator_gap(rec: &Recorded) -> Option<Canned> {
    match rec.operation().as_str() {
        // An endpoint service no consumer has asked to connect to yet: moto
        // does not model connection requests at all.
        "DescribeVpcEndpointConnections" => Some(Canned {
            status: 200,
            content_type: "text/xml".into(),
            body: r#"<DescribeVpcEndpointConnectionsResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>emulator-gap</requestId><vpcEndpointConnectionSet/></DescribeVpcEndpointConnectionsResponse>"#.into(),
        }),
        _ => None,
    }
}

impl Canned {
    /// STS's answer to an AssumeRole the caller may not make, as AWS words it.
    pub fn sts_access_denied(role_arn: &str) -> Self {
        Canned {
            status: 403,
            content_type: "text/xml".into(),
            body: format!(
                "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>User: arn:aws:iam::123456789012:user/testing is not authorized to perform: sts:AssumeRole on resource: {role_arn}</Message></Error><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ErrorResponse>"
            ),
        }
    }
}

impl Recorded {
    /// An STS AssumeRole request for a role in `account`.
    pub fn is_assume_role_into(&self, account: &str) -> bool {
        self.operation() == "AssumeRole" && self.body.contains(&format!("%3A{account}%3Arole"))
    }
}
