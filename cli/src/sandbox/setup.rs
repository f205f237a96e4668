//! Sandbox start-up: listen address, merchant certificates, the myPOS key pair.

use std::collections::HashMap;
use std::net::{SocketAddr, ToSocketAddrs};
use std::path::PathBuf;

use ipc::{PrivateKey, PublicKey};

use crate::args::SandboxArgs;
use crate::cert;
use crate::fail::{CliResult, Failure};
use crate::input;

/// `--rollback-retry`: waits between tries, e.g. `60,300` or `0.5,1`; `none` for no retry.
pub fn rollback_schedule(text: &str) -> CliResult<Vec<std::time::Duration>> {
    if text == "none" {
        return Ok(Vec::new());
    }
    let parts: Vec<&str> = text.split(',').collect();
    if parts.len() > 20 {
        return Err(Failure::usage("--rollback-retry takes at most 20 waits"));
    }
    parts
        .into_iter()
        .map(|p| {
            p.trim()
                .parse::<f64>()
                .ok()
                .filter(|s| s.is_finite() && *s > 0.0 && *s <= 86_400.0)
                .map(std::time::Duration::from_secs_f64)
                .ok_or_else(|| {
                    Failure::usage(format!(
                        "--rollback-retry: '{}' is not a number of seconds from 0 to 86400",
                        p.chars().take(20).collect::<String>()
                    ))
                })
        })
        .collect()
}

/// 127.0.0.1 only (port 0 picks a free port).
pub fn listen_addr(text: &str) -> CliResult<SocketAddr> {
    let addr = text
        .to_socket_addrs()
        .ok()
        .and_then(|mut a| a.next())
        .ok_or_else(|| Failure::usage(format!("--listen '{text}' is not HOST:PORT")))?;
    if !addr.ip().is_loopback() || !addr.is_ipv4() {
        return Err(Failure::usage(
            "--listen must be 127.0.0.1:PORT (the sandbox is local only)",
        ));
    }
    Ok(addr)
}

/// `INDEX=CERT.pem` pairs.
pub fn merchant_keys(specs: &[String]) -> CliResult<HashMap<u32, PublicKey>> {
    let mut keys = HashMap::new();
    for spec in specs {
        let (index, path) = spec.split_once('=').ok_or_else(|| {
            Failure::usage(format!("--merchant-cert '{spec}' is not INDEX=CERT.pem"))
        })?;
        let index: u32 = index.parse().ok().filter(|i| *i > 0).ok_or_else(|| {
            Failure::usage(format!(
                "--merchant-cert: '{index}' is not a positive KeyIndex"
            ))
        })?;
        let key = input::public_key(&PathBuf::from(path))?;
        if keys.insert(index, key).is_some() {
            return Err(Failure::usage(format!(
                "--merchant-cert: KeyIndex {index} given twice"
            )));
        }
    }
    Ok(keys)
}

/// The sandbox's myPOS key, its certificate text, and where a generated certificate went.
#[derive(Debug)]
pub struct MyposIdentity {
    pub key: PrivateKey,
    pub cert_pem: Option<String>,
    pub written_cert: Option<PathBuf>,
    /// True when `written_cert` is a temporary file the sandbox removes when it stops.
    pub temporary: bool,
}

pub fn mypos_identity(args: &SandboxArgs) -> CliResult<MyposIdentity> {
    if let Some(key_path) = &args.mypos_key {
        let key = input::private_key(key_path)?;
        let cert_pem = match &args.mypos_cert {
            Some(p) => {
                let pem = input::pem_file(p)?;
                let cert = PublicKey::from_pem(&pem)
                    .map_err(|e| Failure::malformed(format!("{}: {e}", p.display())))?;
                if cert.fingerprint() != key.public_key().fingerprint() {
                    return Err(Failure::malformed(format!(
                        "{} does not belong to {}",
                        p.display(),
                        key_path.display()
                    )));
                }
                pem
            }
            // Without a certificate, the public key is what merchants verify with.
            None => key
                .public_key()
                .to_spki_pem()
                .map_err(|e| Failure::io(format!("public key encoding: {e}")))?,
        };
        let cert_pem = Some(cert_pem);
        return Ok(MyposIdentity {
            key,
            cert_pem,
            written_cert: None,
            temporary: false,
        });
    }
    let key = PrivateKey::generate(2048)
        .map_err(|e| Failure::io(format!("myPOS key generation: {e}")))?;
    let certificate = cert::self_signed(&key, "myPOS IPC sandbox")?;
    let path = match &args.mypos_cert {
        Some(p) => p.clone(),
        None => {
            std::env::temp_dir().join(format!("ipc-sandbox-{}-mypos-cert.pem", std::process::id()))
        }
    };
    std::fs::write(&path, certificate.pem.as_bytes())
        .map_err(|e| Failure::io(format!("cannot write {}: {e}", path.display())))?;
    Ok(MyposIdentity {
        key,
        cert_pem: Some(certificate.pem),
        written_cert: Some(path),
        temporary: args.mypos_cert.is_none(),
    })
}
