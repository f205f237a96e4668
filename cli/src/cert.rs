//! Self-signed X.509 certificates (keygen and the sandbox's myPOS identity).

use std::str::FromStr;
use std::time::Duration;

use der::{Encode, EncodePem};
use rsa::signature::Keypair;
use sha2::{Digest, Sha256};
use x509_cert::builder::{Builder, CertificateBuilder, Profile};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::SubjectPublicKeyInfoOwned;
use x509_cert::time::Validity;

use crate::fail::{CliResult, Failure};

/// Ten years.
const VALIDITY: Duration = Duration::from_secs(10 * 365 * 24 * 3600);

/// A certificate as PEM and its SHA-256 fingerprint (of the DER).
#[derive(Debug)]
pub struct SelfSigned {
    pub pem: String,
    pub fingerprint_hex: String,
}

pub fn self_signed(key: &ipc::PrivateKey, common_name: &str) -> CliResult<SelfSigned> {
    let err =
        |what: &str, e: &dyn std::fmt::Display| Failure::io(format!("certificate {what}: {e}"));
    let signer = key.rsa_signing_key();
    let spki = SubjectPublicKeyInfoOwned::from_key(signer.verifying_key())
        .map_err(|e| err("public key", &e))?;
    let subject =
        Name::from_str(&format!("CN={common_name},O=mypos-ipc")).map_err(|e| err("subject", &e))?;
    let serial = SerialNumber::from(serial_number());
    let validity = Validity::from_now(VALIDITY).map_err(|e| err("validity", &e))?;
    let builder = CertificateBuilder::new(Profile::Root, serial, validity, subject, spki, signer)
        .map_err(|e| err("builder", &e))?;
    let certificate = builder
        .build::<rsa::pkcs1v15::Signature>()
        .map_err(|e| err("signing", &e))?;
    let der = certificate.to_der().map_err(|e| err("encoding", &e))?;
    let pem = certificate
        .to_pem(der::pem::LineEnding::LF)
        .map_err(|e| err("encoding", &e))?;
    let fingerprint_hex = Sha256::digest(&der)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Ok(SelfSigned {
        pem,
        fingerprint_hex,
    })
}

/// A positive serial from the clock (unique enough for self-signed certificates).
fn serial_number() -> u32 {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(1);
    (nanos as u32 & 0x7fff_ffff).max(1)
}
