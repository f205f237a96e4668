//! The keyring (issue 16): several myPOS certificates at once, several merchant keys with one
//! active, notAfter readable, expired certificates still verifying. Certificates are made
//! at test time, so none expires under the suite.

mod common;

use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use der::EncodePem;
use ipc::{Config, Endpoint, ErrorKind, Keyring, Message, PrivateKey, PublicKey, Response};
use x509_cert::builder::{Builder, CertificateBuilder, Profile};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;
use x509_cert::spki::SubjectPublicKeyInfoOwned;
use x509_cert::time::{Time, Validity};

const NOTIFY: &str = "IPCmethod=IPCPurchaseNotify&SID=000000000000010&Amount=24.45&Currency=EUR\
    &OrderID=ORD-1&IPC_Trnref=410227&RequestSTAN=083107&RequestDateTime=2026-11-23+10%3A15%3A00\
    &PaymentMethod=1&BillingDescriptor=myPOS&PAN=0007";

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs()
}

/// A 1024-bit key and a self-signed certificate valid from `from` to `until` (Unix seconds).
fn identity(from: u64, until: u64) -> (PrivateKey, String) {
    let key = PrivateKey::generate(1024).expect("keygen");
    let signer = key.rsa_signing_key();
    let spki = SubjectPublicKeyInfoOwned::from_key(rsa::signature::Keypair::verifying_key(signer))
        .expect("spki");
    let time =
        |t: u64| Time::try_from(UNIX_EPOCH + Duration::from_secs(t)).expect("certificate time");
    let validity = Validity {
        not_before: time(from),
        not_after: time(until),
    };
    let subject = Name::from_str("CN=myPOS test,O=mypos-ipc").expect("name");
    let cert = CertificateBuilder::new(
        Profile::Root,
        SerialNumber::from(7u32),
        validity,
        subject,
        spki,
        signer,
    )
    .expect("builder")
    .build::<rsa::pkcs1v15::Signature>()
    .expect("certificate");
    let pem = cert.to_pem(der::pem::LineEnding::LF).expect("pem");
    (key, pem)
}

fn fresh() -> (PrivateKey, String) {
    let t = now();
    identity(t - 3600, t + 365 * 86400)
}

fn merchant() -> PrivateKey {
    common::private_key("keys/merchant_private.pem")
}

fn config(certs: &[&str]) -> Config {
    let mut b = Config::builder()
        .sid("000000000000010")
        .wallet("61938166610")
        .key_index(1)
        .private_key(Arc::new(merchant()))
        .mypos_public_key_pem(certs[0])
        .endpoint(Endpoint::Test);
    for c in &certs[1..] {
        b = b.add_mypos_public_key_pem(c);
    }
    b.build().expect("config")
}

#[test]
fn one_certificate_behaves_as_before() {
    let (key, cert) = fresh();
    let c = config(&[&cert]);
    assert_eq!(c.mypos_keyring().len(), 1);
    assert_eq!(c.key_indexes(), vec![1]);
    let body = ipc::sign_form(NOTIFY.as_bytes(), &key).unwrap();
    Message::parse_and_verify(body.as_bytes(), c.mypos_key()).unwrap();
    let (_, matched) =
        Message::parse_and_verify_keyring(body.as_bytes(), c.mypos_keyring()).unwrap();
    assert_eq!(matched, 0);
}

