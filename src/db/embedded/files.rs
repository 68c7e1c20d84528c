use super::*;

/// Socket folders of servers whose thidua process is gone (killed, or a test run that exited
/// without dropping its server) would pile up in the temp folder.
pub(super) fn remove_stale_socket_dirs() {
    let Ok(entries) = fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().to_string();
        let pid = name
            .strip_prefix("thidua-pg-")
            .and_then(|rest| rest.split('-').next())
            .and_then(|p| p.parse::<i32>().ok());
        if let Some(pid) = pid
            && kill(Pid::from_raw(pid), None).is_err()
        {
            let _ = fs::remove_dir_all(e.path());
        }
    }
}

pub(crate) fn find_bindir() -> Option<PathBuf> {
    let has_server = |d: &Path| d.join("postgres").is_file() && d.join("initdb").is_file();
    if let Some(path) = std::env::var_os("PATH")
        && let Some(d) = std::env::split_paths(&path).find(|d| has_server(d))
    {
        return Some(d);
    }
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output() {
        let d = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        if out.status.success() && has_server(&d) {
            return Some(d);
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let d = e.path().join("bin");
            has_server(&d).then_some((v, d))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, d)| d)
}

pub(super) fn absolute(p: &Path) -> Result<PathBuf> {
    Ok(std::path::absolute(p)?)
}

pub(super) fn log_path(data_dir: &Path) -> PathBuf {
    data_dir.join("thidua-server.log")
}

pub(super) fn tail(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap_or_default();
    let lines: Vec<&str> = text.lines().collect();
    lines[lines.len().saturating_sub(15)..].join("\n")
}

pub(super) fn random_suffix() -> String {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    format!("{:08x}", OsRng.next_u32())
}
