//! One module per AWS resource kind xapi makes: how it is made, waited for
//! and deleted, for every command that composes it. Their plans are pure,
//! in [`crate::plan`]; the SDK stays in [`crate::aws`].

pub mod domain;
pub mod front_api;
pub mod load_balancer;
pub mod nlb;
pub mod target_group;
pub mod vpc_link;
