//! Malformed bodies, keys and answers: each gets its specific error, and none panics.

mod common;

use common::*;
use ipc::{ConfigPack, Error, Message, PrivateKey, PublicKey, Response};

fn mypos() -> PublicKey {
    public_key("test-keys/simulated-mypos-cert.pem")
}

fn valid_notify() -> String {
    let doc = json("vectors/incoming-notifications.json");
    doc["vectors"][0]["raw_body"].as_str().unwrap().to_string()
}

fn kind(e: &Error) -> &'static str {
    match e {
        Error::SignatureInvalid => "SignatureInvalid",
        Error::MalformedBody(_) => "MalformedBody",
        Error::InvalidUtf8(_) => "InvalidUtf8",
        Error::DuplicateField(_) => "DuplicateField",
        Error::MissingSignature => "MissingSignature",
        Error::MalformedSignature(_) => "MalformedSignature",
        Error::MalformedResponse(_) => "MalformedResponse",
        Error::UnsignedResponse { .. } => "UnsignedResponse",
        Error::Key(_) => "Key",
        Error::Config { .. } => "Config",
        Error::ConfigPack(_) => "ConfigPack",
        Error::InvalidRequest { .. } => "InvalidRequest",
        Error::InvalidMessage { .. } => "InvalidMessage",
        Error::Crypto(_) => "Crypto",
        _ => "other",
    }
}

#[test]
fn malformed_notify_bodies() {
    let good = valid_notify();
    let sig_at = good.find("&Signature=").unwrap();
    let unsigned = &good[..sig_at];
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        ("empty", b"".to_vec(), "MalformedBody"),
        (
            "stray ampersand",
            format!("{unsigned}&&{}", &good[sig_at + 1..]).into_bytes(),
            "MalformedBody",
        ),
        (
            "trailing ampersand",
            format!("{good}&").into_bytes(),
            "MalformedBody",
        ),
        (
            "name without =",
            format!("{good}&Foo").into_bytes(),
            "MalformedBody",
        ),
        (
            "empty name",
            format!("{good}&=x").into_bytes(),
            "MalformedBody",
        ),
        (
            "bad percent",
            good.replacen("ORDER-0001", "ORDER%G1", 1).into_bytes(),
            "MalformedBody",
        ),
        (
            "truncated percent",
            format!("{unsigned}&Signature=abc%2").into_bytes(),
            "MalformedBody",
        ),
        (
            "invalid utf-8 encoded",
            good.replacen("ORDER-0001", "ORDER%FF", 1).into_bytes(),
            "InvalidUtf8",
        ),
        (
            "invalid utf-8 raw",
            [
                unsigned.as_bytes(),
                b"&X=\xff\xfe",
                &good.as_bytes()[sig_at..],
            ]
            .concat(),
            "InvalidUtf8",
        ),
        (
            "duplicate name",
            format!("{good}&Amount=1.00").into_bytes(),
            "DuplicateField",
        ),
        (
            "duplicate name other case",
            format!("{good}&amount=23.45").into_bytes(),
            "DuplicateField",
        ),
        (
            "two signatures",
            format!("{good}&signature=AAAA").into_bytes(),
            "DuplicateField",
        ),
        (
            "no signature",
            unsigned.as_bytes().to_vec(),
            "MissingSignature",
        ),
        (
            "empty signature",
            format!("{unsigned}&Signature=").into_bytes(),
            "MalformedSignature",
        ),
        (
            "url-safe signature",
            format!("{unsigned}&Signature=ab-_cd").into_bytes(),
            "MalformedSignature",
        ),
        (
            "space in signature",
            format!("{unsigned}&Signature=ab+cd").into_bytes(),
            "MalformedSignature",
        ),
        (
            "junk in signature",
            format!("{unsigned}&Signature=abcd%24").into_bytes(),
            "MalformedSignature",
        ),
        (
            "padding in the middle",
            format!("{unsigned}&Signature=ab%3Dcd").into_bytes(),
            "MalformedSignature",
        ),
        (
            "too much padding",
            format!("{unsigned}&Signature=ab%3D%3D%3D").into_bytes(),
            "MalformedSignature",
        ),
        (
            "NUL in signature",
            format!("{unsigned}&Signature=ab%00cd").into_bytes(),
            "MalformedSignature",
        ),
        (
            "only a signature",
            b"Signature=AAAA".to_vec(),
            "MalformedBody",
        ),
        (
            "huge",
            vec![b'a'; ipc::limits::MAX_BODY_BYTES + 1],
            "MalformedBody",
        ),
        (
            "short signature",
            format!("{unsigned}&Signature=AAAA").into_bytes(),
            "SignatureInvalid",
        ),
        (
            "truncated signature",
            good.as_bytes()[..good.len() - 40].to_vec(),
            "SignatureInvalid",
        ),
    ];
    assert!(cases.len() >= 24);
    for (name, body, expected) in cases {
        let err = Message::parse_and_verify(&body, &mypos()).unwrap_err();
        assert_eq!(kind(&err), expected, "{name}: {err}");
        assert!(!err.to_string().is_empty());
    }
}

