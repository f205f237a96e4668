//! `ipc` subcommands against the vectors in tests/data, through the built binary.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};

use common::*;
use serde_json::Value;
use sha2::{Digest, Sha256};

fn path(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn mypos_cert() -> PathBuf {
    data("test-keys/simulated-mypos-cert.pem")
}

fn tmpdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ipc-cli-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The exit code the core's verdict calls for (docs/architecture.md, "Verification outcomes").
fn expected_code(result: &Result<impl Sized, ipc::Error>) -> i32 {
    match result {
        Ok(_) => 0,
        Err(e) if e.outcome() == ipc::Outcome::SignatureInvalid => 1,
        Err(_) => 2,
    }
}

fn pairs(v: &Value) -> Vec<(String, String)> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p[0].as_str().unwrap().to_string(),
                p[1].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn sign_reproduces_every_outgoing_vector() {
    let mut checked = 0;
    for v in vectors("outgoing-requests.json") {
        let id = v["id"].as_str().unwrap();
        let key = data(
            v["signing_key"]
                .as_str()
                .unwrap()
                .trim_start_matches("protocol/"),
        );
        let fields: ipc::Fields = pairs(&v["params"]).into_iter().collect();
        let body = fields.to_urlencoded();
        let out = ipc(
            &["sign", "--key", path(&key)],
            format!("{body}\n").as_bytes(),
        );
        assert_eq!(code(&out), 0, "{id}: {}", stderr(&out));
        let expected = format!(
            "{body}&Signature={}\n",
            ipc::fields::urlencode(v["signature"].as_str().unwrap())
        );
        assert_eq!(stdout(&out), expected, "{id}");
        checked += 1;
    }
    assert!(checked >= 40, "only {checked} vectors");
}

#[test]
fn sign_rejects_bad_key_and_bad_body() {
    let key = repo_keys("merchant_private.pem");
    let out = ipc(&["sign", "--key", path(&key)], b"A=1&&B=2");
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("body"), "{}", stderr(&out));
    let cert = repo_keys("merchant_cert.pem");
    let out = ipc(&["sign", "--key", path(&cert)], b"A=1");
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("merchant_cert.pem"),
        "{}",
        stderr(&out)
    );
    let out = ipc(&["sign", "--key", "/nonexistent/key.pem"], b"A=1");
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("/nonexistent/key.pem"));
}

#[test]
fn verify_classifies_every_incoming_vector() {
    let cert = mypos_cert();
    let key = ipc::PublicKey::from_pem(&read(&cert)).unwrap();
    let (mut valid, mut invalid) = (0, 0);
    for v in vectors("incoming-notifications.json") {
        let id = v["id"].as_str().unwrap();
        let body = v["raw_body"].as_str().or(v["raw_query"].as_str()).unwrap();
        let core = ipc::verify_form(body.as_bytes(), &key);
        let out = ipc(&["verify", "--cert", path(&cert)], body.as_bytes());
        match v["recommended_verdict"].as_str().unwrap() {
            "valid" => {
                assert_eq!(code(&out), 0, "{id}: {}", stderr(&out));
                let printed: Value = serde_json::from_str(&stdout(&out)).unwrap();
                let got: Vec<(String, String)> = printed
                    .as_object()
                    .unwrap()
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
                    .collect();
                assert_eq!(got, pairs(&v["values_signed_by_sender"]), "{id}");
                assert!(stdout(&out).ends_with("}\n"));
                valid += 1;
            }
            _ => {
                let c = code(&out);
                assert!(c == 1 || c == 2, "{id}: exit {c}");
                assert_eq!(c, expected_code(&core), "{id}");
                assert!(stdout(&out).is_empty(), "{id}");
                if c == 1 {
                    assert!(stderr(&out).contains("signature invalid"), "{id}");
                } else {
                    assert!(!stderr(&out).trim().is_empty(), "{id}");
                }
                invalid += 1;
            }
        }
    }
    assert!(
        valid >= 8 && invalid >= 20,
        "{valid} valid, {invalid} invalid"
    );
}

