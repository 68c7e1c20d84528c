//! Integration tests: real PostgreSQL, the real router over HTTP, a real browser.

mod harness;

mod auth;
mod authz;
mod backup;
mod browser;
mod cache;
mod connections;
mod criteria;
mod cycle;
mod dead_db;
mod dossier_print;
mod evidence_files;
mod flood;
mod fuzz;
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
mod sessions;
mod statements;
mod tenancy;
mod throttle;
mod uploads;
mod voting;
mod voting_secret;
mod walk;
mod walk_voting;
