//! The keyring: the myPOS certificates accepted at once (key rotation without a window in
//! which notifies fail) and the merchant keys by KeyIndex, one of them active for signing.
//!
//! Verification tries every accepted certificate in order and reports which one matched;
//! the body is parsed and the Signature decoded once. A certificate past its X.509 validity
//! still verifies (myPOS decides when to rotate); [`PublicKey::not_after`] lets integrations
//! warn before it ends.

use std::sync::Arc;

use crate::canonical::signing_input;
use crate::error::{Error, Result};
use crate::fields::{parse_urlencoded, Fields};
use crate::keys::{same_key, PrivateKey, PublicKey};
use crate::verifier::decode_signature;

/// Most certificates a keyring holds (a rotation needs two; a few more are tolerated).
pub const MAX_CERTIFICATES: usize = 8;
/// Most merchant keys a configuration holds.
pub const MAX_MERCHANT_KEYS: usize = 8;

/// The myPOS certificates accepted at once, in order of preference. Never empty.
#[derive(Debug, Clone)]
pub struct Keyring {
    certs: Vec<Arc<PublicKey>>,
}

impl Keyring {
    /// A keyring with one certificate (what a configuration with one certificate has).
    pub fn new(first: Arc<PublicKey>) -> Self {
        Keyring { certs: vec![first] }
    }

    /// A keyring from certificates or public keys as PEM, in order. Errors name the
    /// position (`mypos_certificate[1]`): an empty list, a PEM that does not parse, the same
    /// key twice, more than [`MAX_CERTIFICATES`].
    pub fn from_pems<S: AsRef<str>>(pems: &[S]) -> Result<Self> {
        let mut keys = Vec::with_capacity(pems.len());
        for (i, pem) in pems.iter().enumerate() {
            let key = PublicKey::from_pem(pem.as_ref()).map_err(|e| match e {
                Error::Key(why) => Error::Config {
                    field: "mypos_certificate",
                    reason: format!("[{i}] {why}"),
                },
                other => other,
            })?;
            keys.push(Arc::new(key));
        }
        Self::from_keys(keys)
    }

    /// A keyring from parsed keys, in order; see [`Self::from_pems`] for the rules.
    pub fn from_keys(keys: Vec<Arc<PublicKey>>) -> Result<Self> {
        let mut ring = match keys.first() {
            Some(first) => Keyring::new(Arc::clone(first)),
            None => {
                return Err(Error::config(
                    "mypos_certificate",
                    "no certificate given (at least one is needed)",
                ))
            }
        };
        for key in keys.into_iter().skip(1) {
            ring.add(key)?;
        }
        Ok(ring)
    }

    /// Accepts one more certificate (after the others). The same key twice or more than
    /// [`MAX_CERTIFICATES`] is a configuration error.
    pub fn add(&mut self, key: Arc<PublicKey>) -> Result<()> {
        if let Some(i) = self.position(&key) {
            return Err(Error::config(
                "mypos_certificate",
                format!(
                    "[{}] is the same key as certificate [{i}] (sha256 {})",
                    self.certs.len(),
                    key.fingerprint_hex()
                ),
            ));
        }
        if self.certs.len() >= MAX_CERTIFICATES {
            return Err(Error::config(
                "mypos_certificate",
                format!("at most {MAX_CERTIFICATES} certificates are accepted at once"),
            ));
        }
        self.certs.push(key);
        Ok(())
    }

    /// Stops accepting a certificate (the same key, in any container). Retiring one that is
    /// not in the keyring, or the last one, is a configuration error.
    pub fn retire(&mut self, key: &PublicKey) -> Result<()> {
        let Some(i) = self.position(key) else {
            return Err(Error::config(
                "mypos_certificate",
                format!(
                    "sha256 {} is not among the accepted certificates",
                    key.fingerprint_hex()
                ),
            ));
        };
        if self.certs.len() == 1 {
            return Err(Error::config(
                "mypos_certificate",
                "cannot retire the only accepted certificate; add its successor first",
            ));
        }
        self.certs.remove(i);
        Ok(())
    }

    /// Where `key` is in the keyring.
    pub fn position(&self, key: &PublicKey) -> Option<usize> {
        self.certs.iter().position(|c| same_key(c, key))
    }

    /// The first certificate.
    pub fn primary(&self) -> &Arc<PublicKey> {
        &self.certs[0]
    }

    /// The certificates, in order.
    pub fn certificates(&self) -> &[Arc<PublicKey>] {
        &self.certs
    }

    /// How many certificates are accepted.
    pub fn len(&self) -> usize {
        self.certs.len()
    }

    /// Always false (a keyring is never empty); for clippy's `len_without_is_empty`.
    pub fn is_empty(&self) -> bool {
        self.certs.is_empty()
    }

    /// The index of the earliest certificate whose validity ends before `now + seconds`
    /// (Unix seconds), with its notAfter: what a "certificate expires soon" notice needs.
    pub fn expiring_within(&self, now: u64, seconds: u64) -> Option<(usize, u64)> {
        self.certs
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.not_after().map(|t| (i, t)))
            .filter(|(_, t)| *t < now.saturating_add(seconds))
            .min_by_key(|(_, t)| *t)
    }

    /// Verifies ordered values against a base64 Signature with each certificate in turn.
    /// Returns the index of the one that matched; malformed signatures are refused before
    /// any RSA check and a signature no certificate accepts is [`Error::SignatureInvalid`].
    pub fn verify_values<'a, I>(&self, values: I, signature: &str) -> Result<usize>
    where
        I: IntoIterator<Item = &'a str>,
    {
        let raw = decode_signature(signature)?;
        let input = signing_input(values);
        self.certs
            .iter()
            .position(|c| c.verify(input.as_bytes(), &raw).is_ok())
            .ok_or(Error::SignatureInvalid)
    }

    /// [`crate::verify_fields`] with every certificate: the fields without Signature and the
    /// index of the certificate that matched.
    pub fn verify_fields(&self, fields: Fields) -> Result<(Fields, usize)> {
        let (rest, signature) = fields.split_signature()?;
        if rest.is_empty() {
            return Err(Error::MalformedBody("no fields besides Signature".into()));
        }
        let matched = self.verify_values(rest.values(), &signature)?;
        Ok((rest, matched))
    }

    /// [`crate::verify_form`] with every certificate.
    pub fn verify_form(&self, body: &[u8]) -> Result<(Fields, usize)> {
        self.verify_fields(parse_urlencoded(body)?)
    }
}

impl From<Arc<PublicKey>> for Keyring {
    fn from(key: Arc<PublicKey>) -> Self {
        Keyring::new(key)
    }
}

impl From<PublicKey> for Keyring {
    fn from(key: PublicKey) -> Self {
        Keyring::new(Arc::new(key))
    }
}

/// One merchant key and the KeyIndex myPOS knows its certificate by.
#[derive(Debug, Clone)]
pub struct MerchantKey {
    /// KeyIndex, from 1.
    pub index: u32,
    /// The private key (redacted in `Debug`).
    pub key: Arc<PrivateKey>,
}
