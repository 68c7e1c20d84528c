//! Integration tests: real PostgreSQL, the real router over HTTP, a real browser.

mod harness;

mod auth;
mod authz;
mod browser;
mod cache;
mod criteria;
mod cycle;
mod dossier_print;
mod import;
mod national;
mod office;
mod org;
mod platform;
mod proposals;
mod reports;
mod request_path;
mod scoring;
mod search_plan;
mod statements;
mod tenancy;
mod voting;
mod voting_secret;
