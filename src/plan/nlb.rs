//! The load balancer chain a stack puts in front of its targets, as a pure
//! plan: internal network load balancer (cross-zone on) -> TCP 443 listener
//! -> IP target group. `wire-regional-front` (targets: the endpoint's
//! interfaces) and `mtls deploy` (targets: the proxy's tasks) both plan it
//! here; [`crate::infra::nlb`] applies the steps for both.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Action, Verb};
use crate::error::{Error, Result};
use crate::model::{
    HealthCheck, Listener, LoadBalancer, Target, TargetGroup, HTTPS_PORT, STACK_TAG,
};
use crate::stack::carries_stack;

/// The health check port that means "the port the targets serve on".
pub const TRAFFIC_PORT: &str = "traffic-port";

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct ObservedNlb {
    pub lb: LoadBalancer,
    pub tags: BTreeMap<String, String>,
    pub cross_zone: bool,
    pub listeners: Vec<Listener>,
}

impl ObservedNlb {
    /// The listener on the chain's port, if there is one.
    pub fn listener(&self) -> Option<&Listener> {
        self.listeners.iter().find(|l| l.port == HTTPS_PORT)
    }
}

#[derive(Debug, Clone, Serialize)]
#[cfg_attr(test, derive(schemars::JsonSchema))]
pub struct ObservedTg {
    pub tg: TargetGroup,
    pub tags: BTreeMap<String, String>,
    /// Registered and not draining.
    pub targets: Vec<Target>,
}

/// What the chain should be.
#[derive(Debug, Clone)]
pub struct Desired {
    pub stack: String,
    pub load_balancer: String,
    pub target_group: String,
    pub vpc_id: String,
    pub subnet_ids: Vec<String>,
    pub health: HealthCheck,
}

/// One call of the chain. The load balancer's and target group's ids are
/// not known here: the applier takes them from what was observed or what an
/// earlier step created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    CreateLoadBalancer {
        name: String,
        subnet_ids: Vec<String>,
    },
    /// Without it a load balancer node sends only to targets in its own
    /// zone, and a zone with no target answers nothing.
    EnableCrossZone,
    CreateTargetGroup {
        name: String,
        vpc_id: String,
        health: HealthCheck,
    },
    SetHealthCheck {
        health: HealthCheck,
    },
    /// On the load balancer, forwarding to the target group.
    CreateListener,
}

/// What the plan shows and the steps that make it so.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Chain {
    pub actions: Vec<Action>,
    pub steps: Vec<Step>,
}

fn not_ours(kind: &str, name: &str, stack: &str) -> Error {
    Error::BadInput(format!(
        "{kind} {name} exists but does not carry {STACK_TAG}={stack}; xapi will not take it over: pass another --name or remove it"
    ))
}

/// A setting AWS cannot change in place: the stack must be made again.
fn immutable(kind: &str, name: &str, is: &str, expected: &str, stack: &str) -> Error {
    Error::BadInput(format!(
        "{kind} {name} is {is}, not {expected} (this cannot change in place): delete it with `xapi teardown --stack {stack}` and re-run"
    ))
}

/// `traffic-port` and the traffic port's number are the same check.
fn same_port(a: &str, b: &str) -> bool {
    let canon = |p: &str| {
        if p == TRAFFIC_PORT {
            HTTPS_PORT.to_string()
        } else {
            p.to_owned()
        }
    };
    canon(a) == canon(b)
}

/// Whether a target group's health check asks what the chain wants asked.
/// The matcher is left out: a stricter one the owner chose still checks the same path.
pub fn health_matches(have: &HealthCheck, want: &HealthCheck) -> bool {
    have.protocol.eq_ignore_ascii_case(&want.protocol)
        && same_port(&have.port, &want.port)
        && have.path == want.path
}

/// `HTTPS /ping`, `HTTP 8080 /health`: a health check as the plan and doctor show it.
pub fn describe(h: &HealthCheck) -> String {
    let port = if h.port == TRAFFIC_PORT {
        String::new()
    } else {
        format!(" {}", h.port)
    };
    format!("{}{port} {}", h.protocol, h.path.as_deref().unwrap_or("-"))
}

