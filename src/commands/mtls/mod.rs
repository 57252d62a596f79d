//! `xapi mtls certs|render|deploy|allow|show`: pattern 3, an mTLS front door
//! for a private API (see [`crate::mtls`] for the proxy itself).

pub mod accept;
pub mod allow;
pub mod certs;
pub mod deploy;
pub mod render;
pub mod revoke_client;
pub mod show;
