//! A private PostgreSQL server, started by thidua itself when no DATABASE_URL is given.
//!
//! The server listens only on a Unix socket in a fresh private folder, so it never clashes with
//! another PostgreSQL on the machine and nobody else can reach it. It is started from a thread
//! that lives as long as the process, with a parent-death signal, so that even if thidua is
//! killed the server shuts down instead of lingering.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use nix::sys::signal::{Signal, kill};
use nix::unistd::{Gid, Pid, Uid, User};
use sqlx::postgres::PgConnectOptions;

/// The database role `initdb` creates; it is the superuser of the private server only.
mod health;
pub use health::*;
mod server;
use server::*;
mod setup;
use setup::*;
mod files;
pub(crate) use files::*;

/// Where the PostgreSQL server programs are; tests start servers of their own with them.
pub fn server_programs() -> Option<PathBuf> {
    find_bindir()
}

const SUPERUSER: &str = "thidua";
const PORT: u16 = 5432;

pub struct EmbeddedOptions {
    pub data_dir: PathBuf,
    /// Throwaway servers (tests) trade durability for speed.
    pub ephemeral: bool,
}

pub struct EmbeddedPg {
    socket_dir: PathBuf,
    stop_tx: Option<mpsc::Sender<()>>,
    stopped_rx: Option<mpsc::Receiver<()>>,
    health: DbHealth,
}