#[test]
fn rotation_overlap_then_retirement() {
    let (old_key, old_cert) = fresh();
    let (new_key, new_cert) = fresh();
    let by_old = ipc::sign_form(NOTIFY.as_bytes(), &old_key).unwrap();
    let by_new = ipc::sign_form(NOTIFY.as_bytes(), &new_key).unwrap();

    // Before: only the old certificate.
    let before = config(&[&old_cert]);
    let ring = before.mypos_keyring();
    assert_eq!(ring.verify_form(by_old.as_bytes()).unwrap().1, 0);
    assert_eq!(
        ring.verify_form(by_new.as_bytes()).unwrap_err(),
        ipc::Error::SignatureInvalid
    );

    // Overlap: both verify, and the index says which matched.
    let overlap = before
        .with_mypos_key(Arc::new(PublicKey::from_pem(&new_cert).unwrap()))
        .unwrap();
    let ring = overlap.mypos_keyring();
    assert_eq!(ring.len(), 2);
    let (m, i) = Message::parse_and_verify_keyring(by_old.as_bytes(), ring).unwrap();
    assert_eq!((m.order_id(), i), (Some("ORD-1"), 0));
    let (_, i) = Message::parse_and_verify_keyring(by_new.as_bytes(), ring).unwrap();
    assert_eq!(i, 1);
    // A foreign signature is still the one detail-free error; malformed stays malformed.
    let (other, _) = fresh();
    let foreign = ipc::sign_form(NOTIFY.as_bytes(), &other).unwrap();
    assert_eq!(
        ring.verify_form(foreign.as_bytes()).unwrap_err(),
        ipc::Error::SignatureInvalid
    );
    let e = ring
        .verify_form(format!("{NOTIFY}&Signature=a-b").as_bytes())
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::MalformedSignature);

    // Retired: the old one is refused, the new one verifies as certificate 0.
    let after = overlap
        .without_mypos_key(&PublicKey::from_pem(&old_cert).unwrap())
        .unwrap();
    let ring = after.mypos_keyring();
    assert_eq!(ring.len(), 1);
    assert_eq!(
        Message::parse_and_verify_keyring(by_old.as_bytes(), ring).unwrap_err(),
        ipc::Error::SignatureInvalid
    );
    assert_eq!(ring.verify_form(by_new.as_bytes()).unwrap().1, 0);
    // The last certificate cannot be retired.
    let e = after
        .without_mypos_key(&PublicKey::from_pem(&new_cert).unwrap())
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidConfig);
}

#[test]
fn responses_verify_with_any_certificate() {
    let (old_key, old_cert) = fresh();
    let (new_key, new_cert) = fresh();
    let c = config(&[&old_cert, &new_cert]);
    for (key, want) in [(&old_key, 0), (&new_key, 1)] {
        let sig = ipc::sign_values(["0", "ok"], key).unwrap();
        let body = format!(r#"{{"Status":"0","StatusMsg":"ok","Signature":"{sig}"}}"#);
        let (r, i) =
            Response::parse_and_verify_keyring(body.as_bytes(), None, c.mypos_keyring()).unwrap();
        assert_eq!(i, want);
        assert!(r.root().child("StatusMsg").is_some());
    }
}

#[test]
fn duplicates_and_bad_certificates_are_refused_by_position() {
    let (_, cert) = fresh();
    let e = Config::builder()
        .sid("000000000000010")
        .wallet("61938166610")
        .key_index(1)
        .private_key(Arc::new(merchant()))
        .mypos_public_key_pem(&cert)
        .add_mypos_public_key_pem(&cert)
        .build()
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidConfig);
    assert!(e.to_string().contains("same key"), "{e}");
    let e = Keyring::from_pems(&[cert.as_str(), "junk"]).unwrap_err();
    assert!(e.to_string().contains("[1]"), "{e}");
    let e = Keyring::from_pems::<&str>(&[]).unwrap_err();
    assert_eq!(e.kind(), ErrorKind::InvalidConfig);
    // The merchant's own public key is refused in any position.
    let own = merchant().public_key().to_spki_pem().unwrap();
    let e = Config::builder()
        .sid("000000000000010")
        .wallet("61938166610")
        .key_index(1)
        .private_key(Arc::new(merchant()))
        .mypos_public_key_pem(&cert)
        .add_mypos_public_key_pem(&own)
        .build()
        .unwrap_err();
    assert!(e.to_string().contains("merchant's own"), "{e}");
}

