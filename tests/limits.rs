//! The input limits of `ipc::limits` (bytes, fields, name length) and the duplicate rule, at
//! and just past each limit. Times are not asserted: `make bench` measures the worst case.

mod common;

use common::bodies::{notify_pairs, one_long_field, signed_body_of_len, worst_case};
use common::*;
use ipc::limits::{MAX_BODY_BYTES, MAX_FIELDS, MAX_FIELD_NAME_BYTES};
use ipc::{parse_urlencoded, verify_form, Error, Message, PrivateKey, PublicKey};

fn keys() -> (PrivateKey, PublicKey) {
    let private = private_key("protocol/test-keys/simulated-mypos-private-key.pem");
    let public = private.public_key().clone();
    (private, public)
}

/// The malformed-body message, or a panic naming what came instead.
fn malformed(r: ipc::Result<impl std::fmt::Debug>) -> String {
    match r {
        Err(Error::MalformedBody(why)) => why,
        other => panic!("expected MalformedBody, got {other:?}"),
    }
}

/// `n` fields `f1=&f2=&...` (distinct names, empty values).
fn empty_fields(n: usize) -> String {
    (1..=n)
        .map(|i| format!("f{i}="))
        .collect::<Vec<_>>()
        .join("&")
}

#[test]
fn the_limits_are_what_the_readme_says() {
    assert_eq!(MAX_BODY_BYTES, 1_048_576);
    assert_eq!(MAX_FIELDS, 4096);
    assert_eq!(MAX_FIELD_NAME_BYTES, 64);
}

#[test]
fn field_count_at_and_past_the_limit() {
    let (private, public) = keys();
    // MAX_FIELDS with Signature verifies.
    let mut pairs = notify_pairs();
    while pairs.len() < MAX_FIELDS - 1 {
        pairs.push((format!("X{}", pairs.len()), "1".into()));
    }
    let body = signed_body_of_len(pairs.clone(), &private, 60_000);
    assert_eq!(parse_urlencoded(&body).unwrap().len(), MAX_FIELDS);
    let message = Message::parse_and_verify(&body, &public).unwrap();
    assert_eq!(message.fields().len(), MAX_FIELDS - 1);
    // One more field is refused before the signature is looked at, naming the limit.
    pairs.push(("Extra".into(), "1".into()));
    let body = signed_body_of_len(pairs, &private, 60_010);
    let why = malformed(verify_form(&body, &public));
    assert_eq!(why, "body has more than 4096 fields (the limit)");
    let why = malformed(Message::parse_and_verify(&body, &public));
    assert!(why.contains("4096 fields (the limit)"), "{why}");
    // The bare parser too.
    assert_eq!(
        parse_urlencoded(empty_fields(MAX_FIELDS).as_bytes())
            .unwrap()
            .len(),
        MAX_FIELDS
    );
    let why = malformed(parse_urlencoded(empty_fields(MAX_FIELDS + 1).as_bytes()));
    assert!(why.contains("more than 4096 fields (the limit)"), "{why}");
}

#[test]
fn issue_13_body_of_108000_fields_is_refused_as_too_many_fields() {
    // The body that took 13 s before the limits: 108,000 distinct empty fields (0.86 MB).
    let (_, public) = keys();
    let mut body = (0..108_000)
        .map(|i| format!("a{i}="))
        .collect::<Vec<_>>()
        .join("&");
    body.push_str("&Signature=AAAA");
    assert!(body.len() < MAX_BODY_BYTES);
    let why = malformed(verify_form(body.as_bytes(), &public));
    assert_eq!(why, "body has more than 4096 fields (the limit)");
    let why = malformed(Message::parse_and_verify(body.as_bytes(), &public));
    assert!(why.contains("more than 4096 fields"), "{why}");
}

#[test]
fn name_length_at_and_past_the_limit() {
    let (private, public) = keys();
    let name64 = "N".repeat(MAX_FIELD_NAME_BYTES);
    let mut pairs = notify_pairs();
    pairs.push((name64.clone(), "x".into()));
    let body = signed_body_of_len(pairs, &private, 1000);
    let message = Message::parse_and_verify(&body, &public).unwrap();
    assert!(message.get(&name64).is_some());

    let mut pairs = notify_pairs();
    pairs.push(("N".repeat(MAX_FIELD_NAME_BYTES + 1), "x".into()));
    let body = signed_body_of_len(pairs, &private, 1000);
    let why = malformed(verify_form(&body, &public));
    assert_eq!(
        why,
        "field name at position 12 is longer than 64 bytes (the limit)"
    );
    // The limit counts decoded bytes: 64 letters sent as %41 pass, 65 do not; so do
    // multi-byte characters (32 'é' are 64 bytes).
    assert!(parse_urlencoded(format!("{}=1", "%41".repeat(64)).as_bytes()).is_ok());
    let why = malformed(parse_urlencoded(
        format!("a=1&{}=1", "%41".repeat(65)).as_bytes(),
    ));
    assert!(
        why.contains("position 2 is longer than 64 bytes (the limit)"),
        "{why}"
    );
    assert!(parse_urlencoded(format!("{}=1", "é".repeat(32)).as_bytes()).is_ok());
    assert!(parse_urlencoded(format!("{}=1", "é".repeat(33)).as_bytes()).is_err());
}

