//! Key rotation against the sandbox (issue 16): the sandbox rotates its myPOS certificate on
//! request; notifies signed by the old and the new certificate verify during the overlap, the
//! retired one is refused afterwards; a KeyIndex switch is accepted by the sandbox; `ipc
//! verify` with `--cert` twice names the certificate that matched on stderr only. Every key
//! and certificate is made at test time.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::PathBuf;
use std::sync::Arc;

use common::*;
use ipc::{
    CartItem, Currency, GetPaymentStatus, Message, Money, OutputFormat, PublicKey, Purchase,
    Response, ReturnUrls,
};

fn tmpdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ipc-rotation-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn purchase(order: &str, notify: &str) -> Purchase {
    Purchase::new(
        order,
        Money::new(1050, Currency::parse("EUR").unwrap()),
        ReturnUrls {
            ok: "http://127.0.0.1:9/shop/ok".into(),
            cancel: "http://127.0.0.1:9/shop/cancel".into(),
            notify: notify.into(),
        },
    )
    .item(CartItem::new("Sticker", 1, 1050))
}

fn pay(sandbox: &Sandbox, config: &ipc::Config, order: &str, notify: &str) {
    let body = purchase(order, notify).sign(config).unwrap().body();
    let (code, html) = post(&sandbox.checkout_url(), &body);
    assert_eq!(code, 200, "{html}");
    let session = session_id(&html);
    let (code, _) = post(
        &format!("{}/vmp/payment", sandbox.base),
        &format!("session={session}&action=pay"),
    );
    assert_eq!(code, 200);
}

#[test]
fn sandbox_rotation_overlap_retirement_and_key_index_switch() {
    // A second merchant key, KeyIndex 2, made now and known to the sandbox.
    let dir = tmpdir("keys");
    let out = ipc(
        &["keygen", "--bits", "2048", "--out", dir.to_str().unwrap()],
        b"",
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let key2 = dir.join("merchant_private_key.pem");
    let cert2 = dir.join("merchant_certificate.pem");
    keep_key("rotation_merchant_private_key.pem", &key2);
    let second = format!("2={}", cert2.display());
    let sandbox = Sandbox::spawn(&["--merchant-cert", &second], true);
    let merchant = Merchant::start(Reply::Ok);

    let old_pem = sandbox.mypos_cert.clone();
    let old = Arc::new(PublicKey::from_pem(&old_pem).unwrap());
    let config = merchant_config(&old_pem);

    // Before the rotation: KeyIndex 1, notify by the old certificate.
    pay(&sandbox, &config, "ROT-1", &merchant.url);

    // The sandbox rotates; from now on it signs with the new certificate.
    let (status, new_pem) = post(
        &format!("{}/sandbox/rotate-mypos-cert", sandbox.base),
        "bits=1024",
    );
    assert_eq!(status, 200, "{new_pem}");
    assert!(
        new_pem.starts_with("-----BEGIN CERTIFICATE-----"),
        "{new_pem}"
    );
    let (status, served) = get(&format!("{}/sandbox/mypos-cert", sandbox.base));
    assert_eq!((status, served.as_str()), (200, new_pem.as_str()));
    let new = Arc::new(PublicKey::from_pem(&new_pem).unwrap());
    assert_ne!(old.fingerprint(), new.fingerprint());
    assert!(new.not_after().is_some());
    let (status, why) = post(
        &format!("{}/sandbox/rotate-mypos-cert", sandbox.base),
        "bits=7",
    );
    assert_eq!(status, 400, "{why}");

    // Overlap: both certificates accepted; switch the merchant to KeyIndex 2.
    let overlap = config
        .with_mypos_key(Arc::clone(&new))
        .unwrap()
        .with_merchant_key(
            2,
            Arc::new(ipc::PrivateKey::from_pem(&read(&key2)).unwrap()),
        )
        .unwrap()
        .with_active_key(2)
        .unwrap();
    assert_eq!(overlap.key_index(), 2);
    pay(&sandbox, &overlap, "ROT-2", &merchant.url);
    let answer = {
        let body = GetPaymentStatus {
            order_id: "ROT-2".into(),
            output: OutputFormat::Json,
        }
        .sign(&overlap)
        .unwrap()
        .body();
        let (status, text) = post(&sandbox.checkout_url(), &body);
        assert_eq!(status, 200);
        text
    };
    let (r, matched) =
        Response::parse_and_verify_keyring(answer.as_bytes(), None, overlap.mypos_keyring())
            .unwrap();
    assert_eq!((r.status().0, matched), (0, 1), "{answer}");
    assert_eq!(r.payment_status(), Some(1));

    let bodies = merchant.received();
    let notifies: Vec<&Vec<u8>> = bodies
        .iter()
        .filter(|b| String::from_utf8_lossy(b).starts_with("IPCmethod=IPCPurchaseNotify"))
        .collect();
    assert_eq!(
        notifies.len(),
        2,
        "both payments notified (KeyIndex 2 accepted)"
    );
    let ring = overlap.mypos_keyring();
    let (m1, i1) = Message::parse_and_verify_keyring(notifies[0], ring).unwrap();
    let (m2, i2) = Message::parse_and_verify_keyring(notifies[1], ring).unwrap();
    assert_eq!((m1.order_id(), i1), (Some("ROT-1"), 0));
    assert_eq!((m2.order_id(), i2), (Some("ROT-2"), 1));

    // The CLI: --cert twice; stdout as with one certificate, stderr names the match.
    let old_path = dir.join("old.pem");
    let new_path = dir.join("new.pem");
    std::fs::write(&old_path, &old_pem).unwrap();
    std::fs::write(&new_path, &new_pem).unwrap();
    let (o, n) = (old_path.to_str().unwrap(), new_path.to_str().unwrap());
    let single = ipc(&["verify", "--cert", n], notifies[1]);
    assert_eq!(code(&single), 0);
    assert_eq!(stderr(&single), "");
    let both = ipc(&["verify", "--cert", o, "--cert", n], notifies[1]);
    assert_eq!(code(&both), 0, "{}", stderr(&both));
    assert_eq!(stdout(&both), stdout(&single));
    assert!(
        stderr(&both).starts_with("verified with --cert 2 of 2"),
        "{}",
        stderr(&both)
    );
    let both = ipc(&["verify", "--cert", o, "--cert", n], notifies[0]);
    assert!(
        stderr(&both).starts_with("verified with --cert 1 of 2"),
        "{}",
        stderr(&both)
    );
    let resp = ipc(
        &["verify-response", "--cert", o, "--cert", n],
        answer.as_bytes(),
    );
    assert_eq!(code(&resp), 0, "{}", stderr(&resp));
    assert!(stderr(&resp).starts_with("verified with --cert 2 of 2"));
    // Retired: only the new certificate; the old notify is refused (exit 1).
    let retired = ipc(&["verify", "--cert", n], notifies[0]);
    assert_eq!(code(&retired), 1);
    let after = overlap.without_mypos_key(&old).unwrap();
    assert_eq!(
        Message::parse_and_verify_keyring(notifies[0], after.mypos_keyring()).unwrap_err(),
        ipc::Error::SignatureInvalid
    );
    assert_eq!(
        Message::parse_and_verify_keyring(notifies[1], after.mypos_keyring())
            .unwrap()
            .1,
        0
    );
    assert!(sandbox
        .events()
        .iter()
        .any(|e| e["event"] == "mypos_cert_rotated"));
    let _ = std::fs::remove_dir_all(&dir);
}
