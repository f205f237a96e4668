//! RSA keys and certificates, and the crypto backend behind them (docs/architecture.md, "Crypto backend").
//!
//! Parsing always uses the RustCrypto `pkcs1`/`pkcs8`/`x509-cert` family. Signing and
//! verification use `aws-lc-rs` (constant time, OpenSSL speed) when the `aws-lc` feature is on
//! and the key has 2048 bits or more; otherwise the pure-Rust `rsa` crate. aws-lc refuses to
//! sign with 1024-bit keys, which myPOS's public *test* keys are.

use std::fmt;

use pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey, EncodeRsaPublicKey};
use pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePublicKey};
use rsa::pkcs1v15::{Signature as RsaSignature, SigningKey, VerifyingKey};
use rsa::signature::{SignatureEncoding, Signer};
use rsa::traits::PublicKeyParts;
use rsa::{RsaPrivateKey, RsaPublicKey};
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// Smallest key accepted anywhere (myPOS's test keys).
pub const MIN_BITS: usize = 1024;
/// Largest key accepted (the `rsa` crate's limit for public keys).
pub const MAX_BITS: usize = 4096;

/// A merchant (or, in the sandbox, myPOS) private key. Redacted in `Debug`; the key material
/// is zeroized on drop by the backends.
pub struct PrivateKey {
    signer: SigningKey<Sha256>,
    #[cfg(all(feature = "aws-lc", not(feature = "rustcrypto")))]
    fast: Option<aws_lc_rs::rsa::KeyPair>,
    public: PublicKey,
}

/// An RSA public key, from an X.509 certificate or an SPKI / PKCS#1 PEM.
#[derive(Clone)]
pub struct PublicKey {
    verifier: VerifyingKey<Sha256>,
    #[cfg(all(feature = "aws-lc", not(feature = "rustcrypto")))]
    fast: std::sync::Arc<aws_lc_rs::signature::ParsedPublicKey>,
    bits: usize,
    fingerprint: [u8; 32],
    lenient_certificate: bool,
    not_after: Option<u64>,
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrivateKey")
            .field("bits", &self.bits())
            .field("material", &"[redacted]")
            .finish()
    }
}

impl fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PublicKey")
            .field("bits", &self.bits)
            .field("sha256", &self.fingerprint_hex())
            .finish()
    }
}

fn parse_pem(text: &str, what: &str) -> Result<pem::Pem> {
    if text.trim().is_empty() {
        return Err(Error::Key(format!("{what} is empty")));
    }
    // Accept CRLF and stray surrounding whitespace, as config packs carry CRLF PEMs.
    let normalized = zeroize::Zeroizing::new(text.replace("\r\n", "\n"));
    pem::parse(normalized.trim()).map_err(|e| Error::Key(format!("{what} is not valid PEM ({e})")))
}

fn check_bits(bits: usize, what: &str) -> Result<()> {
    if !(MIN_BITS..=MAX_BITS).contains(&bits) {
        return Err(Error::Key(format!(
            "{what} has {bits} bits; RSA keys of {MIN_BITS} to {MAX_BITS} bits are supported"
        )));
    }
    Ok(())
}

impl PrivateKey {
    /// Parses a PEM private key: PKCS#1 `RSA PRIVATE KEY` or PKCS#8 `PRIVATE KEY`, LF or CRLF.
    pub fn from_pem(text: &str) -> Result<Self> {
        let block = parse_pem(text, "private key")?;
        let tag = block.tag().to_string();
        // The DER is key material too: wipe it once the key is parsed.
        let der = zeroize::Zeroizing::new(block.into_contents());
        let key = match tag.as_str() {
            "RSA PRIVATE KEY" => RsaPrivateKey::from_pkcs1_der(&der)
                .map_err(|_| Error::Key("RSA PRIVATE KEY block does not parse as PKCS#1".into()))?,
            "PRIVATE KEY" => RsaPrivateKey::from_pkcs8_der(&der)
                .map_err(|_| Error::Key("PRIVATE KEY block is not an RSA PKCS#8 key".into()))?,
            "ENCRYPTED PRIVATE KEY" => {
                return Err(Error::Key(
                    "private key is encrypted; decrypt it first (openssl pkey -in key.pem)".into(),
                ))
            }
            "CERTIFICATE" | "PUBLIC KEY" | "RSA PUBLIC KEY" => {
                return Err(Error::Key(format!(
                    "expected a private key, got a {tag} PEM"
                )))
            }
            other => {
                return Err(Error::Key(format!(
                    "unsupported PEM block '{other}' for a private key"
                )))
            }
        };
        Self::from_rsa(key)
    }