#[test]
fn expired_certificates_verify_and_not_after_is_readable() {
    let t = now();
    let (key, cert) = identity(t - 400 * 86400, t - 86400);
    let public = PublicKey::from_pem(&cert).unwrap();
    assert!(public.not_after().unwrap() <= t - 86400 + 1);
    assert!(public.seconds_left(t).unwrap() < 0);
    let c = config(&[&cert]);
    let body = ipc::sign_form(NOTIFY.as_bytes(), &key).unwrap();
    Message::parse_and_verify(body.as_bytes(), c.mypos_key()).unwrap();
    assert_eq!(
        c.mypos_keyring().expiring_within(t, 30 * 86400).unwrap().0,
        0
    );

    let (_, soon) = identity(t - 86400, t + 10 * 86400);
    let (_, later) = identity(t - 86400, t + 100 * 86400);
    let c = config(&[&later, &soon]);
    let (i, end) = c.mypos_keyring().expiring_within(t, 30 * 86400).unwrap();
    assert_eq!(i, 1);
    assert!(end > t && end <= t + 10 * 86400 + 1);
    assert!(config(&[&later])
        .mypos_keyring()
        .expiring_within(t, 30 * 86400)
        .is_none());
    // A bare public key has no validity.
    let spki = public.to_spki_pem().unwrap();
    assert_eq!(PublicKey::from_pem(&spki).unwrap().not_after(), None);
    assert!(common::public_key("keys/mypos_cert.pem")
        .not_after()
        .is_some());
}

#[test]
fn merchant_keys_switch_the_active_index() {
    let (_, cert) = fresh();
    let second = Arc::new(PrivateKey::generate(1024).unwrap());
    let c = config(&[&cert])
        .with_merchant_key(2, Arc::clone(&second))
        .unwrap();
    assert_eq!(c.key_indexes(), vec![1, 2]);
    assert_eq!(c.key_index(), 1);
    let req = || ipc::GetTxnStatus {
        order_id: "ORD-1".into(),
        output: ipc::OutputFormat::Json,
    };
    let signed = req().sign(&c).unwrap();
    assert_eq!(signed.fields().get("KeyIndex"), Some("1"));
    ipc::verify_fields(signed.fields().clone(), merchant().public_key()).unwrap();

    let switched = c.with_active_key(2).unwrap();
    assert_eq!(switched.key_index(), 2);
    let signed = req().sign(&switched).unwrap();
    assert_eq!(signed.fields().get("KeyIndex"), Some("2"));
    ipc::verify_fields(signed.fields().clone(), second.public_key()).unwrap();
    assert_eq!(
        ipc::verify_fields(signed.fields().clone(), merchant().public_key()).unwrap_err(),
        ipc::Error::SignatureInvalid
    );
    // Derived configs keep every key; an unknown index, a taken one, the active one are refused.
    let back = switched.to_builder().language("BG").build().unwrap();
    assert_eq!((back.key_index(), back.key_indexes()), (2, vec![1, 2]));
    assert_eq!(
        c.with_active_key(3).unwrap_err().kind(),
        ErrorKind::InvalidConfig
    );
    assert!(c.with_merchant_key(2, Arc::new(merchant())).is_err());
    assert!(switched.without_merchant_key(2).is_err());
    let retired = switched.without_merchant_key(1).unwrap();
    assert_eq!(retired.key_indexes(), vec![2]);
    // The key index must name a held key.
    let e = Config::builder()
        .sid("000000000000010")
        .wallet("61938166610")
        .key_index(5)
        .add_merchant_key(1, Arc::new(merchant()))
        .mypos_public_key_pem(&cert)
        .build()
        .unwrap_err();
    assert!(e.to_string().contains("held: 1"), "{e}");
    // Debug never shows key material.
    let debug = format!("{retired:?}");
    assert!(
        debug.contains("[redacted]") && !debug.contains("PRIVATE"),
        "{debug}"
    );
}
