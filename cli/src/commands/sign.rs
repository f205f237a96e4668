//! `ipc sign`: append a Signature to a urlencoded body.

use std::path::Path;

use crate::fail::{CliResult, Failure};
use crate::input;

pub fn run(key: &Path) -> CliResult {
    let key = input::private_key(key)?;
    let body = input::stdin_bytes()?;
    let signed = ipc::sign_form(&body, &key)
        .map_err(|e| Failure::malformed(format!("body on stdin: {e}")))?;
    input::print_line(&signed)
}
