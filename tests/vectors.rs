//! Known-answer tests over every vector in tests/data (docs/architecture.md, "Known-answer vectors").

mod common;

use common::*;
use ipc::{canonical, ConfigPack, Endpoint, Message, OutputFormat, Response};
use serde_json::Value;
use sha2::{Digest, Sha256};

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn outgoing_requests_sign_byte_for_byte() {
    let doc = json("vectors/outgoing-requests.json");
    let vectors = doc["vectors"].as_array().unwrap();
    assert_eq!(vectors.len(), 40);
    for v in vectors {
        let id = s(v, "id");
        let key = private_key(s(v, "signing_key"));
        let public = public_key(s(v, "verify_with"));
        let fields = pairs(&v["params"]);
        assert_eq!(
            canonical::joined(fields.values()),
            s(v, "concatenated"),
            "{id}: joined"
        );
        assert_eq!(
            canonical::signing_input(fields.values()),
            s(v, "concatenated_base64"),
            "{id}: base64"
        );
        let sig = ipc::sign_fields(&fields, &key).unwrap();
        assert_eq!(sig, s(v, "signature"), "{id}: signature");
        ipc::verify_values(fields.values(), &sig, &public).unwrap_or_else(|e| panic!("{id}: {e}"));

        let mut signed = fields.clone();
        signed.push("Signature", sig);
        let body = signed.to_urlencoded();
        if let Some(b) = v.get("browser_submission") {
            let mismatches = b["mismatches_between_signed_and_submitted"]
                .as_array()
                .map_or(0, Vec::len);
            if mismatches == 0 {
                assert_eq!(body, s(b, "body_as_browser_submits"), "{id}: browser body");
            } else {
                // The SDK's newline trap: the browser posts CRLF where LF was signed.
                assert_ne!(body, s(b, "body_as_browser_submits"), "{id}");
            }
        } else {
            assert_eq!(
                body,
                s(&v["wire"], "recommended_body"),
                "{id}: recommended body"
            );
        }
        // The body verifies as sent.
        ipc::verify_form(body.as_bytes(), &public).unwrap_or_else(|e| panic!("{id}: {e}"));
    }
}

/// The class (docs/architecture.md, "Verification outcomes") of every incoming vector whose verdict is "invalid".
fn expected_invalid_class(id: &str) -> &'static str {
    match id {
        "notify-missing-signature"
        | "notify-empty-signature"
        | "notify-bad-base64-urlsafe"
        | "notify-bad-base64-not-base64"
        | "notify-base64-with-junk-chars"
        | "notify-unencoded-plus-in-signature"
        | "notify-duplicate-field-same-value"
        | "notify-duplicate-field-other-value"
        | "rollback-missing-signature"
        | "cancel-missing-signature" => "malformed",
        _ => "signature_invalid",
    }
}

#[test]
fn incoming_notifications_get_their_verdicts() {
    let doc = json("vectors/incoming-notifications.json");
    let vectors = doc["vectors"].as_array().unwrap();
    assert_eq!(vectors.len(), 39);
    let (mut valid, mut invalid) = (0, 0);
    for v in vectors {
        let id = s(v, "id");
        let key = public_key(s(v, "verify_with"));
        let body = v
            .get("raw_body")
            .or_else(|| v.get("raw_query"))
            .and_then(Value::as_str)
            .unwrap();
        let result = Message::parse_and_verify(body.as_bytes(), &key);
        let expected = match s(v, "recommended_verdict") {
            "valid" => "valid",
            "invalid" => expected_invalid_class(id),
            other => panic!("{id}: verdict {other}"),
        };
        assert_eq!(class(&result), expected, "{id}: {result:?}");
        if let Ok(msg) = result {
            valid += 1;
            assert_eq!(
                msg.fields(),
                &pairs(&v["values_signed_by_sender"]),
                "{id}: fields"
            );
            assert_eq!(msg.method(), s(v, "ipc_method"), "{id}");
        } else {
            invalid += 1;
        }
    }
    assert!(
        valid >= 10 && invalid >= 25,
        "{valid} valid, {invalid} invalid"
    );
}

#[test]
fn api_responses_get_their_verdicts() {
    let doc = json("vectors/api-responses.json");
    for v in doc["vectors"].as_array().unwrap() {
        let id = s(v, "id");
        let key = public_key(s(v, "verify_with"));
        let format = OutputFormat::parse(s(v, "format"));
        let detected = Response::parse_and_verify(s(v, "raw").as_bytes(), None, &key);
        let result = Response::parse_and_verify(s(v, "raw").as_bytes(), format, &key);
        assert_eq!(class(&detected), class(&result), "{id}: detection");
        let expected = match (s(v, "recommended_verdict"), id) {
            ("valid", _) => "valid",
            (
                _,
                "error-status3-json-unsigned"
                | "error-status3-xml-unsigned"
                | "missing-signature-json",
            ) => {
                assert!(
                    matches!(result, Err(ipc::Error::UnsignedResponse { .. })),
                    "{id}"
                );
                "malformed"
            }
            _ => "signature_invalid",
        };
        assert_eq!(class(&result), expected, "{id}: {result:?}");
        if let (Ok(r), Some(concat)) = (
            &result,
            v.get("signer_concatenated").and_then(Value::as_str),
        ) {
            assert_eq!(
                ipc::response::leaves_signing_input(r.root()),
                canonical::signing_input([concat]),
                "{id}: leaves"
            );
        }
    }
}

