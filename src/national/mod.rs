//! A national-scale data generator for benchmarks (`thidua generate`): tenants, units, users,
//! clusters and, for every cluster and year, the whole cycle as the pages read it — members,
//! leader and deputy, a frozen criteria table, scored and verified sheets with some evidence, a
//! locked pledge with every signature, registrations, closed award and election votes with their
//! ballots, a decided dossier with nominees, the council's decision and the units' awards.
//!
//! Everything is written with set-based SQL (`INSERT … SELECT` over `generate_series` and small
//! temporary tables), one transaction per tenant, on the owner's connection. Each tenant's
//! transaction runs as `thidua_app` with `app.tenant_id` set, exactly like a request: row-level
//! security checks every row written, foreign keys and the deferred leader/deputy trigger run as
//! usual, and audit rows are only appended. No row makes a round trip of its own: ids are drawn
//! from the tables' own sequences inside the statements, and one argon2 hash serves every account.
//!
//! The figures are made so that results are unambiguous: in every cluster year the members have
//! distinct verified totals (the unit with quality `q` loses `q` points, one step more for two of
//! them on verification), so ranks, ratings, vote outcomes and nominees follow without ties.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail, ensure};
use serde::Serialize;
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection, Executor, PgConnection};

use crate::audit::{self, Actor};
use crate::config::DbArgs;
use crate::db::Database;

/// Runs one statement with its binds and counts the rows it wrote under `table`.
macro_rules! exec {
    ($run:expr, $conn:expr, $table:expr, $sql:expr $(, $bind:expr)* $(,)?) => {{
        let started = Instant::now();
        let n = sqlx::query($sql)
            $(.bind($bind))*
            .execute(&mut *$conn)
            .await
            .with_context(|| format!("generating {}", $table))?
            .rows_affected();
        $run.spent($table, started);
        if !$table.starts_with("gen_") {
            $run.count($table, n);
        }
        n
    }};
}

mod params;
pub use params::*;
mod vocabulary;
use vocabulary::*;
mod layout;
use layout::*;
mod plan;
use plan::*;
mod run;
pub use run::*;
mod people;
use people::*;
mod clusters;
use clusters::*;
mod criteria;
use criteria::*;
mod cycle;
use cycle::*;
mod scoring;
use scoring::*;
mod votes;
use votes::*;
mod dossiers;
use dossiers::*;

#[cfg(test)]
mod tests;