    fn from_rsa(key: RsaPrivateKey) -> Result<Self> {
        let bits = key.size() * 8;
        check_bits(bits, "private key")?;
        let public = PublicKey::from_rsa(key.to_public_key(), false)?;
        #[cfg(all(feature = "aws-lc", not(feature = "rustcrypto")))]
        let fast = if bits >= 2048 {
            use pkcs8::EncodePrivateKey;
            let der = key
                .to_pkcs8_der()
                .map_err(|_| Error::Crypto("cannot re-encode private key".into()))?;
            Some(
                aws_lc_rs::rsa::KeyPair::from_pkcs8(der.as_bytes())
                    .map_err(|e| Error::Key(format!("private key rejected by aws-lc: {e}")))?,
            )
        } else {
            None
        };
        Ok(PrivateKey {
            signer: SigningKey::new(key),
            #[cfg(all(feature = "aws-lc", not(feature = "rustcrypto")))]
            fast,
            public,
        })
    }

    /// Generates a fresh key (used by `ipc keygen` and the sandbox).
    pub fn generate(bits: usize) -> Result<Self> {
        check_bits(bits, "requested key")?;
        let mut rng = rand_core::OsRng;
        let key = RsaPrivateKey::new(&mut rng, bits)
            .map_err(|e| Error::Crypto(format!("key generation failed: {e}")))?;
        Self::from_rsa(key)
    }

    /// PKCS#8 PEM text of this key (LF line ends). Handle with care.
    pub fn to_pkcs8_pem(&self) -> Result<zeroize::Zeroizing<String>> {
        use pkcs8::EncodePrivateKey;
        self.signer
            .as_ref()
            .to_pkcs8_pem(pkcs8::LineEnding::LF)
            .map_err(|_| Error::Crypto("cannot encode private key".into()))
    }

    /// The modulus size in bits.
    pub fn bits(&self) -> usize {
        self.public.bits
    }

    /// The matching public key.
    pub fn public_key(&self) -> &PublicKey {
        &self.public
    }

    /// The `rsa` crate key, for building certificates (CLI keygen, sandbox).
    pub fn rsa_signing_key(&self) -> &SigningKey<Sha256> {
        &self.signer
    }

    /// RSASSA-PKCS1-v1_5 with SHA-256 over `message`.
    pub fn sign(&self, message: &[u8]) -> Result<Vec<u8>> {
        #[cfg(all(feature = "aws-lc", not(feature = "rustcrypto")))]
        if let Some(kp) = &self.fast {
            let mut sig = vec![0u8; kp.public_modulus_len()];
            let rng = aws_lc_rs::rand::SystemRandom::new();
            kp.sign(
                &aws_lc_rs::signature::RSA_PKCS1_SHA256,
                &rng,
                message,
                &mut sig,
            )
            .map_err(|_| Error::Crypto("aws-lc signing failed".into()))?;
            return Ok(sig);
        }
        let sig: RsaSignature = self
            .signer
            .try_sign(message)
            .map_err(|_| Error::Crypto("rsa signing failed".into()))?;
        Ok(sig.to_vec())
    }
}

