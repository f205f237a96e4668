//! Reading stdin and key files.

use std::io::Read;
use std::path::Path;

use crate::fail::{CliResult, Failure};

/// Largest stdin accepted (a body, an answer or a pack): the core's input cap plus room for
/// the trailing CRLF that is stripped; the core refuses anything over its cap with its message.
const MAX_STDIN: u64 = ipc::limits::MAX_BODY_BYTES as u64 + 2;

/// Reads stdin byte for byte, ignoring one trailing LF or CRLF.
pub fn stdin_bytes() -> CliResult<Vec<u8>> {
    let mut buf = Vec::new();
    std::io::stdin()
        .take(MAX_STDIN + 1)
        .read_to_end(&mut buf)
        .map_err(|e| Failure::io(format!("cannot read stdin: {e}")))?;
    if buf.len() as u64 > MAX_STDIN {
        return Err(Failure::malformed(format!(
            "stdin is larger than {MAX_STDIN} bytes"
        )));
    }
    Ok(strip_newline(buf))
}

/// Drops one trailing LF or CRLF.
pub fn strip_newline(mut buf: Vec<u8>) -> Vec<u8> {
    if buf.ends_with(b"\r\n") {
        buf.truncate(buf.len() - 2);
    } else if buf.ends_with(b"\n") {
        buf.truncate(buf.len() - 1);
    }
    buf
}

/// Reads stdin as UTF-8 text.
pub fn stdin_text(what: &str) -> CliResult<String> {
    String::from_utf8(stdin_bytes()?)
        .map_err(|_| Failure::malformed(format!("{what} on stdin is not UTF-8")))
}

/// Reads a PEM file (malformed when unreadable or not UTF-8: it names the file).
pub fn pem_file(path: &Path) -> CliResult<String> {
    let bytes = std::fs::read(path)
        .map_err(|e| Failure::malformed(format!("cannot read {}: {e}", path.display())))?;
    String::from_utf8(bytes)
        .map_err(|_| Failure::malformed(format!("{} is not a PEM text file", path.display())))
}

/// Loads a certificate or SPKI public key.
pub fn public_key(path: &Path) -> CliResult<ipc::PublicKey> {
    ipc::PublicKey::from_pem(&pem_file(path)?)
        .map_err(|e| Failure::malformed(format!("{}: {e}", path.display())))
}

/// Loads a private key.
pub fn private_key(path: &Path) -> CliResult<ipc::PrivateKey> {
    ipc::PrivateKey::from_pem(&pem_file(path)?)
        .map_err(|e| Failure::malformed(format!("{}: {e}", path.display())))
}

/// Writes `text` and one LF to stdout.
pub fn print_line(text: &str) -> CliResult {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", text.trim_end_matches('\n'))
        .and_then(|()| out.flush())
        .map_err(|e| Failure::io(format!("cannot write stdout: {e}")))
}