#[test]
fn body_size_at_and_past_the_limit() {
    let (private, public) = keys();
    // Exactly MAX_BODY_BYTES: parsed and verified (one long field, and the worst case).
    let body = one_long_field(&private, MAX_BODY_BYTES);
    assert_eq!(body.len(), MAX_BODY_BYTES);
    Message::parse_and_verify(&body, &public).unwrap();
    let body = worst_case(&private, MAX_BODY_BYTES);
    assert_eq!(body.len(), MAX_BODY_BYTES);
    let fields = parse_urlencoded(&body).unwrap();
    assert_eq!(fields.len(), MAX_FIELDS);
    assert!(fields.iter().any(|(n, _)| n.len() == MAX_FIELD_NAME_BYTES));
    Message::parse_and_verify(&body, &public).unwrap();
    // One byte more: refused, naming the limit.
    let body = one_long_field(&private, MAX_BODY_BYTES + 1);
    let why = malformed(Message::parse_and_verify(&body, &public));
    assert_eq!(why, "body has 1048577 bytes; at most 1048576 are accepted");
    let why = malformed(parse_urlencoded(&body));
    assert!(why.contains("at most 1048576"), "{why}");
}

#[test]
fn duplicates_are_found_in_any_letter_case_anywhere() {
    for (body, dup) in [
        ("a=1&A=2", "A"),
        ("Amount=1&b=2&AMOUNT=3", "AMOUNT"),
        ("signature=x&a=1&Signature=y", "Signature"),
        ("ÄÖ=1&äö=2&ÄÖ=3", "ÄÖ"), // ASCII case folding only: 'äö' differs from 'ÄÖ'
    ] {
        assert_eq!(
            parse_urlencoded(body.as_bytes()),
            Err(Error::DuplicateField(dup.into())),
            "{body}"
        );
    }
    // At the far end of a full body.
    let mut body = empty_fields(MAX_FIELDS - 1);
    body.push_str("&F1=");
    assert_eq!(
        parse_urlencoded(body.as_bytes()),
        Err(Error::DuplicateField("F1".into()))
    );
    // Names that differ in one byte are distinct.
    assert!(parse_urlencoded(b"ab=1&ac=2&a%62c=3").is_ok());
}

#[test]
fn signed_requests_stay_within_the_limits() {
    let cert = read("protocol/test-keys/simulated-mypos-cert.pem");
    let pem = read("protocol/test-keys/merchant-sim-private-key.pem");
    let config = ipc::Config::builder()
        .sid("000000000000010")
        .wallet("61938166610")
        .key_index(1)
        .private_key_pem(&pem)
        .mypos_public_key_pem(&cert)
        .build()
        .unwrap();
    let mut fields = ipc::Fields::new();
    fields.push("IPCmethod", "IPCGetTxnStatus");
    for i in 1..MAX_FIELDS - 1 {
        fields.push(format!("P{i}"), "1");
    }
    let signed = ipc::GenericRequest::raw(fields.clone())
        .sign(&config)
        .unwrap();
    assert_eq!(signed.fields().len(), MAX_FIELDS);
    fields.push("One", "more");
    let err = ipc::GenericRequest::raw(fields).sign(&config).unwrap_err();
    assert!(
        err.to_string()
            .contains("at most 4096 are accepted (the limit)"),
        "{err}"
    );
    let err = ipc::GenericRequest::new("IPCGetTxnStatus")
        .param("N".repeat(65), "1")
        .sign(&config)
        .unwrap_err();
    assert!(
        err.to_string().contains("longer than 64 bytes (the limit)"),
        "{err}"
    );
    let err = ipc::GenericRequest::new("IPCGetTxnStatus")
        .param("Foo", "1")
        .param("FOO", "2")
        .sign(&config)
        .unwrap_err();
    assert!(err.to_string().contains("given twice"), "{err}");
}

#[test]
fn sign_form_output_stays_within_the_limits() {
    let (private, public) = keys();
    // MAX_FIELDS - 1 fields sign to MAX_FIELDS, which verify.
    let body = empty_fields(MAX_FIELDS - 1);
    let signed = ipc::sign_form(body.as_bytes(), &private).unwrap();
    assert_eq!(
        verify_form(signed.as_bytes(), &public).unwrap().len(),
        MAX_FIELDS - 1
    );
    let why = malformed(ipc::sign_form(
        empty_fields(MAX_FIELDS).as_bytes(),
        &private,
    ));
    assert!(why.contains("more than 4096 (the limit)"), "{why}");
    // A body that parses but would pass the byte limit once signed.
    let body = format!("a={}", "b".repeat(MAX_BODY_BYTES - 2));
    assert!(parse_urlencoded(body.as_bytes()).is_ok());
    let why = malformed(ipc::sign_form(body.as_bytes(), &private));
    assert!(why.contains("at most 1048576 are accepted"), "{why}");
}
