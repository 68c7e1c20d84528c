use super::*;

/// PostgreSQL writes its pid on the first line of postmaster.pid and "ready" on the eighth once
/// it accepts connections; the pid tells this server's file from the one a killed server left.
pub(super) fn postmaster_ready(pid_file: &Path, pid: u32) -> bool {
    let Ok(text) = fs::read_to_string(pid_file) else {
        return false;
    };
    let mut lines = text.lines();
    lines.next().map(str::trim) == Some(pid.to_string().as_str())
        && lines.nth(6).map(str::trim) == Some("ready")
}

pub(super) struct RunAs {
    pub(super) uid: Uid,
    pub(super) gid: Gid,
}

impl EmbeddedPg {
    /// Finds the server binaries, creates the cluster on first use, starts the server and waits
    /// until it accepts connections.
    pub async fn start(opts: EmbeddedOptions) -> Result<EmbeddedPg> {
        let bindir = find_bindir().ok_or_else(|| anyhow!(NO_BINARIES))?;
        let run_as = if Uid::effective().is_root() {
            let user = User::from_name("postgres")
                .context("không đọc được tài khoản hệ thống 'postgres'")?
                .ok_or_else(|| {
                    anyhow!(
                        "thidua is running as root, and PostgreSQL refuses to run as root, but there \
                         is no 'postgres' system user to run it as. Install the PostgreSQL server \
                         package (it creates that user), run thidua as an ordinary user, or set \
                         DATABASE_URL."
                    )
                })?;
            Some(RunAs {
                uid: user.uid,
                gid: user.gid,
            })
        } else {
            None
        };

        let data_dir = absolute(&opts.data_dir)?;
        let prepared = {
            let data_dir = data_dir.clone();
            let bindir = bindir.clone();
            tokio::task::spawn_blocking(move || prepare(&bindir, &data_dir, run_as.as_ref()))
                .await??
        };
        let socket_dir = prepared.socket_dir.clone();

        let mut cmd = Command::new(bindir.join("postgres"));
        cmd.arg("-D")
            .arg(&data_dir)
            .arg("-k")
            .arg(&socket_dir)
            .arg("-p")
            .arg(PORT.to_string())
            .args(["-c", "listen_addresses="])
            .args(["-c", "unix_socket_permissions=0700"])
            .args(["-c", "max_connections=200"]);
        if opts.ephemeral {
            cmd.args(["-c", "fsync=off"])
                .args(["-c", "synchronous_commit=off"])
                .args(["-c", "full_page_writes=off"])
                // The tests count each page's statements. Every test has a database of its
                // own, so entries are per test: room for all of them, none evicted mid-count.
                .args(["-c", "shared_preload_libraries=pg_stat_statements"])
                .args(["-c", "pg_stat_statements.max=50000"]);
        }
        cmd.stdin(Stdio::null())
            .stdout(Stdio::from(prepared.log.try_clone()?))
            .stderr(Stdio::from(prepared.log))
            // Its own process group: Ctrl-C in the terminal reaches thidua, which then stops
            // the server in order, instead of both racing.
            .process_group(0);
        if let Some(r) = &prepared.run_as {
            cmd.uid(r.uid.as_raw()).gid(r.gid.as_raw());
        }
        // SAFETY: prctl is async-signal-safe and touches only the calling (child) process.
        unsafe {
            cmd.pre_exec(|| {
                nix::sys::prctl::set_pdeathsig(Signal::SIGINT).map_err(std::io::Error::from)
            });
        }

        let (stop_tx, stop_rx) = mpsc::channel::<()>();
        let (stopped_tx, stopped_rx) = mpsc::channel::<()>();
        let (spawned_tx, spawned_rx) = mpsc::channel::<std::io::Result<u32>>();
        let health = DbHealth::default();
        let watched = health.clone();
        let pid_file = data_dir.join("postmaster.pid");
        // The parent-death signal fires when the *thread* that spawned the child ends, so the
        // child is spawned and owned by a thread that lives until the server is stopped. The
        // same thread notices when the server dies (kill -9, a fast shutdown from outside) and
        // starts it again, a bounded number of times.
        std::thread::Builder::new()
            .name("postgres-owner".into())
            .spawn(move || {
                let mut child = match cmd.spawn() {
                    Ok(c) => c,
                    Err(e) => {
                        let _ = spawned_tx.send(Err(e));
                        return;
                    }
                };
                let _ = spawned_tx.send(Ok(child.id()));
                let mut restarts = 0u32;
                let mut up_since = Instant::now();
                // Once reaped, the child's pid may belong to someone else: never signal it.
                let mut reaped = false;
                // A server that never got ready is a failed start, reported by `wait_ready` at
                // once with its log; only a server that was up is started again.
                let mut was_ready = false;
                loop {
                    match stop_rx.recv_timeout(Duration::from_millis(200)) {
                        Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => break,
                        Err(mpsc::RecvTimeoutError::Timeout) => {}
                    }
                    if watched.state() == DbState::Restarting
                        && postmaster_ready(&pid_file, child.id())
                    {
                        tracing::warn!("the private PostgreSQL server is back");
                        watched.set(DbState::Up);
                        up_since = Instant::now();
                    }
                    was_ready = was_ready || postmaster_ready(&pid_file, child.id());
                    let Ok(Some(status)) = child.try_wait() else {
                        continue;
                    };
                    if !was_ready {
                        watched.set(DbState::Failed);
                        reaped = true;
                        break;
                    }
                    // A server that stayed up a while earns its attempts back.
                    if up_since.elapsed() > RESTART_WINDOW {
                        restarts = 0;
                    }
                    if restarts >= MAX_RESTARTS {
                        tracing::error!(
                            %status, restarts,
                            "the private PostgreSQL server keeps dying; giving up, see {}",
                            pid_file.with_file_name("thidua-server.log").display()
                        );
                        watched.set(DbState::Failed);
                        reaped = true;
                        break;
                    }
                    restarts += 1;
                    watched.set(DbState::Restarting);
                    tracing::error!(
                        %status, attempt = restarts, of = MAX_RESTARTS,
                        "the private PostgreSQL server exited; starting it again"
                    );
                    // Its old backends must be gone before a new server can take the folder.
                    std::thread::sleep(Duration::from_secs(u64::from(restarts)));
                    match cmd.spawn() {
                        Ok(c) => child = c,
                        Err(e) => {
                            tracing::error!(error = %e, "could not start PostgreSQL again");
                            watched.set(DbState::Failed);
                            reaped = true;
                            break;
                        }
                    }
                }
                if reaped {
                    let _ = stopped_tx.send(());
                    return;
                }
                let pid = Pid::from_raw(child.id() as i32);
                // SIGINT is PostgreSQL's "fast shutdown": roll back, checkpoint, exit.
                let _ = kill(pid, Signal::SIGINT);
                let deadline = Instant::now() + Duration::from_secs(30);
                loop {
                    match child.try_wait() {
                        Ok(Some(_)) | Err(_) => break,
                        Ok(None) if Instant::now() > deadline => {
                            let _ = kill(pid, Signal::SIGQUIT);
                            let _ = child.wait();
                            break;
                        }
                        Ok(None) => std::thread::sleep(Duration::from_millis(50)),
                    }
                }
                let _ = stopped_tx.send(());
            })?;
        let pid = spawned_rx
            .recv()
            .map_err(|_| anyhow!("the postgres owner thread ended early"))?
            .context("could not start the postgres server process")?;

        let pg = EmbeddedPg {
            socket_dir,
            stop_tx: Some(stop_tx),
            stopped_rx: Some(stopped_rx),
            health,
        };
        pg.wait_ready(pid, &data_dir).await?;
        Ok(pg)
    }

