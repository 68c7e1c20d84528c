//! Integration tests: real PostgreSQL, the real router over HTTP, a real browser.

mod harness;

mod auth;
mod authz;
mod browser;
mod criteria;
mod cycle;
mod import;
mod org;
mod platform;
mod scoring;
mod tenancy;
mod voting;