#[test]
fn api_response_statuses_and_nesting() {
    let doc = json("vectors/api-responses.json");
    let key = public_key("test-keys/simulated-mypos-cert.pem");
    let find = |id: &str| {
        let v = doc["vectors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["id"] == id)
            .unwrap();
        Response::parse_and_verify(s(v, "raw").as_bytes(), None, &key).unwrap()
    };
    let err = find("error-status2-json-signed");
    assert_eq!(err.status().0, 2);
    assert_eq!(err.status().name(), "E_SIGNATURE_FAILED");
    let nested = find("gettxnstatus-json-nested-valid");
    assert_eq!(nested.method(), "IPCGetTxnStatus");
    let inner = nested.order_status().unwrap();
    assert_eq!(inner.get("IPCmethod"), Some("IPCPurchaseNotify"));
    // The nested message verifies on its own as a notify.
    ipc::verify_fields(inner, &key).unwrap();
    // ... and the core hands it over as a verified, checked Message.
    let message = nested.order_status_message(&key).unwrap().unwrap();
    assert_eq!(message.kind(), &ipc::MessageKind::PurchaseNotify);
    assert_eq!(message.get("Signature"), None);
    assert_eq!(err.order_status_message(&key), Ok(None));
    let other = public_key("protocol/test-keys/merchant-sim-cert.pem");
    assert_eq!(
        nested.order_status_message(&other),
        Err(ipc::Error::SignatureInvalid)
    );
    assert_eq!(find("json-number-amount").get("Amount"), Some("23.5"));
    let refund = find("refund-json-valid").transaction().unwrap();
    assert_eq!(refund.trnref, "410228");
    assert_eq!(
        refund
            .amount
            .map(|m| (m.minor, m.currency.code().to_string())),
        Some((1250, "EUR".into()))
    );
    assert!(
        err.transaction().is_err(),
        "an error answer echoes no transaction"
    );
}

#[test]
fn config_packages_load_as_the_sdk_reads_them() {
    let doc = json("vectors/config-packages.json");
    for v in doc["vectors"].as_array().unwrap() {
        let id = s(v, "id");
        let decoded = ConfigPack::decode(s(v, "package"));
        if s(v, "sdk_result") == "error" {
            assert!(decoded.is_err(), "{id}: expected an error");
            continue;
        }
        let pack = decoded.unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(pack.sid, s(v, "sid"), "{id}");
        assert_eq!(pack.wallet, s(v, "wallet"), "{id}");
        let idx = v["key_index"]
            .as_str()
            .map_or_else(|| v["key_index"].to_string(), str::to_string);
        assert_eq!(pack.key_index.to_string(), idx, "{id}");
        assert_eq!(
            pack.application_id.clone().unwrap_or_default(),
            s(v, "application_id"),
            "{id}"
        );
        assert_eq!(
            pack.partner_id.clone().unwrap_or_default(),
            s(v, "partner_id"),
            "{id}"
        );
        let pk_hash = pack
            .private_key_pem()
            .map(|pk| hex(&Sha256::digest(pk.as_bytes())));
        assert_eq!(pk_hash.as_deref(), v["private_key_sha256"].as_str(), "{id}");
        let pc_hash = pack
            .mypos_certificate_pem
            .as_ref()
            .map(|pc| hex(&Sha256::digest(pc.as_bytes())));
        assert_eq!(
            pc_hash.as_deref(),
            v["api_public_cert_sha256"].as_str(),
            "{id}"
        );
        let config = ipc::Config::from_pack(&pack, Endpoint::Test);
        assert_eq!(
            config.is_ok(),
            s(v, "config_validate") == "ok",
            "{id}: {config:?}"
        );
        // Encoding and decoding again gives the same pack.
        assert_eq!(
            ConfigPack::decode(&pack.encode()).unwrap(),
            pack,
            "{id}: round trip"
        );
    }
}

#[test]
fn public_test_pack_loads_and_signs_like_the_docs() {
    let pack = ConfigPack::decode(&read("test-keys/test_config_pack.b64")).unwrap();
    assert_eq!(pack.sid, "000000000000010");
    assert_eq!(pack.wallet, "61938166610");
    let config = ipc::Config::from_pack(&pack, Endpoint::Test).unwrap();
    assert_eq!(config.private_key().bits(), 1024);
    // 1024-bit test keys are refused for production.
    let prod = ipc::Config::from_pack(&pack, Endpoint::Production).unwrap_err();
    assert!(prod.to_string().contains("2048"), "{prod}");
}

#[test]
fn legacy_2013_certificate_loads_its_key_only() {
    let legacy = public_key("test-keys/mypos-test-public-cert-legacy-ipay-2013.pem");
    let current = public_key("test-keys/mypos-test-public-cert.pem");
    assert!(legacy.from_nonconforming_certificate());
    assert!(!current.from_nonconforming_certificate());
    assert_eq!(legacy.fingerprint(), current.fingerprint());
}

// ---- the rsa2048 set ----

fn rsa_key(name: &str) -> ipc::PrivateKey {
    private_key(&format!("keys/{name}"))
}
fn rsa_pub(name: &str) -> ipc::PublicKey {
    public_key(&format!("keys/{name}"))
}

fn check_sign_steps(id: &str, fields: &ipc::Fields, steps: &Value, key: &ipc::PrivateKey) {
    assert_eq!(
        canonical::joined(fields.values()),
        s(steps, "concatenated"),
        "{id}"
    );
    let input = canonical::signing_input(fields.values());
    assert_eq!(input, s(steps, "base64_of_concatenated"), "{id}");
    assert_eq!(
        hex(&Sha256::digest(input.as_bytes())),
        s(steps, "sha256_hex_of_base64_string"),
        "{id}"
    );
    assert_eq!(
        ipc::sign_fields(fields, key).unwrap(),
        s(steps, "signature_base64"),
        "{id}"
    );
}

#[test]
fn rsa2048_purchases() {
    let key = rsa_key("merchant_private.pem");
    let public = rsa_pub("merchant_cert.pem");
    for name in ["purchase_main", "purchase_edge", "purchase_v141_partner"] {
        let v = json(&format!("vectors/rsa2048/{name}.json"));
        let all = pairs(&v["params_in_signing_order"]);
        let (fields, sig) = all.clone().split_signature().unwrap();
        check_sign_steps(name, &fields, &v["sign_steps"], &key);
        assert_eq!(sig, s(&v["sign_steps"], "signature_base64"));
        ipc::verify_fields(all.clone(), &public).unwrap();
        if let Some(body) = v
            .get("browser_body_application_x_www_form_urlencoded")
            .and_then(Value::as_str)
        {
            // The SDK drops PHP-null values from its form while signing them as "" (docs/protocol.md, "SDK behaviour this project does not copy";
            // item 1): our body keeps them, so it verifies; the SDK's does only when none were null.
            let nulls: Vec<&str> = v["params_in_signing_order"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|p| p[1].is_null())
                .map(|p| p[0].as_str().unwrap())
                .collect();
            let without_nulls: ipc::Fields =
                all.iter().filter(|(n, _)| !nulls.contains(n)).collect();
            assert_eq!(without_nulls.to_urlencoded(), body, "{name}: body");
            ipc::verify_form(all.to_urlencoded().as_bytes(), &public).unwrap();
            let sdk = ipc::verify_form(body.as_bytes(), &public);
            assert_eq!(sdk.is_ok(), nulls.is_empty(), "{name}: SDK body");
            // What the SDK's HTML form carries decodes back to the signed values.
            let form = ipc::request::html_form("https://x.example/", &all);
            for (n, val) in all.iter() {
                assert!(
                    form.contains(&ipc::request::html_escape(val)),
                    "{name}: {n}"
                );
            }
        }
    }
}

#[test]
fn rsa2048_callbacks() {
    let key = rsa_key("mypos_private.pem");
    let public = rsa_pub("mypos_cert.pem");
    for (name, expected) in [
        ("callback_notify_ok", "valid"),
        ("callback_purchase_ok_redirect", "valid"),
        ("callback_purchase_cancel", "valid"),
        ("callback_notify_merchant_http500", "valid"),
        ("callback_purchase_rollback", "valid"),
        ("callback_notify_tampered_amount", "signature_invalid"),
        ("callback_notify_reordered", "signature_invalid"),
    ] {
        let v = json(&format!("vectors/rsa2048/{name}.json"));
        let signed = pairs(&v["fields_signed_in_order"]);
        check_sign_steps(name, &signed, &v["sign_steps"], &key);
        let result = Message::parse_and_verify(s(&v, "wire_body").as_bytes(), &public);
        assert_eq!(class(&result), expected, "{name}: {result:?}");
    }
}

#[test]
fn rsa2048_server_to_server() {
    let merchant = rsa_key("merchant_private.pem");
    let merchant_pub = rsa_pub("merchant_cert.pem");
    let mypos = rsa_key("mypos_private.pem");
    let mypos_pub = rsa_pub("mypos_cert.pem");
    for name in [
        "refund_json",
        "refund_xml",
        "reversal_xml",
        "getpaymentstatus_xml",
        "gettxnstatus_json",
        "gettxnstatus_xml",
    ] {
        let v = json(&format!("vectors/rsa2048/{name}.json"));
        let req = &v["request"];
        let all = pairs(&req["post_pairs_in_received_order"]);
        let (fields, sig) = all.clone().split_signature().unwrap();
        if req["sign_steps"].is_object() {
            check_sign_steps(name, &fields, &req["sign_steps"], &merchant);
        } else {
            assert_eq!(ipc::sign_fields(&fields, &merchant).unwrap(), sig, "{name}");
        }
        ipc::verify_form(s(req, "raw_body").as_bytes(), &merchant_pub)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let resp = &v["response"];
        assert_eq!(
            ipc::sign_values([s(&resp["sign_steps"], "concatenated")], &mypos).unwrap(),
            s(&resp["sign_steps"], "signature_base64"),
            "{name}"
        );
        // gettxnstatus_xml is valid too: nested XML verifies depth-first as myPOS signs it.
        let parsed = Response::parse_and_verify(s(resp, "raw_body").as_bytes(), None, &mypos_pub)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(parsed.status().is_success(), "{name}");
        match name {
            "refund_json" | "refund_xml" | "reversal_xml" => {
                assert!(parsed.transaction().is_ok(), "{name}")
            }
            "getpaymentstatus_xml" => assert_eq!(
                parsed.payment_state(),
                Some(ipc::PaymentState::Paid),
                "{name}"
            ),
            _ => assert!(parsed.order_status().is_some(), "{name}"),
        }
    }
}

#[test]
fn rsa2048_config_pack_and_scenarios() {
    let v = json("vectors/rsa2048/config_pack.json");
    let pack = ConfigPack::decode(s(&v, "base64")).unwrap();
    assert_eq!(pack.key_index, 1);
    let config = ipc::Config::from_pack(&pack, Endpoint::Test).unwrap();
    let main = json("vectors/rsa2048/purchase_main.json");
    let (fields, _) = pairs(&main["params_in_signing_order"])
        .split_signature()
        .unwrap();
    assert_eq!(
        ipc::sign_fields(&fields, config.private_key()).unwrap(),
        s(&v, "purchase_main_signature_with_pack")
    );

    let sc = json("vectors/rsa2048/scenarios.json");
    let mypos_pub = rsa_pub("mypos_cert.pem");
    let answer = |k: &str| s(&sc[k]["capture"]["response"], "raw_body").to_string();
    let wrong = Response::parse_and_verify(
        answer("wrong_signature_to_mypos").as_bytes(),
        None,
        &mypos_pub,
    )
    .unwrap();
    assert_eq!(wrong.status().0, 2);
    let missing =
        Response::parse_and_verify(answer("missing_params").as_bytes(), None, &mypos_pub).unwrap();
    assert_eq!(missing.status().0, 1);
    for k in ["unsigned_status3_json", "unsigned_status3_xml"] {
        let e = Response::parse_and_verify(answer(k).as_bytes(), None, &mypos_pub).unwrap_err();
        assert_eq!(
            e,
            ipc::Error::UnsignedResponse {
                claimed_status: Some("3".into())
            },
            "{k}"
        );
    }
    let tampered =
        Response::parse_and_verify(answer("tampered_response").as_bytes(), None, &mypos_pub);
    assert_eq!(tampered.unwrap_err(), ipc::Error::SignatureInvalid);
}

#[test]
fn rsa2048_pitfalls() {
    let v = json("vectors/rsa2048/pitfalls.json");
    let public = rsa_pub("mypos_cert.pem");
    let d = &v["dash_separator_ambiguity"];
    let sig = s(d, "signature");
    // Both verify (the rule cannot tell them apart) ...
    ipc::verify_values(pairs(&d["signed_pairs"]).values(), sig, &public).unwrap();
    let mut shifted = pairs(&d["shifted_pairs"]);
    ipc::verify_values(shifted.values(), sig, &public).unwrap();
    // ... so the field checks after verification must catch the shifted one.
    shifted.push("Signature", sig);
    let err = Message::parse_and_verify(shifted.to_urlencoded().as_bytes(), &public).unwrap_err();
    assert!(matches!(err, ipc::Error::InvalidMessage { .. }), "{err}");
    let u = &v["utf8_bytes"];
    assert_eq!(canonical::signing_input([s(u, "value")]), s(u, "base64"));
    let e = &v["empty_value_counts"];
    assert_eq!(
        canonical::joined(["IPCPurchaseCancel", "000000000000010", "", "24.45"]),
        s(e, "with_empty")
    );
}
