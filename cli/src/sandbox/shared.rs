//! What the HTTP workers and the purchase flow share: the sandbox's identity and its state.

use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use super::checks::Identity;
use super::state::State;

/// Everything the workers share.
#[derive(Debug)]
pub struct Shared {
    pub identity: Identity,
    pub state: Mutex<State>,
    pub mypos_cert_pem: Option<String>,
    /// Waits between tries of an unanswered rollback (`--rollback-retry`).
    pub rollback_schedule: Vec<Duration>,
}

impl Shared {
    /// The state (a poisoned lock is still usable: every update is a whole step).
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}