#[test]
fn bad_keys_and_certificates() {
    let cert = read("test-keys/simulated-mypos-cert.pem");
    let key = read("test-keys/merchant-sim-private-key.pem");
    let pkcs8 = read("test-keys/merchant-sim-private-key.pkcs8.pem");
    let privates = [
        ("empty", String::new()),
        ("garbage", "not a key".to_string()),
        ("certificate given", cert.clone()),
        ("truncated", key[..key.len() / 2].to_string()),
        ("bad base64 body", key.replacen("MII", "M!I", 1)),
        (
            "encrypted",
            "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n"
                .into(),
        ),
        (
            "unknown block",
            "-----BEGIN FOO-----\nAAAA\n-----END FOO-----\n".into(),
        ),
        (
            "pkcs8 body under pkcs1 label",
            pkcs8.replace("PRIVATE KEY", "RSA PRIVATE KEY"),
        ),
    ];
    for (name, pem) in privates {
        let err = PrivateKey::from_pem(&pem).unwrap_err();
        assert_eq!(kind(&err), "Key", "{name}: {err}");
        // No key material in the message.
        assert!(!err.to_string().contains("MII"), "{name}");
    }
    let publics = [
        ("empty", String::new()),
        ("private key given", key.clone()),
        ("truncated certificate", cert[..cert.len() / 2].to_string()),
        ("certificate body garbage", cert.replacen("MII", "AAA", 1)),
    ];
    for (name, pem) in publics {
        let err = PublicKey::from_pem(&pem).unwrap_err();
        assert_eq!(kind(&err), "Key", "{name}: {err}");
    }
    // CRLF and PKCS#8 forms load.
    PrivateKey::from_pem(&key.replace('\n', "\r\n")).unwrap();
    PrivateKey::from_pem(&pkcs8).unwrap();
}

#[test]
fn malformed_api_answers() {
    let key = mypos();
    let cases: Vec<(&str, &str, &str)> = vec![
        ("empty", "", "MalformedResponse"),
        ("neither", "hello", "MalformedResponse"),
        ("broken json", "{\"a\":", "MalformedResponse"),
        ("json array", "[1,2]", "MalformedResponse"),
        ("broken xml", "<IPC_response><a>1</IPC_response>", "MalformedResponse"),
        ("wrong xml root", "<foo><Status>0</Status></foo>", "MalformedResponse"),
        ("xml doctype", "<!DOCTYPE x [<!ENTITY e \"x\">]><IPC_response><a>&e;</a></IPC_response>", "MalformedResponse"),
        ("mixed xml", "<IPC_response>text<a>1</a></IPC_response>", "MalformedResponse"),
        ("unsigned json", "{\"IPCmethod\":\"IPCRefund\",\"Status\":3}", "UnsignedResponse"),
        ("unsigned xml", "<IPC_response><Status>0</Status></IPC_response>", "UnsignedResponse"),
        ("signature object", "{\"Status\":0,\"Signature\":{\"a\":\"b\"}}", "MalformedSignature"),
        ("two xml signatures", "<IPC_response><Status>0</Status><Signature>AA</Signature><Signature>AA</Signature></IPC_response>", "DuplicateField"),
        ("bad signature alphabet", "{\"Status\":0,\"Signature\":\"a_b\"}", "MalformedSignature"),
        ("foreign signature", "{\"Status\":0,\"Signature\":\"AAAA\"}", "SignatureInvalid"),
    ];
    for (name, body, expected) in cases {
        let err = Response::parse_and_verify(body.as_bytes(), None, &key).unwrap_err();
        assert_eq!(kind(&err), expected, "{name}: {err}");
    }
    let deep = format!("{}1{}", "{\"a\":".repeat(64), "}".repeat(64));
    assert_eq!(
        kind(&Response::parse_and_verify(deep.as_bytes(), None, &key).unwrap_err()),
        "MalformedResponse"
    );
    let err = Response::parse_and_verify(b"{\"a\":\"\xff\"}", None, &key).unwrap_err();
    assert_eq!(kind(&err), "InvalidUtf8");
}