impl PublicKey {
    /// Parses a PEM X.509 `CERTIFICATE`, SPKI `PUBLIC KEY` or PKCS#1 `RSA PUBLIC KEY`.
    pub fn from_pem(text: &str) -> Result<Self> {
        let block = parse_pem(text, "public key or certificate")?;
        match block.tag() {
            "CERTIFICATE" => Self::from_certificate_der(block.contents()),
            "PUBLIC KEY" => {
                let key = RsaPublicKey::from_public_key_der(block.contents())
                    .map_err(|e| Error::Key(format!("PUBLIC KEY block is not an RSA key ({e})")))?;
                Self::from_rsa(key, false)
            }
            "RSA PUBLIC KEY" => {
                let key = RsaPublicKey::from_pkcs1_der(block.contents()).map_err(|e| {
                    Error::Key(format!("RSA PUBLIC KEY block does not parse ({e})"))
                })?;
                Self::from_rsa(key, false)
            }
            "RSA PRIVATE KEY" | "PRIVATE KEY" | "ENCRYPTED PRIVATE KEY" => Err(Error::Key(
                "expected a certificate or public key, got a private key".into(),
            )),
            other => Err(Error::Key(format!(
                "unsupported PEM block '{other}' for a public key or certificate"
            ))),
        }
    }

    fn from_certificate_der(der_bytes: &[u8]) -> Result<Self> {
        use der::{Decode, Encode};
        match x509_cert::Certificate::from_der(der_bytes) {
            Ok(cert) => {
                let spki = cert
                    .tbs_certificate
                    .subject_public_key_info
                    .to_der()
                    .map_err(|_| Error::Key("certificate key info does not encode".into()))?;
                let key = RsaPublicKey::from_public_key_der(&spki)
                    .map_err(|_| Error::Key("certificate does not hold an RSA key".into()))?;
                let mut public = Self::from_rsa(key, false)?;
                public.not_after = Some(
                    cert.tbs_certificate
                        .validity
                        .not_after
                        .to_unix_duration()
                        .as_secs(),
                );
                Ok(public)
            }
            Err(strict) => {
                // The 2013 myPOS test certificate has a zero-length serial number, which strict
                // DER (and OpenSSL 3) refuse. Only its key is needed, so read the key leniently.
                let spki = lenient_certificate_spki(der_bytes).ok_or_else(|| {
                    Error::Key(format!("certificate does not parse as X.509 ({strict})"))
                })?;
                let key = RsaPublicKey::from_public_key_der(&spki)
                    .map_err(|_| Error::Key("certificate does not hold an RSA key".into()))?;
                Self::from_rsa(key, true)
            }
        }
    }

    fn from_rsa(key: RsaPublicKey, lenient_certificate: bool) -> Result<Self> {
        let bits = key.size() * 8;
        check_bits(bits, "public key")?;
        let pkcs1 = key
            .to_pkcs1_der()
            .map_err(|_| Error::Crypto("cannot encode public key".into()))?;
        let fingerprint: [u8; 32] = Sha256::digest(pkcs1.as_bytes()).into();
        #[cfg(all(feature = "aws-lc", not(feature = "rustcrypto")))]
        let fast = std::sync::Arc::new(
            aws_lc_rs::signature::ParsedPublicKey::new(
                &aws_lc_rs::signature::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY,
                pkcs1.as_bytes(),
            )
            .map_err(|e| Error::Key(format!("public key rejected by aws-lc: {e}")))?,
        );
        Ok(PublicKey {
            verifier: VerifyingKey::new(key),
            #[cfg(all(feature = "aws-lc", not(feature = "rustcrypto")))]
            fast,
            bits,
            fingerprint,
            lenient_certificate,
            not_after: None,
        })
    }

    /// The modulus size in bits.
    pub fn bits(&self) -> usize {
        self.bits
    }

    /// SHA-256 of the PKCS#1 `RSAPublicKey` DER: equal for the same key in any container.
    pub fn fingerprint(&self) -> [u8; 32] {
        self.fingerprint
    }

    /// [`Self::fingerprint`] as lower-case hex.
    pub fn fingerprint_hex(&self) -> String {
        hex(&self.fingerprint)
    }

