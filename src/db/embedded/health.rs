use super::*;

/// Restarts allowed within `RESTART_WINDOW` before thidua gives up (and exits non-zero, so a
/// supervisor such as systemd restarts the whole thing and someone looks at the log).
pub const MAX_RESTARTS: u32 = 5;
pub(super) const RESTART_WINDOW: Duration = Duration::from_secs(120);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbState {
    Up,
    /// The server died and is being started again; requests get a fast 503.
    Restarting,
    /// It could not be started again; thidua stops.
    Failed,
}

/// What the server's owner thread knows about it, shared with the web layer.
#[derive(Debug, Clone, Default)]
pub struct DbHealth(std::sync::Arc<std::sync::atomic::AtomicU8>);

impl DbHealth {
    pub fn state(&self) -> DbState {
        match self.0.load(std::sync::atomic::Ordering::Acquire) {
            0 => DbState::Up,
            1 => DbState::Restarting,
            _ => DbState::Failed,
        }
    }

    pub fn set(&self, s: DbState) {
        let v = match s {
            DbState::Up => 0,
            DbState::Restarting => 1,
            DbState::Failed => 2,
        };
        self.0.store(v, std::sync::atomic::Ordering::Release);
    }
}
