//! What the HTTP workers and the purchase flow share: the sandbox's identity and its state.

use std::path::PathBuf;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use ipc::PrivateKey;
use std::time::Duration;

use super::checks::Identity;
use super::state::State;

/// Everything the workers share.
#[derive(Debug)]
pub struct Shared {
    pub identity: Identity,
    pub state: Mutex<State>,
    /// The myPOS certificate merchants verify with (`GET /sandbox/mypos-cert`).
    pub mypos_cert_pem: RwLock<Option<String>>,
    /// Where the certificate was written at start (rewritten on rotation).
    pub written_cert: Option<PathBuf>,
    /// Waits between tries of an unanswered rollback (`--rollback-retry`).
    pub rollback_schedule: Vec<Duration>,
}

impl Shared {
    /// The state (a poisoned lock is still usable: every update is a whole step).
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The key the sandbox signs with now (a rotation swaps it between two messages).
    pub fn mypos_key(&self) -> Arc<PrivateKey> {
        Arc::clone(
            &self
                .identity
                .mypos_key
                .read()
                .unwrap_or_else(|p| p.into_inner()),
        )
    }

    /// The certificate merchants verify with now.
    pub fn mypos_cert_pem(&self) -> Option<String> {
        self.mypos_cert_pem
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }
}
