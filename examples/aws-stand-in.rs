//! The demo's stand-in for what the local AWS (moto) cannot answer for
//! pattern 4: private custom domain names, their access associations and
//! AWS RAM shares of them, in the shapes AWS sends (docs/emulator.md,
//! canned answers D1-D4 and R1-R4). Everything else goes on to moto.
//!
//! It is the test suite's own fake (tests/it/common), so the demo and the
//! tests rely on the same answers. Two accounts, two proxies:
//!
//!     cargo run --example aws-stand-in -- UPSTREAM PRODUCER CONSUMER
//!
//! prints `PRODUCER_URL=...` and `CONSUMER_URL=...` for a shell to eval,
//! then serves until its standard input closes.

#![allow(
    dead_code,
    reason = "the test suite's fake, of which the demo uses a part"
)]

use std::io::Read;

#[path = "../tests/it/common/domains.rs"]
mod domains;
#[path = "../tests/it/common/proxy.rs"]
mod proxy;

/// The Region the fake's ARNs name (the demo's).
const REGION: &str = "us-east-1";

use domains::serve_pair;
use proxy::Proxy;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [upstream, producer, consumer] = args.as_slice() else {
        eprintln!("usage: aws-stand-in UPSTREAM PRODUCER_ACCOUNT CONSUMER_ACCOUNT");
        std::process::exit(2);
    };
    let (p, c) = (Proxy::start(upstream), Proxy::start(upstream));
    let _states = serve_pair(&p, &c, producer, consumer);
    println!("PRODUCER_URL={}", p.url);
    println!("CONSUMER_URL={}", c.url);
    // Serve until whoever started us closes our input (the demo's exit).
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
}
