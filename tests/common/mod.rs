//! Helpers shared by the integration tests: the vectors and keys under `tests/data/`
//! (provenance in `tests/data/README.md`).
#![allow(dead_code)]

use std::path::PathBuf;

use serde_json::Value;

pub mod bodies;

/// `tests/data/`; vector files name their keys `protocol/test-keys/...`, read as `test-keys/...`.
pub fn data() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data")
}

pub fn read(rel: &str) -> String {
    let path = data().join(rel.trim_start_matches("protocol/"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

pub fn json(rel: &str) -> Value {
    serde_json::from_str(&read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

pub fn private_key(rel: &str) -> ipc::PrivateKey {
    ipc::PrivateKey::from_pem(&read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

pub fn public_key(rel: &str) -> ipc::PublicKey {
    ipc::PublicKey::from_pem(&read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// `[[name, value], ...]` as fields; JSON null reads as "".
pub fn pairs(v: &Value) -> ipc::Fields {
    v.as_array()
        .expect("pairs array")
        .iter()
        .map(|p| {
            let name = p[0].as_str().expect("name").to_string();
            let value = match &p[1] {
                Value::Null => String::new(),
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (name, value)
        })
        .collect()
}

pub fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("missing string '{key}'"))
}

/// The outcome class of a verification result.
pub fn class(r: &Result<impl Sized, ipc::Error>) -> &'static str {
    match r {
        Ok(_) => "valid",
        Err(e) => match e.outcome() {
            ipc::Outcome::SignatureInvalid => "signature_invalid",
            _ => "malformed",
        },
    }
}