#[test]
fn verify_accepts_spki_and_ignores_one_trailing_newline() {
    let v = &vectors("incoming-notifications.json")[0];
    let body = v["raw_body"].as_str().unwrap();
    let spki = data("test-keys/simulated-mypos-public-key.pem");
    for input in [format!("{body}\r\n"), format!("{body}\n"), body.to_string()] {
        let out = ipc(&["verify", "--cert", path(&spki)], input.as_bytes());
        assert_eq!(code(&out), 0, "{}", stderr(&out));
    }
    // Two newlines: only one is stripped; the other lands in the Signature value, where
    // line breaks are ignored base64 whitespace.
    let out = ipc(
        &["verify", "--cert", path(&spki)],
        format!("{body}\n\n").as_bytes(),
    );
    assert_eq!(
        code(&out),
        0,
        "a newline inside base64 is ignored whitespace"
    );
    // The wrong certificate: signature invalid.
    let other = repo_keys("merchant_cert.pem");
    let out = ipc(&["verify", "--cert", path(&other)], body.as_bytes());
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("signature invalid"));
}

#[test]
fn verify_applies_the_input_limits() {
    let spki = data("test-keys/simulated-mypos-public-key.pem");
    let verify = |body: &[u8]| ipc(&["verify", "--cert", path(&spki)], body);
    // The body of issue 13: 108,000 distinct empty fields, refused as too many fields.
    let mut many: String = (0..108_000).map(|i| format!("a{i}=&")).collect();
    many.push_str("Signature=AAAA");
    let out = verify(many.as_bytes());
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("more than 4096 fields (the limit)"),
        "{}",
        stderr(&out)
    );
    let long_name = format!("{}=1&Signature=AAAA", "N".repeat(65));
    let out = verify(long_name.as_bytes());
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("longer than 64 bytes (the limit)"));
    // Past the byte limit (a trailing newline aside): refused by the core, naming the limit.
    let mut big = vec![b'a'; ipc::limits::MAX_BODY_BYTES + 1];
    big.push(b'\n');
    let out = verify(&big);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("body has 1048577 bytes; at most 1048576"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn verify_reports_malformed_certificates() {
    let v = &vectors("incoming-notifications.json")[0];
    let body = v["raw_body"].as_str().unwrap();
    let dir = tmpdir("badcert");
    let bad = dir.join("bad.pem");
    std::fs::write(
        &bad,
        "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
    )
    .unwrap();
    let out = ipc(&["verify", "--cert", path(&bad)], body.as_bytes());
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("bad.pem"), "{}", stderr(&out));
    let out = ipc(
        &["verify", "--cert", path(&dir.join("missing.pem"))],
        body.as_bytes(),
    );
    assert_eq!(code(&out), 2);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn verify_response_classifies_every_api_vector() {
    let cert = mypos_cert();
    let key = ipc::PublicKey::from_pem(&read(&cert)).unwrap();
    let mut n = 0;
    for v in vectors("api-responses.json") {
        let id = v["id"].as_str().unwrap();
        let raw = v["raw"].as_str().unwrap();
        let format = v["format"].as_str().unwrap();
        let core = ipc::Response::parse_and_verify(raw.as_bytes(), None, &key);
        for args in [
            vec!["verify-response", "--cert", path(&cert)],
            vec!["verify-response", "--cert", path(&cert), "--format", format],
        ] {
            let out = ipc(&args, raw.as_bytes());
            let c = code(&out);
            match v["recommended_verdict"].as_str().unwrap() {
                "valid" => {
                    assert_eq!(c, 0, "{id}: {}", stderr(&out));
                    let printed: Value = serde_json::from_str(&stdout(&out)).unwrap();
                    assert!(
                        printed.get("Signature").is_none() && printed.get("signature").is_none(),
                        "{id}"
                    );
                    match core.as_ref() {
                        Ok(answer) if answer.has_status() => {
                            assert_eq!(
                                printed["Status"].as_str().unwrap(),
                                answer.status().0.to_string(),
                                "{id}"
                            );
                            if let Some(inner) = answer.order_status() {
                                let nested = printed["OrderStatus"].as_object().unwrap();
                                assert_eq!(nested.len(), inner.len(), "{id}");
                            }
                        }
                        // A signed message without Status (the OrderStatus on its own).
                        _ => assert!(
                            printed.get("Status").is_none() && printed["IPCmethod"].is_string(),
                            "{id}"
                        ),
                    }
                }
                _ => {
                    assert!(c == 1 || c == 2, "{id}: exit {c}");
                    assert_eq!(c, expected_code(&core), "{id}");
                }
            }
        }
        n += 1;
    }
    assert!(n >= 18);
}

#[test]
fn verify_response_edge_cases() {
    let cert = mypos_cert();
    let all = vectors("api-responses.json");
    let find = |id: &str| {
        all.iter().find(|v| v["id"] == id).unwrap()["raw"]
            .as_str()
            .unwrap()
            .to_string()
    };
    // A signed error answer is valid; an unsigned one is malformed.
    let out = ipc(
        &["verify-response", "--cert", path(&cert)],
        find("error-status2-json-signed").as_bytes(),
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let printed: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(printed["Status"], "2");
    let out = ipc(
        &["verify-response", "--cert", path(&cert)],
        find("error-status3-json-unsigned").as_bytes(),
    );
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("unsigned"), "{}", stderr(&out));
    // Nested answers print nested objects.
    let out = ipc(
        &["verify-response", "--cert", path(&cert)],
        find("gettxnstatus-json-nested-valid").as_bytes(),
    );
    assert_eq!(code(&out), 0);
    let printed: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(printed["OrderStatus"]["IPCmethod"], "IPCPurchaseNotify");
    assert!(printed["OrderStatus"]["Signature"].is_string());
    // A forced wrong format is malformed.
    let out = ipc(
        &["verify-response", "--cert", path(&cert), "--format", "xml"],
        find("refund-json-valid").as_bytes(),
    );
    assert_eq!(code(&out), 2);
    let out = ipc(
        &["verify-response", "--cert", path(&cert), "--format", "yaml"],
        b"{}",
    );
    assert_eq!(code(&out), 64);
}

#[test]
fn explain_shows_every_step() {
    let v = &vectors("incoming-notifications.json")[0];
    let body = v["raw_body"].as_str().unwrap();
    let joined = v["sender_concatenated"].as_str().unwrap();
    let b64 = ipc::canonical::signing_input(
        pairs(&v["values_signed_by_sender"])
            .iter()
            .map(|(_, v)| v.as_str()),
    );
    let digest: String = Sha256::digest(b64.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let cert = mypos_cert();
    let key = data("test-keys/simulated-mypos-private-key.pem");
    for args in [
        ["explain", "--cert", path(&cert)],
        ["explain", "--key", path(&key)],
    ] {
        let out = ipc(&args, body.as_bytes());
        assert_eq!(code(&out), 0, "{}", stderr(&out));
        let text = stdout(&out);
        assert!(text.contains(&format!("joined: {joined}\n")), "{text}");
        assert!(text.contains(&format!("base64: {b64}\n")), "{text}");
        assert!(
            text.contains(&format!("sha256(base64): {digest}\n")),
            "{text}"
        );
        assert!(
            text.contains("1. IPCmethod = \"IPCPurchaseNotify\""),
            "{text}"
        );
        assert!(text.contains("verdict: valid"), "{text}");
        assert!(!text.contains("usual causes"));
        assert!(!text.contains("PRIVATE KEY"));
    }
}

#[test]
fn explain_lists_causes_when_it_fails() {
    let all = vectors("incoming-notifications.json");
    let tampered = all
        .iter()
        .find(|v| v["id"] == "notify-tampered-amount")
        .unwrap();
    let cert = mypos_cert();
    let out = ipc(
        &["explain", "--cert", path(&cert)],
        tampered["raw_body"].as_str().unwrap().as_bytes(),
    );
    assert_eq!(code(&out), 1);
    assert!(stderr(&out).contains("signature invalid"));
    let text = stdout(&out);
    for needle in [
        "verdict: signature invalid",
        "wrong key",
        "reordered",
        "&amp;",
        "trailing whitespace",
        "unencoded '+'",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in {text}");
    }
    // A value carrying an HTML entity is pointed out.
    let key = repo_keys("merchant_private.pem");
    let signed = stdout(&ipc(&["sign", "--key", path(&key)], b"A=x%26y&B=2"));
    let escaped = signed.replace("A=x%26y", "A=x%26amp%3By");
    let out = ipc(&["explain", "--key", path(&key)], escaped.as_bytes());
    assert_eq!(code(&out), 1);
    assert!(
        stdout(&out).contains("value 1 contains an HTML entity"),
        "{}",
        stdout(&out)
    );
    // Malformed: no Signature.
    let out = ipc(&["explain", "--key", path(&key)], b"A=1&B=2");
    assert_eq!(code(&out), 2);
    assert!(stdout(&out).contains("verdict: malformed"));
    // An API answer is explained depth-first.
    let api = vectors("api-responses.json");
    let nested = api
        .iter()
        .find(|v| v["id"] == "gettxnstatus-json-nested-valid")
        .unwrap();
    let out = ipc(
        &["explain", "--cert", path(&cert)],
        nested["raw"].as_str().unwrap().as_bytes(),
    );
    assert_eq!(code(&out), 0, "{}", stdout(&out));
    assert!(stdout(&out).contains("OrderStatus.Signature"));
}

#[test]
fn config_pack_decode_matches_the_sdk() {
    for v in vectors("config-packages.json") {
        let id = v["id"].as_str().unwrap();
        let pack = v["package"].as_str().unwrap();
        let out = ipc(&["config-pack", "decode"], format!("{pack}\n").as_bytes());
        if v["sdk_result"] == "error" {
            assert_eq!(code(&out), 2, "{id}");
            assert!(stderr(&out).contains("pack"), "{id}");
            continue;
        }
        assert_eq!(code(&out), 0, "{id}: {}", stderr(&out));
        let text = stdout(&out);
        assert!(!text.contains("PRIVATE KEY"), "{id}: secret shown");
        let json: Value = serde_json::from_str(&text.replace("\\/", "/")).unwrap();
        assert_eq!(json["sid"], v["sid"], "{id}");
        assert_eq!(json["cn"], v["wallet"], "{id}");
        let idx = match &v["key_index"] {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        assert_eq!(json["idx"].to_string(), idx, "{id}");
        let has_pk = v["private_key_sha256"]
            .as_str()
            .is_some_and(|s| s != "None");
        assert_eq!(json.get("pk").is_some(), has_pk, "{id}");
        if has_pk {
            assert_eq!(json["pk"], "[redacted]", "{id}");
            let shown = ipc(
                &["config-pack", "decode", "--show-secrets"],
                pack.as_bytes(),
            );
            assert_eq!(code(&shown), 0);
            let json: Value = serde_json::from_str(&stdout(&shown)).unwrap();
            let pk = json["pk"].as_str().unwrap();
            assert!(pk.contains("PRIVATE KEY"), "{id}");
            let digest: String = Sha256::digest(pk.as_bytes())
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            assert_eq!(digest, v["private_key_sha256"].as_str().unwrap(), "{id}");
        }
        if !v["application_id"].as_str().unwrap_or_default().is_empty() {
            assert_eq!(json["appid"], v["application_id"], "{id}");
            assert_eq!(json["pid"], v["partner_id"], "{id}");
        }
    }
}

#[test]
fn config_pack_encode_round_trips() {
    let key = repo_keys("merchant_private.pem");
    let cert = repo_keys("mypos_cert.pem");
    let out = ipc(
        &[
            "config-pack",
            "encode",
            "--sid",
            SID,
            "--wallet",
            WALLET,
            "--key-index",
            "3",
            "--key",
            path(&key),
            "--cert",
            path(&cert),
            "--appid",
            "app-1",
            "--pid",
            "p-2",
        ],
        b"",
    );
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.ends_with('\n') && !text.trim_end().contains('\n'));
    let pack = ipc::ConfigPack::decode(text.trim_end()).unwrap();
    assert_eq!(
        (pack.sid.as_str(), pack.wallet.as_str(), pack.key_index),
        (SID, WALLET, 3)
    );
    assert_eq!(pack.private_key_pem(), Some(read(&key).as_str()));
    assert_eq!(
        pack.mypos_certificate_pem.as_deref(),
        Some(read(&cert).as_str())
    );
    assert_eq!(pack.application_id.as_deref(), Some("app-1"));
    assert_eq!(pack.partner_id.as_deref(), Some("p-2"));
    ipc::Config::from_pack(&pack, ipc::Endpoint::Test).unwrap();
    // Swapped files are refused before a pack is made.
    let out = ipc(
        &[
            "config-pack",
            "encode",
            "--sid",
            SID,
            "--wallet",
            WALLET,
            "--key-index",
            "1",
            "--key",
            path(&cert),
            "--cert",
            path(&key),
        ],
        b"",
    );
    assert_eq!(code(&out), 2);
    assert!(stdout(&out).is_empty());
    let out = ipc(&["config-pack", "encode", "--sid", SID], b"");
    assert_eq!(code(&out), 64);
}

#[test]
fn keygen_writes_a_usable_key_and_certificate() {
    let dir = tmpdir("keygen");
    let out = ipc(&["keygen", "--bits", "2048", "--out", path(&dir)], b"");
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let key_path = dir.join("merchant_private_key.pem");
    let cert_path = dir.join("merchant_certificate.pem");
    let key_pem = read(&key_path);
    assert!(key_pem.starts_with("-----BEGIN PRIVATE KEY-----"));
    assert!(!stdout(&out).contains("PRIVATE"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let cert_pem = read(&cert_path);
    let der = pem_der(&cert_pem);
    let fingerprint: String = Sha256::digest(&der)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(stdout(&out), format!("SHA256:{fingerprint}\n"));
    let key = ipc::PrivateKey::from_pem(&key_pem).unwrap();
    let cert = ipc::PublicKey::from_pem(&cert_pem).unwrap();
    assert_eq!(key.bits(), 2048);
    assert_eq!(key.public_key().fingerprint(), cert.fingerprint());
    // Sign with the key, verify with the certificate, through the CLI.
    let signed = ipc(
        &["sign", "--key", path(&key_path)],
        b"IPCmethod=IPCPurchase&OrderID=1",
    );
    let out = ipc(&["verify", "--cert", path(&cert_path)], &signed.stdout);
    assert_eq!(code(&out), 0);
    let out = ipc(&["keygen", "--bits", "512", "--out", path(&dir)], b"");
    assert_eq!(code(&out), 64);
    keep_key("keygen_merchant_private_key.pem", &key_path);
    let _ = std::fs::remove_dir_all(&dir);
}

fn pem_der(pem: &str) -> Vec<u8> {
    use base64::Engine;
    let b64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap()
}

#[test]
fn usage_errors_exit_64() {
    for args in [
        vec![],
        vec!["frobnicate"],
        vec!["verify"],
        vec!["sign", "--key"],
        vec!["verify", "--cert", "x", "--extra"],
        vec!["explain"],
        vec!["explain", "--cert", "a", "--key", "b"],
        vec!["config-pack"],
        vec!["sandbox", "--sid", "1"],
    ] {
        let out = ipc(&args, b"");
        assert_eq!(code(&out), 64, "{args:?}: {}", stderr(&out));
    }
    for args in [vec!["--help"], vec!["--version"], vec!["sandbox", "--help"]] {
        let out = ipc(&args, b"");
        assert_eq!(code(&out), 0, "{args:?}");
        assert!(stdout(&out).ends_with('\n'));
    }
}

#[test]
fn verify_response_keeps_repeated_xml_elements() {
    let key = ipc::PrivateKey::from_pem(&read(&data("test-keys/simulated-mypos-private-key.pem")))
        .unwrap();
    let item = |action: &str| {
        ipc::Node::Branch(vec![
            ("time".into(), ipc::Node::Leaf("2026-01-15 14:49:48".into())),
            ("action".into(), ipc::Node::Leaf(action.into())),
        ])
    };
    let xml = ipc::ResponseBuilder::new()
        .field("IPCmethod", "IPCGetTxnLog")
        .field("OrderID", "ORDER-1")
        .node(
            "log",
            ipc::Node::Branch(vec![
                ("item".into(), item("notify")),
                ("item".into(), item("refund")),
            ]),
        )
        .field("Status", "0")
        .field("StatusMsg", "Success")
        .sign(ipc::OutputFormat::Xml, &key)
        .unwrap();
    let cert = mypos_cert();
    let out = ipc(&["verify-response", "--cert", path(&cert)], xml.as_bytes());
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let printed: Value = serde_json::from_str(&stdout(&out)).unwrap();
    let items = printed["log"]["item"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert_eq!(items[1]["action"], "refund");
    let tampered = xml.replace("refund", "refunD");
    let out = ipc(
        &["verify-response", "--cert", path(&cert)],
        tampered.as_bytes(),
    );
    assert_eq!(code(&out), 1);
}