    /// True when the key came from a certificate that strict X.509 parsing refuses
    /// (the 2013 myPOS test certificate); only its key was read.
    pub fn from_nonconforming_certificate(&self) -> bool {
        self.lenient_certificate
    }

    /// The certificate's validity end (X.509 notAfter) in seconds since the Unix epoch;
    /// `None` for a bare public key or a certificate whose validity cannot be read (the
    /// 2013 myPOS test certificate). Verification never looks at it: a certificate past its
    /// validity still verifies (myPOS decides when to rotate); integrations warn with it.
    pub fn not_after(&self) -> Option<u64> {
        self.not_after
    }

    /// Seconds from `now` (Unix seconds) until [`Self::not_after`]: negative once past it,
    /// `None` without a validity.
    pub fn seconds_left(&self, now: u64) -> Option<i64> {
        self.not_after.map(|end| {
            i64::try_from(end).unwrap_or(i64::MAX) - i64::try_from(now).unwrap_or(i64::MAX)
        })
    }

    /// SPKI `PUBLIC KEY` PEM text.
    pub fn to_spki_pem(&self) -> Result<String> {
        self.verifier
            .as_ref()
            .to_public_key_pem(pkcs8::LineEnding::LF)
            .map_err(|_| Error::Crypto("cannot encode public key".into()))
    }

    /// The `rsa` crate key, for building certificates.
    pub fn rsa_key(&self) -> &RsaPublicKey {
        self.verifier.as_ref()
    }

    /// Checks an RSASSA-PKCS1-v1_5 SHA-256 signature. Any failure is the one detail-free
    /// [`Error::SignatureInvalid`].
    pub fn verify(&self, message: &[u8], signature: &[u8]) -> Result<()> {
        #[cfg(all(feature = "aws-lc", not(feature = "rustcrypto")))]
        {
            self.fast
                .verify_sig(message, signature)
                .map_err(|_| Error::SignatureInvalid)
        }
        #[cfg(not(all(feature = "aws-lc", not(feature = "rustcrypto"))))]
        {
            use rsa::signature::Verifier;
            let sig = RsaSignature::try_from(signature).map_err(|_| Error::SignatureInvalid)?;
            self.verifier
                .verify(message, &sig)
                .map_err(|_| Error::SignatureInvalid)
        }
    }
}

/// Reads the SubjectPublicKeyInfo of a certificate without validating the other fields.
fn lenient_certificate_spki(der_bytes: &[u8]) -> Option<Vec<u8>> {
    use der::asn1::AnyRef;
    use der::{Decode, Encode, SliceReader, Tag, Tagged};
    let cert = AnyRef::from_der(der_bytes).ok()?;
    if cert.tag() != Tag::Sequence {
        return None;
    }
    let mut outer = SliceReader::new(cert.value()).ok()?;
    let tbs = AnyRef::decode(&mut outer).ok()?;
    if tbs.tag() != Tag::Sequence {
        return None;
    }
    let mut fields = SliceReader::new(tbs.value()).ok()?;
    let first = AnyRef::decode(&mut fields).ok()?;
    if first.tag().is_context_specific() {
        AnyRef::decode(&mut fields).ok()?; // the serial number, whatever its length
    }
    for _ in 0..4 {
        AnyRef::decode(&mut fields).ok()?; // signature algorithm, issuer, validity, subject
    }
    let spki = AnyRef::decode(&mut fields).ok()?;
    if spki.tag() != Tag::Sequence {
        return None;
    }
    spki.to_der().ok()
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// Whether the build signs 2048+ bit keys with aws-lc (`"aws-lc"`) or uses `rsa` throughout.
pub fn backend_name() -> &'static str {
    if cfg!(all(feature = "aws-lc", not(feature = "rustcrypto"))) {
        "aws-lc"
    } else {
        "rustcrypto"
    }
}

/// Used by `PublicKeyParts` users outside this module.
pub(crate) fn same_key(a: &PublicKey, b: &PublicKey) -> bool {
    a.rsa_key().n() == b.rsa_key().n() && a.rsa_key().e() == b.rsa_key().e()
}
