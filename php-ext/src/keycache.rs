//! Parsed keys cached per process, keyed by the SHA-256 of the PEM, so a PHP-FPM worker parses
//! a certificate once. Bounded: when full, the cache is emptied and starts again.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use ipc::{PrivateKey, PublicKey, Result};
use sha2::{Digest, Sha256};

/// At most this many keys of each kind are kept.
pub const MAX_ENTRIES: usize = 64;

type Cache<K> = Mutex<HashMap<[u8; 32], Arc<K>>>;

fn lookup<K>(
    cache: &'static OnceLock<Cache<K>>,
    pem: &str,
    parse: fn(&str) -> Result<K>,
) -> Result<Arc<K>> {
    let digest: [u8; 32] = Sha256::digest(pem.as_bytes()).into();
    let map = cache.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(hit) = map.lock().unwrap_or_else(|p| p.into_inner()).get(&digest) {
        return Ok(Arc::clone(hit));
    }
    let key = Arc::new(parse(pem)?);
    let mut guard = map.lock().unwrap_or_else(|p| p.into_inner());
    if guard.len() >= MAX_ENTRIES {
        guard.clear();
    }
    guard.insert(digest, Arc::clone(&key));
    Ok(key)
}

/// The merchant private key for `pem`, parsed once.
pub fn private_key(pem: &str) -> Result<Arc<PrivateKey>> {
    static CACHE: OnceLock<Cache<PrivateKey>> = OnceLock::new();
    lookup(&CACHE, pem, PrivateKey::from_pem)
}

/// The public key (or certificate's key) for `pem`, parsed once.
pub fn public_key(pem: &str) -> Result<Arc<PublicKey>> {
    static CACHE: OnceLock<Cache<PublicKey>> = OnceLock::new();
    lookup(&CACHE, pem, PublicKey::from_pem)
}
