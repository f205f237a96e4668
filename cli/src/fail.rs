//! Exit codes and the one error type of the binary.

use std::fmt::Display;

/// Signature invalid (docs/architecture.md, "Verification outcomes").
pub const EXIT_INVALID: u8 = 1;
/// Malformed body, key or certificate.
pub const EXIT_MALFORMED: u8 = 2;
/// Other run-time failures (I/O, server).
pub const EXIT_FAILURE: u8 = 3;
/// Usage errors (sysexits EX_USAGE).
pub const EXIT_USAGE: u8 = 64;

/// Why a command failed and with which exit code.
#[derive(Debug)]
pub struct Failure {
    pub code: u8,
    pub message: String,
}

impl Failure {
    pub fn new(code: u8, message: impl Display) -> Self {
        Failure {
            code,
            message: message.to_string(),
        }
    }

    pub fn malformed(message: impl Display) -> Self {
        Self::new(EXIT_MALFORMED, message)
    }

    pub fn io(message: impl Display) -> Self {
        Self::new(EXIT_FAILURE, message)
    }

    pub fn usage(message: impl Display) -> Self {
        Self::new(EXIT_USAGE, message)
    }

    /// Maps a core error to its verification outcome. `context` names the input.
    pub fn from_core(context: &str, e: &ipc::Error) -> Self {
        match e.outcome() {
            ipc::Outcome::SignatureInvalid => Self::new(EXIT_INVALID, "signature invalid"),
            _ => Self::malformed(format!("{context}: {e}")),
        }
    }
}

pub type CliResult<T = ()> = Result<T, Failure>;
