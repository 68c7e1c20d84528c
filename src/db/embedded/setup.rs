use super::*;

pub(super) const NO_BINARIES: &str = "PostgreSQL server programs (initdb, postgres) were not found on PATH, \
    via pg_config, or under /usr/lib/postgresql/*/bin.\n\
    Install the PostgreSQL server package (Debian/Ubuntu: `apt-get install postgresql`; \
    Fedora: `dnf install postgresql-server`; macOS: `brew install postgresql`), \
    or set DATABASE_URL to use an existing server.";

pub(super) struct Prepared {
    pub(super) socket_dir: PathBuf,
    pub(super) log: fs::File,
    pub(super) run_as: Option<RunAs>,
}

pub(super) fn prepare(bindir: &Path, data_dir: &Path, run_as: Option<&RunAs>) -> Result<Prepared> {
    let run_as = run_as.map(|r| RunAs {
        uid: r.uid,
        gid: r.gid,
    });
    if !data_dir.join("PG_VERSION").exists() {
        initdb(bindir, data_dir, run_as.as_ref())?;
    } else {
        check_pid_file(data_dir)?;
    }

    remove_stale_socket_dirs();
    let socket_dir = std::env::temp_dir().join(format!(
        "thidua-pg-{}-{}",
        std::process::id(),
        random_suffix()
    ));
    fs::create_dir(&socket_dir)
        .with_context(|| format!("cannot create socket folder {}", socket_dir.display()))?;
    fs::set_permissions(&socket_dir, fs::Permissions::from_mode(0o700))?;
    if let Some(r) = &run_as {
        nix::unistd::chown(&socket_dir, Some(r.uid), Some(r.gid))?;
    }
    let log = fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(log_path(data_dir))
        .with_context(|| format!("cannot open {}", log_path(data_dir).display()))?;
    Ok(Prepared {
        socket_dir,
        log,
        run_as,
    })
}

pub(super) fn initdb(bindir: &Path, data_dir: &Path, run_as: Option<&RunAs>) -> Result<()> {
    fs::create_dir_all(data_dir)
        .with_context(|| format!("cannot create data folder {}", data_dir.display()))?;
    fs::set_permissions(data_dir, fs::Permissions::from_mode(0o700))?;
    if let Some(r) = run_as {
        nix::unistd::chown(data_dir, Some(r.uid), Some(r.gid))?;
    }
    tracing::info!(dir = %data_dir.display(), "creating a new PostgreSQL cluster");
    let mut cmd = Command::new(bindir.join("initdb"));
    cmd.arg("-D")
        .arg(data_dir)
        .args(["-U", SUPERUSER, "--auth=trust", "-E", "UTF8"])
        .args(["--locale=C.UTF-8", "--no-instructions"])
        .current_dir("/")
        .stdin(Stdio::null());
    if let Some(r) = run_as {
        cmd.uid(r.uid.as_raw()).gid(r.gid.as_raw());
    }
    let out = cmd.output().context("cannot run initdb")?;
    if !out.status.success() {
        let mut msg = format!(
            "initdb failed for {}:\n{}{}",
            data_dir.display(),
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        if run_as.is_some() {
            msg.push_str(
                "\nRunning as root, the server runs as the 'postgres' user, which must be able \
                 to enter every folder above the data folder. Choose a --data-dir it can reach \
                 (for example under /var/tmp) or run thidua as an ordinary user.",
            );
        }
        // A half-made cluster would make the next start fail differently; start clean.
        let _ = fs::remove_dir_all(data_dir);
        bail!(msg);
    }
    Ok(())
}

/// What postmaster.pid says about the data folder. The file is trusted only as far as the
/// system confirms it: the pid must be a `postgres` process whose working folder is this data
/// folder (the postmaster works in its data folder), or it is someone else's pid that the
/// kernel handed out again after a crash, and must never be signalled (issue 12, item 3: a
/// second thidua shut down the first one's database, and as root an unrelated process died).
pub(super) fn check_pid_file(data_dir: &Path) -> Result<()> {
    let pid_file = data_dir.join("postmaster.pid");
    let Ok(text) = fs::read_to_string(&pid_file) else {
        return Ok(());
    };
    let Some(pid) = text
        .lines()
        .next()
        .and_then(|l| l.trim().parse::<i32>().ok())
        .filter(|p| *p > 0)
    else {
        return Ok(());
    };
    if !is_postmaster_of(pid, data_dir) {
        // A stale file: PostgreSQL itself would refuse to start while that pid is alive.
        tracing::warn!(
            pid,
            "removing a stale postmaster.pid (that process is not this folder's server)"
        );
        let _ = fs::remove_file(&pid_file);
        return Ok(());
    }
    let owner = parent_of(pid);
    let orphan = owner.is_none_or(|p| p <= 1 || !is_thidua(p));
    if !orphan {
        bail!(
            "thư mục dữ liệu {} đang được dùng: máy chủ PostgreSQL (pid {pid}) của một tiến trình \
             thidua khác (pid {}) đang chạy trên thư mục này. Hãy dừng tiến trình đó trước, hoặc \
             dùng --data-dir khác.",
            data_dir.display(),
            owner.unwrap_or(0)
        );
    }
    // Its thidua is gone (killed outright): stop the orphaned server so this start can take over.
    tracing::warn!(
        pid,
        "stopping a PostgreSQL server left over from an earlier run"
    );
    let pid = Pid::from_raw(pid);
    let _ = kill(pid, Signal::SIGINT);
    let deadline = Instant::now() + Duration::from_secs(30);
    while kill(pid, None).is_ok() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    Ok(())
}

pub(super) fn is_postmaster_of(pid: i32, data_dir: &Path) -> bool {
    let proc = PathBuf::from(format!("/proc/{pid}"));
    let comm = fs::read_to_string(proc.join("comm")).unwrap_or_default();
    let cwd = fs::read_link(proc.join("cwd")).ok();
    let wanted = fs::canonicalize(data_dir).ok();
    comm.trim() == "postgres" && cwd.is_some() && cwd == wanted
}

pub(super) fn parent_of(pid: i32) -> Option<i32> {
    fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("PPid:"))
        .and_then(|v| v.trim().parse().ok())
}

pub(super) fn is_thidua(pid: i32) -> bool {
    fs::read_link(format!("/proc/{pid}/exe"))
        .ok()
        .and_then(|e| {
            e.file_name()
                .map(|n| n.to_string_lossy().starts_with("thidua"))
        })
        .unwrap_or(false)
        || fs::read_to_string(format!("/proc/{pid}/comm"))
            .map(|c| c.trim().starts_with("thidua"))
            .unwrap_or(false)
}