/// The AWS CLI call that gives the target group `tg_arn` the health check `h`.
pub fn set_health_command(tg_arn: &str, h: &HealthCheck) -> String {
    format!(
        "aws elbv2 modify-target-group --target-group-arn {tg_arn} --health-check-protocol {} --health-check-port {} --health-check-path {}",
        h.protocol,
        h.port,
        h.path.as_deref().unwrap_or("/")
    )
}

/// Plan the chain from what exists. Refuses (bad input) a namesake the
/// stack does not own and settings that cannot change in place; a health
/// check and cross-zone load balancing are changed in place.
pub fn plan(lb: Option<&ObservedNlb>, tg: Option<&ObservedTg>, want: &Desired) -> Result<Chain> {
    let mut chain = Chain::default();
    let stack = want.stack.as_str();
    let listener = format!("{} TCP {HTTPS_PORT}", want.load_balancer);

    match lb {
        None => {
            chain.actions.push(Action::new(
                Verb::Create,
                "load-balancer",
                &want.load_balancer,
                vec![format!(
                    "internal network load balancer in {}, cross-zone on",
                    want.subnet_ids.join(", ")
                )],
            ));
            chain.steps.push(Step::CreateLoadBalancer {
                name: want.load_balancer.clone(),
                subnet_ids: want.subnet_ids.clone(),
            });
            chain.steps.push(Step::EnableCrossZone);
        }
        Some(n) => {
            let l = &n.lb;
            if !carries_stack(&n.tags, stack) {
                return Err(not_ours("load balancer", &l.name, stack));
            }
            if l.scheme != "internal" || !l.lb_type.eq_ignore_ascii_case("network") {
                return Err(immutable(
                    "load balancer",
                    &l.name,
                    &format!("{} {}", l.scheme, l.lb_type),
                    "an internal network load balancer",
                    stack,
                ));
            }
            if l.vpc_id != want.vpc_id {
                return Err(immutable(
                    "load balancer",
                    &l.name,
                    &format!("in {}", l.vpc_id),
                    &format!("in {}", want.vpc_id),
                    stack,
                ));
            }
            chain.actions.push(Action::new(
                Verb::Reuse,
                "load-balancer",
                &l.name,
                vec![l.arn.clone()],
            ));
            if !n.cross_zone {
                chain.actions.push(Action::new(
                    Verb::Change,
                    "load-balancer",
                    &l.name,
                    vec!["turn cross-zone load balancing on".into()],
                ));
                chain.steps.push(Step::EnableCrossZone);
            }
        }
    }

    match tg {
        None => {
            chain.actions.push(Action::new(
                Verb::Create,
                "target-group",
                &want.target_group,
                vec![format!(
                    "ip targets, TCP {HTTPS_PORT}, health check {} ({})",
                    describe(&want.health),
                    want.health.matcher.as_deref().unwrap_or("-")
                )],
            ));
            chain.steps.push(Step::CreateTargetGroup {
                name: want.target_group.clone(),
                vpc_id: want.vpc_id.clone(),
                health: want.health.clone(),
            });
        }
        Some(t) => {
            let g = &t.tg;
            if !carries_stack(&t.tags, stack) {
                return Err(not_ours("target group", &g.name, stack));
            }
            if !g.target_type.eq_ignore_ascii_case("ip")
                || g.protocol != "TCP"
                || g.port != HTTPS_PORT
                || g.vpc_id != want.vpc_id
            {
                return Err(immutable(
                    "target group",
                    &g.name,
                    &format!(
                        "{} {}:{} in {}",
                        g.target_type, g.protocol, g.port, g.vpc_id
                    ),
                    &format!("ip TCP:{HTTPS_PORT} in {}", want.vpc_id),
                    stack,
                ));
            }
            chain.actions.push(Action::new(
                Verb::Reuse,
                "target-group",
                &g.name,
                vec![g.arn.clone()],
            ));
            if !health_matches(&g.health_check, &want.health) {
                chain.actions.push(Action::new(
                    Verb::Change,
                    "target-group",
                    &g.name,
                    vec![format!(
                        "health check {} -> {}",
                        describe(&g.health_check),
                        describe(&want.health)
                    )],
                ));
                chain.steps.push(Step::SetHealthCheck {
                    health: want.health.clone(),
                });
            }
        }
    }

    match lb.and_then(ObservedNlb::listener) {
        None => {
            chain.actions.push(Action::new(
                Verb::Create,
                "listener",
                &listener,
                vec![format!("forward to {}", want.target_group)],
            ));
            chain.steps.push(Step::CreateListener);
        }
        Some(l) => {
            let forwards_to_ours =
                tg.is_some_and(|t| l.forward_target_group_arns.contains(&t.tg.arn));
            if l.protocol != "TCP" || !forwards_to_ours {
                return Err(Error::BadInput(format!(
                    "listener {} on port {HTTPS_PORT} is {} forwarding to {}, not TCP to {}: remove it or pass another --name",
                    l.arn,
                    l.protocol,
                    l.forward_target_group_arns.join(", "),
                    want.target_group
                )));
            }
            chain.actions.push(Action::new(
                Verb::Reuse,
                "listener",
                &listener,
                vec![l.arn.clone()],
            ));
        }
    }
    Ok(chain)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::exit;
    use proptest::prelude::*;

    const VPC: &str = "vpc-1";
    const OTHER_VPC: &str = "vpc-2";

    fn want() -> Desired {
        Desired {
            stack: "orders".into(),
            load_balancer: "orders-nlb".into(),
            target_group: "orders-tg".into(),
            vpc_id: VPC.into(),
            subnet_ids: vec!["subnet-a".into(), "subnet-b".into()],
            health: HealthCheck {
                protocol: "HTTP".into(),
                port: "8080".into(),
                path: Some("/health".into()),
                matcher: Some("200-399".into()),
            },
        }
    }

    fn ours() -> BTreeMap<String, String> {
        BTreeMap::from([(STACK_TAG.to_owned(), "orders".to_owned())])
    }

    fn lb(name: &str, arn: &str) -> ObservedNlb {
        ObservedNlb {
            lb: LoadBalancer {
                arn: arn.into(),
                name: name.into(),
                dns_name: format!("{name}.elb"),
                scheme: "internal".into(),
                lb_type: "network".into(),
                state: "active".into(),
                vpc_id: VPC.into(),
                subnet_ids: want().subnet_ids,
                availability_zones: vec![],
                security_groups: vec![],
            },
            tags: ours(),
            cross_zone: false,
            listeners: vec![],
        }
    }

    fn tg(name: &str, arn: &str, vpc: &str, health: HealthCheck) -> ObservedTg {
        ObservedTg {
            tg: TargetGroup {
                arn: arn.into(),
                name: name.into(),
                protocol: "TCP".into(),
                port: HTTPS_PORT,
                target_type: "ip".into(),
                vpc_id: vpc.into(),
                health_check: health,
                load_balancer_arns: vec![],
            },
            tags: ours(),
            targets: vec![],
        }
    }

    fn listener(protocol: &str, to: &str) -> Listener {
        Listener {
            arn: "arn:listener".into(),
            port: HTTPS_PORT,
            protocol: protocol.into(),
            forward_target_group_arns: vec![to.into()],
        }
    }

    /// What AWS holds after the applier makes `steps`' calls in order; a
    /// step that needs a resource no earlier step or observation gave fails
    /// here as it would in the applier.
    fn apply(
        mut lb_seen: Option<ObservedNlb>,
        mut tg_seen: Option<ObservedTg>,
        steps: &[Step],
    ) -> (Option<ObservedNlb>, Option<ObservedTg>) {
        for step in steps {
            match step {
                Step::CreateLoadBalancer { name, subnet_ids } => {
                    assert!(lb_seen.is_none(), "a second load balancer named {name}");
                    let mut made = lb(name, "arn:lb:made");
                    made.lb.subnet_ids.clone_from(subnet_ids);
                    lb_seen = Some(made);
                }
                Step::EnableCrossZone => {
                    lb_seen.as_mut().expect("no load balancer").cross_zone = true;
                }
                Step::CreateTargetGroup {
                    name,
                    vpc_id,
                    health,
                } => {
                    assert!(tg_seen.is_none(), "a second target group named {name}");
                    tg_seen = Some(tg(name, "arn:tg:made", vpc_id, health.clone()));
                }
                Step::SetHealthCheck { health } => {
                    tg_seen.as_mut().expect("no target group").tg.health_check = health.clone();
                }
                Step::CreateListener => {
                    let to = tg_seen.as_ref().expect("no target group").tg.arn.clone();
                    let n = lb_seen.as_mut().expect("no load balancer");
                    assert!(n.listener().is_none(), "a second listener on {HTTPS_PORT}");
                    n.listeners.push(listener("TCP", &to));
                }
            }
        }
        (lb_seen, tg_seen)
    }

    fn refused(lb: Option<&ObservedNlb>, tg: Option<&ObservedTg>, needle: &str) {
        let err = plan(lb, tg, &want()).unwrap_err();
        assert_eq!(err.exit_code(), exit::BAD_INPUT, "{err}");
        assert!(err.to_string().contains(needle), "{needle}: {err}");
    }

    #[test]
    fn a_fresh_account_gets_the_whole_chain_in_dependency_order() {
        let chain = plan(None, None, &want()).unwrap();
        assert_eq!(
            chain.steps,
            [
                Step::CreateLoadBalancer {
                    name: "orders-nlb".into(),
                    subnet_ids: want().subnet_ids
                },
                Step::EnableCrossZone,
                Step::CreateTargetGroup {
                    name: "orders-tg".into(),
                    vpc_id: VPC.into(),
                    health: want().health
                },
                Step::CreateListener,
            ]
        );
        let (lb, tg) = apply(None, None, &chain.steps);
        let again = plan(lb.as_ref(), tg.as_ref(), &want()).unwrap();
        assert_eq!(again.steps, []);
        assert!(again.actions.iter().all(|a| a.verb == Verb::Reuse));
    }

    #[test]
    fn health_checks_compare_what_is_asked_not_how_it_is_spelled() {
        let mut h = want().health;
        h.protocol = "http".into();
        h.matcher = Some("200".into());
        assert!(health_matches(&h, &want().health));
        let mut traffic = want().health;
        traffic.port = TRAFFIC_PORT.into();
        let mut on_443 = want().health;
        on_443.port = HTTPS_PORT.to_string();
        assert!(health_matches(&traffic, &on_443));
        assert!(!health_matches(&traffic, &want().health));
        let mut other_path = want().health;
        other_path.path = Some("/".into());
        assert!(!health_matches(&other_path, &want().health));
        assert_eq!(describe(&traffic), "HTTP /health");
        assert_eq!(describe(&want().health), "HTTP 8080 /health");
        // The fix doctor prints sets every part the comparison looks at.
        assert_eq!(
            set_health_command("arn:tg", &want().health),
            "aws elbv2 modify-target-group --target-group-arn arn:tg --health-check-protocol HTTP \
             --health-check-port 8080 --health-check-path /health"
        );
    }

    #[test]
    fn namesakes_and_settings_that_cannot_change_are_refused() {
        let health = want().health;
        let mut foreign = lb("orders-nlb", "arn:lb");
        foreign.tags.clear();
        refused(
            Some(&foreign),
            None,
            "load balancer orders-nlb exists but does not carry xapi:stack=orders",
        );
        let mut public = lb("orders-nlb", "arn:lb");
        public.lb.scheme = "internet-facing".into();
        refused(
            Some(&public),
            None,
            "is internet-facing network, not an internal network load balancer",
        );
        let mut elsewhere = lb("orders-nlb", "arn:lb");
        elsewhere.lb.vpc_id = OTHER_VPC.into();
        refused(Some(&elsewhere), None, "is in vpc-2, not in vpc-1");

        let mut foreign = tg("orders-tg", "arn:tg", VPC, health.clone());
        foreign.tags.insert(STACK_TAG.into(), "billing".into());
        refused(
            None,
            Some(&foreign),
            "target group orders-tg exists but does not carry",
        );
        refused(
            None,
            Some(&tg("orders-tg", "arn:tg", OTHER_VPC, health.clone())),
            "ip TCP:443 in vpc-2, not ip TCP:443 in vpc-1",
        );
        let mut udp = tg("orders-tg", "arn:tg", VPC, health.clone());
        udp.tg.protocol = "UDP".into();
        refused(None, Some(&udp), "is ip UDP:443");

        let mut elsewhere = lb("orders-nlb", "arn:lb");
        elsewhere.listeners.push(listener("TCP", "arn:tg:theirs"));
        refused(
            Some(&elsewhere),
            Some(&tg("orders-tg", "arn:tg", VPC, health.clone())),
            "listener arn:listener on port 443 is TCP forwarding to arn:tg:theirs, not TCP to orders-tg",
        );
        // A listener that forwards to no group of ours yet is someone else's too.
        refused(Some(&elsewhere), None, "not TCP to orders-tg");
        let mut tls = lb("orders-nlb", "arn:lb");
        tls.listeners.push(listener("TLS", "arn:tg"));
        refused(
            Some(&tls),
            Some(&tg("orders-tg", "arn:tg", VPC, health)),
            "is TLS forwarding",
        );
    }

    #[derive(Debug, Clone)]
    enum LbCase {
        Absent,
        Ours {
            cross_zone: bool,
            listener: ListenerCase,
        },
        Foreign,
        Public,
        OtherVpc,
    }

    #[derive(Debug, Clone)]
    enum ListenerCase {
        Absent,
        ToOurs,
        ToTheirs,
        Udp,
    }

    #[derive(Debug, Clone)]
    enum TgCase {
        Absent,
        Ours {
            protocol: &'static str,
            port: &'static str,
            path: &'static str,
        },
        Foreign,
        OtherVpc,
        WrongPort,
    }

    fn lb_case() -> impl Strategy<Value = LbCase> {
        let listener = prop_oneof![
            Just(ListenerCase::Absent),
            Just(ListenerCase::ToOurs),
            Just(ListenerCase::ToTheirs),
            Just(ListenerCase::Udp),
        ];
        prop_oneof![
            Just(LbCase::Absent),
            (any::<bool>(), listener).prop_map(|(cross_zone, listener)| LbCase::Ours {
                cross_zone,
                listener
            }),
            Just(LbCase::Foreign),
            Just(LbCase::Public),
            Just(LbCase::OtherVpc),
        ]
    }

    fn tg_case() -> impl Strategy<Value = TgCase> {
        prop_oneof![
            Just(TgCase::Absent),
            (
                prop::sample::select(vec!["HTTP", "HTTPS", "TCP"]),
                prop::sample::select(vec!["8080", TRAFFIC_PORT, "443"]),
                prop::sample::select(vec!["/health", "/ping", "/"]),
            )
                .prop_map(|(protocol, port, path)| TgCase::Ours {
                    protocol,
                    port,
                    path
                }),
            Just(TgCase::Foreign),
            Just(TgCase::OtherVpc),
            Just(TgCase::WrongPort),
        ]
    }

    fn build(l: &LbCase, t: &TgCase) -> (Option<ObservedNlb>, Option<ObservedTg>) {
        let tg_seen = match t {
            TgCase::Absent => None,
            TgCase::Ours {
                protocol,
                port,
                path,
            } => Some(tg(
                "orders-tg",
                "arn:tg",
                VPC,
                HealthCheck {
                    protocol: (*protocol).into(),
                    port: (*port).into(),
                    path: Some((*path).into()),
                    matcher: Some("200-399".into()),
                },
            )),
            TgCase::Foreign => {
                let mut g = tg("orders-tg", "arn:tg", VPC, want().health);
                g.tags.clear();
                Some(g)
            }
            TgCase::OtherVpc => Some(tg("orders-tg", "arn:tg", OTHER_VPC, want().health)),
            TgCase::WrongPort => {
                let mut g = tg("orders-tg", "arn:tg", VPC, want().health);
                g.tg.port = 80;
                Some(g)
            }
        };
        let lb_seen = match l {
            LbCase::Absent => None,
            LbCase::Ours {
                cross_zone,
                listener: to,
            } => {
                let mut n = lb("orders-nlb", "arn:lb");
                n.cross_zone = *cross_zone;
                match to {
                    ListenerCase::Absent => {}
                    ListenerCase::ToOurs => n.listeners.push(listener("TCP", "arn:tg")),
                    ListenerCase::ToTheirs => n.listeners.push(listener("TCP", "arn:tg:theirs")),
                    ListenerCase::Udp => n.listeners.push(listener("UDP", "arn:tg")),
                }
                Some(n)
            }
            LbCase::Foreign => {
                let mut n = lb("orders-nlb", "arn:lb");
                n.tags.clear();
                Some(n)
            }
            LbCase::Public => {
                let mut n = lb("orders-nlb", "arn:lb");
                n.lb.scheme = "internet-facing".into();
                Some(n)
            }
            LbCase::OtherVpc => {
                let mut n = lb("orders-nlb", "arn:lb");
                n.lb.vpc_id = OTHER_VPC.into();
                Some(n)
            }
        };
        (lb_seen, tg_seen)
    }

    proptest! {
        /// The chain's promise in its strongest form: from any state, the plan
        /// is refused exactly when something the stack does not own or cannot
        /// change is in the way; otherwise its steps, applied, leave a chain
        /// that plans to nothing, and a step is planned only where the chain
        /// was not yet as wanted.
        #[test]
        fn every_plan_is_refused_or_converges_in_one_apply(l in lb_case(), t in tg_case()) {
            let (lb_seen, tg_seen) = build(&l, &t);
            let blocked = matches!(l, LbCase::Foreign | LbCase::Public | LbCase::OtherVpc)
                || matches!(t, TgCase::Foreign | TgCase::OtherVpc | TgCase::WrongPort)
                || matches!(
                    l,
                    LbCase::Ours { listener: ListenerCase::ToTheirs | ListenerCase::Udp, .. }
                )
                // A listener that exists before its group does forwards elsewhere.
                || matches!(
                    (&l, &t),
                    (LbCase::Ours { listener: ListenerCase::ToOurs, .. }, TgCase::Absent)
                );
            let planned = plan(lb_seen.as_ref(), tg_seen.as_ref(), &want());
            prop_assert_eq!(planned.is_err(), blocked, "{:?}", planned);
            let Ok(chain) = planned else { return Ok(()) };
            let (lb_after, tg_after) = apply(lb_seen.clone(), tg_seen.clone(), &chain.steps);
            let again = plan(lb_after.as_ref(), tg_after.as_ref(), &want()).unwrap();
            prop_assert_eq!(&again.steps, &Vec::<Step>::new());
            // Nothing is changed that was already right.
            let already = |s: &Step| match s {
                Step::EnableCrossZone => lb_seen.as_ref().is_some_and(|n| n.cross_zone),
                Step::SetHealthCheck { .. } => tg_seen
                    .as_ref()
                    .is_some_and(|g| health_matches(&g.tg.health_check, &want().health)),
                _ => false,
            };
            prop_assert!(!chain.steps.iter().any(already), "{:?}", chain.steps);
            // Every step is shown: no call the plan does not name.
            prop_assert_eq!(
                chain.actions.iter().filter(|a| a.verb != Verb::Reuse).count(),
                chain.steps.iter().filter(|s| !matches!(s, Step::EnableCrossZone) || lb_seen.is_some()).count()
            );
        }
    }
}
