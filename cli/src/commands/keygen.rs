//! `ipc keygen`: a merchant key pair and a self-signed certificate to upload to myPOS.

use std::io::Write;
use std::path::Path;

use crate::cert;
use crate::fail::{CliResult, Failure};
use crate::input;

pub fn run(bits: usize, out: &Path) -> CliResult {
    if !(2048..=4096).contains(&bits) {
        return Err(Failure::usage(format!(
            "--bits must be between 2048 and 4096 (got {bits})"
        )));
    }
    std::fs::create_dir_all(out)
        .map_err(|e| Failure::io(format!("cannot create {}: {e}", out.display())))?;
    let key =
        ipc::PrivateKey::generate(bits).map_err(|e| Failure::io(format!("key generation: {e}")))?;
    let certificate = cert::self_signed(&key, "myPOS IPC merchant")?;
    let key_pem = key
        .to_pkcs8_pem()
        .map_err(|e| Failure::io(format!("key encoding: {e}")))?;
    write_private(&out.join("merchant_private_key.pem"), key_pem.as_bytes())?;
    let cert_path = out.join("merchant_certificate.pem");
    std::fs::write(&cert_path, certificate.pem.as_bytes())
        .map_err(|e| Failure::io(format!("cannot write {}: {e}", cert_path.display())))?;
    input::print_line(&format!("SHA256:{}", certificate.fingerprint_hex))
}

/// Writes a private key readable by the owner only (0600 from creation on).
pub fn write_private(path: &Path, bytes: &[u8]) -> CliResult {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .map_err(|e| Failure::io(format!("cannot write {}: {e}", path.display())))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(|e| Failure::io(format!("cannot chmod {}: {e}", path.display())))?;
    }
    file.write_all(bytes)
        .map_err(|e| Failure::io(format!("cannot write {}: {e}", path.display())))
}