#[test]
fn malformed_config_packs() {
    use base64::Engine;
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let cases = [
        ("empty", String::new()),
        ("not base64", "***".to_string()),
        ("not json", b64("hello")),
        ("json array", b64("[]")),
        ("empty object", b64("{}")),
        (
            "unknown key",
            b64(r#"{"sid":"1","cn":"2","idx":1,"url":"x"}"#),
        ),
        ("missing sid", b64(r#"{"cn":"2","idx":1}"#)),
        ("idx zero", b64(r#"{"sid":"1","cn":"2","idx":0}"#)),
        ("idx text", b64(r#"{"sid":"1","cn":"2","idx":"one"}"#)),
        (
            "pk not a string",
            b64(r#"{"sid":"1","cn":"2","idx":1,"pk":[1]}"#),
        ),
    ];
    for (name, pack) in cases {
        let err = ConfigPack::decode(&pack).unwrap_err();
        assert_eq!(kind(&err), "ConfigPack", "{name}: {err}");
    }
}

#[test]
fn config_fields_are_validated_with_named_errors() {
    let key = read("keys/merchant_private.pem");
    let cert = read("keys/mypos_cert.pem");
    let own = read("keys/merchant_cert.pem");
    let base = || {
        ipc::Config::builder()
            .sid("000000000000010")
            .wallet("61938166610")
            .key_index(1)
            .private_key_pem(&key)
            .mypos_public_key_pem(&cert)
    };
    base().build().unwrap();
    let field = |r: ipc::Result<ipc::Config>| match r.unwrap_err() {
        Error::Config { field, .. } => field,
        other => panic!("{other}"),
    };
    assert_eq!(field(base().sid("123").build()), "sid");
    assert_eq!(field(base().sid("00000000000001!").build()), "sid");
    assert_eq!(field(base().wallet("6193816661x").build()), "wallet");
    assert_eq!(field(base().key_index(0).build()), "key_index");
    assert_eq!(field(base().private_key_pem("nope").build()), "private_key");
    assert_eq!(
        field(base().mypos_public_key_pem("nope").build()),
        "mypos_certificate"
    );
    assert_eq!(
        field(base().mypos_public_key_pem(&own).build()),
        "mypos_certificate"
    );
    assert_eq!(field(base().language("english").build()), "language");
    assert_eq!(
        field(base().version(ipc::IpcVersion::V1_4_1).build()),
        "version"
    );
    base()
        .version(ipc::IpcVersion::V1_4_1)
        .application_id("a")
        .partner_id("p")
        .build()
        .unwrap();
    assert!(ipc::Endpoint::parse("http://shop.example/vmp").is_err());
    assert!(ipc::Endpoint::parse("http://127.0.0.1:9/vmp/checkout-test").is_ok());
}

#[test]
fn secrets_stay_out_of_debug_and_errors() {
    let pem = read("keys/merchant_private.pem");
    let key = PrivateKey::from_pem(&pem).unwrap();
    let body: String = pem.lines().nth(1).unwrap().to_string();
    assert!(!format!("{key:?}").contains(&body[..20]));
    let pack = ConfigPack::new("000000000000010", "61938166610", 1, Some(pem.clone()), None);
    assert!(!format!("{pack:?}").contains(&body[..20]));
    assert!(!pack.to_json(false).contains(&body[..20]));
    assert!(pack.to_json(true).contains(&body[..20]));
    let err = PrivateKey::from_pem(&pem[..pem.len() - 100]).unwrap_err();
    assert!(!err.to_string().contains(&body[..20]));
}
