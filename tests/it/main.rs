//! Every integration test in one binary, so the AWS SDK is linked once rather than once
//! per test file (most of the test build's time). Tests against the local AWS need
//! `XAPI_TEST_AWS_ENDPOINT` (set by `scripts/test.sh`).

mod common;

mod audit;
mod cli;
mod doctor;
mod domain;
mod domain_consumer;
mod endpoint;
mod errors;
mod front;
mod grant;
mod help;
mod layers;
mod lease;
mod mtls;
mod mtls_nginx;
mod plans_access;
mod plans_infra;
mod plans_mtls;
mod reapply;
mod replay;
mod stages;
