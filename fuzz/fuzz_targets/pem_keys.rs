//! `PrivateKey::from_pem` / `PublicKey::from_pem`: never panic; parsed keys have a supported
//! size and re-encode to the same key; errors never echo the PEM body. The first byte picks
//! raw PEM text or a DER body wrapped in one of the PEM labels (to reach the DER parsers).
#![no_main]

use base64::Engine;
use ipc::{PrivateKey, PublicKey};
use libfuzzer_sys::fuzz_target;

const LABELS: [&str; 6] = [
    "CERTIFICATE",
    "PUBLIC KEY",
    "RSA PUBLIC KEY",
    "RSA PRIVATE KEY",
    "PRIVATE KEY",
    "ENCRYPTED PRIVATE KEY",
];

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let (text, body) = match LABELS.get(usize::from(mode) % 8) {
        Some(label) => {
            let b64 = base64::engine::general_purpose::STANDARD.encode(rest);
            let wrapped: Vec<String> = b64
                .as_bytes()
                .chunks(64)
                .map(|c| String::from_utf8_lossy(c).into_owned())
                .collect();
            (
                format!(
                    "-----BEGIN {label}-----\n{}\n-----END {label}-----\n",
                    wrapped.join("\n")
                ),
                Some(b64),
            )
        }
        None => (String::from_utf8_lossy(rest).into_owned(), None),
    };
    match PublicKey::from_pem(&text) {
        Ok(key) => {
            assert!((ipc::keys::MIN_BITS..=ipc::keys::MAX_BITS).contains(&key.bits()));
            let spki = match key.to_spki_pem() {
                Ok(p) => p,
                Err(e) => panic!("parsed public key does not re-encode: {e}"),
            };
            match PublicKey::from_pem(&spki) {
                Ok(again) => assert_eq!(again.fingerprint(), key.fingerprint()),
                Err(e) => panic!("re-encoded public key does not parse: {e}"),
            }
        }
        Err(e) => check_error(&e, body.as_deref()),
    }
    match PrivateKey::from_pem(&text) {
        Ok(key) => {
            assert!((ipc::keys::MIN_BITS..=ipc::keys::MAX_BITS).contains(&key.bits()));
            assert!(
                !format!("{key:?}").contains(text.trim()),
                "key material in Debug"
            );
        }
        Err(e) => check_error(&e, body.as_deref()),
    }
});

fn check_error(e: &ipc::Error, body: Option<&str>) {
    let msg = e.to_string();
    assert!(!msg.is_empty());
    if let Some(body) = body {
        if body.len() >= 24 {
            assert!(
                !msg.contains(body),
                "error message echoes the key body: {msg}"
            );
        }
    }
}