    async fn wait_ready(&self, pid: u32, data_dir: &Path) -> Result<()> {
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            // The owner thread reaps a server that exits, so a failed start shows here at once.
            if self.health.state() == DbState::Failed
                || kill(Pid::from_raw(pid as i32), None).is_err()
            {
                bail!(
                    "the private PostgreSQL server stopped while starting; its log is {}:\n{}",
                    log_path(data_dir).display(),
                    tail(&log_path(data_dir))
                );
            }
            if sqlx::Connection::connect_with(&self.connect_options("postgres"))
                .await
                .map(|c: sqlx::PgConnection| drop(c))
                .is_ok()
            {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!(
                    "the private PostgreSQL server did not accept connections within 60 s; log: {}",
                    log_path(data_dir).display()
                );
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Up, restarting or failed, as the owner thread sees it.
    pub fn health(&self) -> DbHealth {
        self.health.clone()
    }

    pub fn connect_options(&self, database: &str) -> PgConnectOptions {
        PgConnectOptions::new()
            .socket(&self.socket_dir)
            .port(PORT)
            .username(SUPERUSER)
            .database(database)
    }

    /// Stops the server and waits until it has exited.
    pub fn stop(&mut self) {
        if let Some(tx) = self.stop_tx.take() {
            let _ = tx.send(());
            if let Some(rx) = self.stopped_rx.take() {
                let _ = rx.recv_timeout(Duration::from_secs(40));
            }
            let _ = fs::remove_dir_all(&self.socket_dir);
        }
    }
}

impl Drop for EmbeddedPg {
    fn drop(&mut self) {
        self.stop();
    }
}
