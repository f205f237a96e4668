//! Hostile-notify suite: bodies built from one valid IPCPurchaseNotify signed with the
//! simulated myPOS key, each with its specific expected error or notify decision.
//!
//! The table is also written to `tests/data/hostile-notifies.json` so the C, PHP and plug-in
//! layers can replay the same cases. `cargo test --test hostile` fails when the committed file
//! is stale; regenerate it with `MYPOS_WRITE_HOSTILE=1 cargo test --release --test hostile`.
//! The same run writes `tests/data/hostile-notifies.tsv`, a flat table for the C ABI replay
//! (`tests/c/test_hostile.c`), kept in sync the same way.
//!
//! The last section holds regression tests for inputs found by the fuzz targets in `fuzz/`.

#![allow(clippy::unwrap_used)]

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use ipc::{
    decide, Action, Currency, Decision, Error, Fields, Message, Money, OrderSnapshot, OrderState,
    PrivateKey, PublicKey, Reply,
};
use serde_json::{json, Value};

const STORE_SID: &str = "000000000000010";
const TEST_KEYS: &str = "tests/data/test-keys";
const JSON_PATH: &str = "tests/data/hostile-notifies.json";
const C_TABLE_PATH: &str = "tests/data/hostile-notifies.tsv";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read_key(name: &str) -> String {
    let path = repo().join(TEST_KEYS).join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

struct Keys {
    mypos: PrivateKey,
    wrong_2048: PrivateKey,
    wrong_1024: PrivateKey,
    simulated_cert: PublicKey,
    test_mypos_1024_cert: PublicKey,
}

fn keys() -> Keys {
    Keys {
        mypos: PrivateKey::from_pem(&read_key("simulated-mypos-private-key.pem")).unwrap(),
        wrong_2048: PrivateKey::from_pem(&read_key("merchant-sim-private-key.pem")).unwrap(),
        wrong_1024: PrivateKey::from_pem(&read_key("mypos-test-merchant-private-key.pem")).unwrap(),
        simulated_cert: PublicKey::from_pem(&read_key("simulated-mypos-cert.pem")).unwrap(),
        test_mypos_1024_cert: PublicKey::from_pem(&read_key("mypos-test-public-cert.pem")).unwrap(),
    }
}

/// Which certificate a case is verified with (file names in `tests/data/test-keys`).
#[derive(Clone, Copy, Debug, PartialEq)]
enum Verifier {
    Simulated,
    TestMypos1024,
}

impl Verifier {
    fn file(self) -> &'static str {
        match self {
            Verifier::Simulated => "simulated-mypos-cert.pem",
            Verifier::TestMypos1024 => "mypos-test-public-cert.pem",
        }
    }
}

/// The error classes a hostile body can end in.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Kind {
    MalformedBody,
    InvalidUtf8,
    DuplicateField,
    MissingSignature,
    MalformedSignature,
    SignatureInvalid,
    /// Verified, but a field failed the post-verification format checks.
    InvalidMessage(&'static str),
}

impl Kind {
    fn matches(self, e: &Error) -> bool {
        match (self, e) {
            (Kind::MalformedBody, Error::MalformedBody(_))
            | (Kind::InvalidUtf8, Error::InvalidUtf8(_))
            | (Kind::DuplicateField, Error::DuplicateField(_))
            | (Kind::MissingSignature, Error::MissingSignature)
            | (Kind::MalformedSignature, Error::MalformedSignature(_))
            | (Kind::SignatureInvalid, Error::SignatureInvalid) => true,
            (Kind::InvalidMessage(want), Error::InvalidMessage { field, .. }) => field == want,
            _ => false,
        }
    }
    fn name(self) -> &'static str {
        match self {
            Kind::MalformedBody => "MalformedBody",
            Kind::InvalidUtf8 => "InvalidUtf8",
            Kind::DuplicateField => "DuplicateField",
            Kind::MissingSignature => "MissingSignature",
            Kind::MalformedSignature => "MalformedSignature",
            Kind::SignatureInvalid => "SignatureInvalid",
            Kind::InvalidMessage(_) => "InvalidMessage",
        }
    }
}

/// What a case must produce.
#[derive(Clone, Debug, PartialEq)]
enum Expect {
    Error(Kind),
    /// Verified and well-formed: the decision for the order looked up by the message's OrderID.
    Decide(Action, Reply),
}

struct Case {
    name: &'static str,
    description: &'static str,
    body: Vec<u8>,
    /// For bodies too large to inline in the JSON: (prefix, appended text, byte, count).
    recipe: Option<(String, &'static str, u8, usize)>,
    verifier: Verifier,
    expect: Expect,
}

// ---------------------------------------------------------------------------------------
// Body builders

type Pairs = Vec<(String, String)>;

fn base_pairs() -> Pairs {
    [
        ("IPCmethod", "IPCPurchaseNotify"),
        ("SID", STORE_SID),
        ("Amount", "23.45"),
        ("Currency", "EUR"),
        ("OrderID", "ORDER-0001"),
        ("IPC_Trnref", "410227"),
        ("RequestSTAN", "083107"),
        ("RequestDateTime", "2026-11-23 10:15:00"),
        ("PaymentMethod", "1"),
        ("BillingDescriptor", "myPOS * TESTSTORE"),
        ("PAN", "0007"),
    ]
    .iter()
    .map(|(n, v)| (n.to_string(), v.to_string()))
    .collect()
}

fn with(pairs: &[(&str, &str)]) -> Pairs {
    let mut p = base_pairs();
    for (name, value) in pairs {
        match p.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = value.to_string(),
            None => p.push((name.to_string(), value.to_string())),
        }
    }
    p
}

fn without(mut p: Pairs, name: &str) -> Pairs {
    p.retain(|(n, _)| n != name);
    p
}

fn fields(p: &Pairs) -> Fields {
    p.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect()
}

fn signature(p: &Pairs, key: &PrivateKey) -> String {
    ipc::sign_fields(&fields(p), key).unwrap()
}

fn encode(p: &Pairs) -> String {
    fields(p).to_urlencoded()
}

/// `pairs` urlencoded with `&Signature=<sig>` appended (the signature urlencoded).
fn body_with_sig(p: &Pairs, sig_raw: &str) -> Vec<u8> {
    format!("{}&Signature={sig_raw}", encode(p)).into_bytes()
}

fn signed(p: &Pairs, key: &PrivateKey) -> Vec<u8> {
    body_with_sig(p, &ipc::fields::urlencode(&signature(p, key)))
}

fn replace_once(body: &[u8], from: &str, to: &str) -> Vec<u8> {
    let text = String::from_utf8(body.to_vec()).unwrap();
    assert!(text.contains(from), "builder: '{from}' not in body");
    text.replacen(from, to, 1).into_bytes()
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

// ---------------------------------------------------------------------------------------
// The shop: orders looked up by the message's OrderID.

fn eur(minor: i64) -> Money {
    Money::new(minor, Currency::parse("EUR").unwrap())
}

fn orders() -> Vec<(&'static str, OrderSnapshot)> {
    let huf = Currency::parse("HUF").unwrap();
    vec![
        (
            "ORDER-0001",
            OrderSnapshot {
                amount: eur(2345),
                state: OrderState::AwaitingPayment,
            },
        ),
        (
            "ORDER-0002",
            OrderSnapshot {
                amount: eur(2345),
                state: OrderState::Paid {
                    trnref: "410227".into(),
                },
            },
        ),
        (
            "ORDER-0003",
            OrderSnapshot {
                amount: eur(2345),
                state: OrderState::Paid {
                    trnref: "999999".into(),
                },
            },
        ),
        (
            "ORDER-0004",
            OrderSnapshot {
                amount: eur(1000),
                state: OrderState::AwaitingPayment,
            },
        ),
        (
            "ORDER-0005",
            OrderSnapshot {
                amount: eur(2345),
                state: OrderState::Cancelled,
            },
        ),
        (
            "ORDER-HUF",
            OrderSnapshot {
                amount: Money::new(1500, huf),
                state: OrderState::AwaitingPayment,
            },
        ),
    ]
}

fn lookup(order_id: Option<&str>) -> Option<OrderSnapshot> {
    let id = order_id?;
    orders().into_iter().find(|(k, _)| *k == id).map(|(_, o)| o)
}

fn decision_for(message: &Message) -> Decision {
    decide(message, lookup(message.order_id()).as_ref(), STORE_SID)
}

// ---------------------------------------------------------------------------------------
// The table

fn paid() -> Expect {
    Expect::Decide(
        Action::MarkPaid {
            trnref: "410227".into(),
        },
        Reply::Ok,
    )
}

fn err(kind: Kind) -> Expect {
    Expect::Error(kind)
}

fn field(name: &'static str) -> Expect {
    Expect::Error(Kind::InvalidMessage(name))
}

#[allow(clippy::too_many_lines)]
fn cases(k: &Keys) -> Vec<Case> {
    let base = base_pairs();
    let good = signed(&base, &k.mypos);
    let sig = signature(&base, &k.mypos);
    let sig_enc = ipc::fields::urlencode(&sig);
    let unsigned = encode(&base).into_bytes();
    let sig_start = good.len() - sig_enc.len();
    let sign = |p: &Pairs| signed(p, &k.mypos);
    // A body whose values were signed as `p` but is posted as `posted` (names/boundaries moved).
    let reshaped = |p: &Pairs, posted: &Pairs| {
        body_with_sig(posted, &ipc::fields::urlencode(&signature(p, &k.mypos)))
    };
    let rollback = with(&[("IPCmethod", "IPCPurchaseRollback")]);
    let rollback = without(
        without(
            without(
                without(
                    without(without(rollback, "IPC_Trnref"), "RequestSTAN"),
                    "RequestDateTime",
                ),
                "PaymentMethod",
            ),
            "BillingDescriptor",
        ),
        "PAN",
    );
    let cancel = with(&[("IPCmethod", "IPCPurchaseCancel")]);
    let cancel = without(
        without(
            without(
                without(
                    without(without(cancel, "IPC_Trnref"), "RequestSTAN"),
                    "RequestDateTime",
                ),
                "PaymentMethod",
            ),
            "BillingDescriptor",
        ),
        "PAN",
    );
    let url_safe = sig.replace('+', "-").replace('/', "_");
    assert_ne!(url_safe, sig, "builder: the signature has no '+' or '/'");
    let unpadded = sig.trim_end_matches('=').to_string();
    assert_ne!(unpadded, sig, "builder: the signature has no padding");
    let wrapped: Vec<&str> = sig
        .as_bytes()
        .chunks(64)
        .map(|c| std::str::from_utf8(c).unwrap())
        .collect();
    let mut flipped = STANDARD.decode(&sig).unwrap();
    flipped[17] ^= 0x01;
    let flipped = STANDARD.encode(flipped);
    let foreign = signature(&rollback, &k.mypos);
    let long_order = "O".repeat(256);
    let huge_pad = 1usize << 20;

    let mut c: Vec<Case> = Vec::new();
    let mut add = |name: &'static str, description: &'static str, body: Vec<u8>, expect: Expect| {
        c.push(Case {
            name,
            description,
            body,
            recipe: None,
            verifier: Verifier::Simulated,
            expect,
        });
    };

    // --- valid baselines and harmless variations
    add(
        "valid_notify",
        "the untouched valid notify",
        good.clone(),
        paid(),
    );
    add(
        "valid_signature_name_lower_case",
        "'signature=' in lower case (the SDK accepts any case)",
        replace_once(&good, "&Signature=", "&signature="),
        paid(),
    );
    add(
        "valid_signature_first",
        "Signature moved to the front (any position is accepted)",
        cat(&[b"Signature=", sig_enc.as_bytes(), b"&", &unsigned]),
        paid(),
    );
    add(
        "valid_signature_in_the_middle",
        "Signature between Currency and OrderID",
        reshaped_sig_middle(&base, &sig_enc),
        paid(),
    );
    add(
        "valid_signature_unpadded",
        "Signature without its '=' padding (tolerated)",
        body_with_sig(&base, &ipc::fields::urlencode(&unpadded)),
        paid(),
    );
    add(
        "valid_signature_line_wrapped",
        "Signature wrapped at 64 characters with CRLF (whitespace is ignored)",
        body_with_sig(&base, &ipc::fields::urlencode(&wrapped.join("\r\n"))),
        paid(),
    );
    add(
        "valid_field_names_lower_case",
        "names are not signed and are read case-insensitively",
        reshaped(&base, &lower_names(&base)),
        paid(),
    );
    add(
        "valid_amount_trailing_zero",
        "Amount 23.450 equals 23.45 numerically",
        sign(&with(&[("Amount", "23.450")])),
        paid(),
    );
    add(
        "valid_amount_percent_encoded_digits",
        "Amount written as %32%33.45 decodes to 23.45",
        replace_once(&good, "Amount=23.45", "Amount=%32%33.45"),
        paid(),
    );
    add(
        "valid_space_as_percent_20",
        "'+' and '%20' both decode to a space",
        replace_once(&good, "myPOS+%2A+TESTSTORE", "myPOS%20*%20TESTSTORE"),
        paid(),
    );
    add("valid_dash_descriptor_absorbs_pan", "PAN merged into BillingDescriptor across a '-': signature still valid, fields still well-formed", reshaped(&base, &merge(&base, "BillingDescriptor", "PAN")), paid());
    add(
        "valid_nul_in_descriptor_signed",
        "a NUL in a free-text field that myPOS signed is kept (escape it when displaying)",
        sign(&with(&[("BillingDescriptor", "my\0POS")])),
        paid(),
    );
    add(
        "valid_huf_order",
        "HUF has no decimals",
        sign(&with(&[
            ("Amount", "1500"),
            ("Currency", "HUF"),
            ("OrderID", "ORDER-HUF"),
        ])),
        paid(),
    );
    add(
        "valid_rollback",
        "IPCPurchaseRollback for the awaiting order",
        sign(&rollback),
        Expect::Decide(Action::MarkFailed, Reply::Ok),
    );
    add(
        "valid_cancel",
        "IPCPurchaseCancel keeps the order payable",
        sign(&cancel),
        Expect::Decide(Action::KeepPayable, Reply::RedirectToPayment),
    );
    add(
        "valid_purchase_ok",
        "IPCPurchaseOK never marks paid",
        sign(&with(&[("IPCmethod", "IPCPurchaseOK")])),
        Expect::Decide(Action::ShowReceived, Reply::RedirectToReceived),
    );
    add(
        "valid_signature_verify_probe",
        "IPCSignatureVerify probe",
        sign(&vec![
            ("IPCmethod".into(), "IPCSignatureVerify".into()),
            ("SID".into(), STORE_SID.into()),
        ]),
        Expect::Decide(Action::Acknowledge, Reply::Ok),
    );

    // --- validly signed, but wrong for the shop's order
    add(
        "replay_other_order_already_paid_same_trnref",
        "a replay of the notify that paid ORDER-0002",
        sign(&with(&[("OrderID", "ORDER-0002")])),
        Expect::Decide(Action::Duplicate, Reply::Ok),
    );
    add(
        "replay_other_order_paid_by_other_payment",
        "ORDER-0003 is paid by another IPC_Trnref",
        sign(&with(&[("OrderID", "ORDER-0003")])),
        Expect::Decide(Action::AlreadyPaidOtherwise, Reply::NotOk),
    );
    add(
        "replay_unknown_order",
        "a valid notify for an order the shop does not know",
        sign(&with(&[("OrderID", "ORDER-9999")])),
        Expect::Decide(Action::UnknownOrder, Reply::NotOk),
    );
    add(
        "replay_amount_differs",
        "ORDER-0004 expects 10.00 EUR",
        sign(&with(&[("OrderID", "ORDER-0004")])),
        Expect::Decide(Action::HoldMismatch, Reply::NotOk),
    );
    add(
        "currency_differs",
        "23.45 BGN for a 23.45 EUR order",
        sign(&with(&[("Currency", "BGN")])),
        Expect::Decide(Action::HoldMismatch, Reply::NotOk),
    );
    add(
        "amount_field_renamed",
        "Amount renamed after signing (names are not signed): no amount, so no payment",
        reshaped(&base, &rename(&base, "Amount", "Amnt")),
        Expect::Decide(Action::HoldMismatch, Reply::NotOk),
    );
    add(
        "other_sid",
        "a valid notify for another store",
        sign(&with(&[("SID", "000000000000099")])),
        Expect::Decide(Action::Ignore, Reply::BadRequest),
    );
    add(
        "unexpected_method",
        "a signed IPCPurchase posted to the notify URL",
        sign(&with(&[("IPCmethod", "IPCPurchase")])),
        Expect::Decide(Action::Ignore, Reply::BadRequest),
    );
    add(
        "cancel_after_payment_ignored",
        "a cancel for ORDER-0002, already paid",
        sign(&with_order(&cancel, "ORDER-0002")),
        Expect::Decide(Action::NoteOnly, Reply::RedirectToReceived),
    );
    add(
        "rollback_for_cancelled_order",
        "a rollback for cancelled ORDER-0005",
        sign(&with_order(&rollback, "ORDER-0005")),
        Expect::Decide(Action::NoteOnly, Reply::Ok),
    );

    // --- validly signed amounts the post-verification checks must refuse
    for (name, amount) in [
        ("amount_exponent_1e3", "1e3"),
        ("amount_negative_zero", "-0"),
        ("amount_hex_0x10", "0x10"),
        ("amount_three_decimals", "12.345"),
        ("amount_negative", "-23.45"),
        ("amount_plus_sign", "+23.45"),
        ("amount_leading_space", " 23.45"),
        ("amount_trailing_space", "23.45 "),
        ("amount_decimal_comma", "23,45"),
        ("amount_empty", ""),
        ("amount_trailing_dot", "23."),
        ("amount_leading_dot", ".45"),
        ("amount_arabic_digits", "٢٣.٤٥"),
        ("amount_overflow", "99999999999999999999"),
        ("amount_infinity", "INF"),
        ("amount_nan", "NaN"),
    ] {
        add(
            name,
            "a validly signed Amount that is not a plain decimal",
            sign(&with(&[("Amount", amount)])),
            field("Amount"),
        );
    }
    add(
        "amount_huf_with_fraction",
        "HUF has no minor units",
        sign(&with(&[
            ("Amount", "1500.5"),
            ("Currency", "HUF"),
            ("OrderID", "ORDER-HUF"),
        ])),
        field("Amount"),
    );
    add(
        "currency_lower_case",
        "currency codes are upper case",
        sign(&with(&[("Currency", "eur")])),
        field("Currency"),
    );
    add(
        "currency_four_letters",
        "EURO is not ISO 4217",
        sign(&with(&[("Currency", "EURO")])),
        field("Currency"),
    );
    add(
        "sid_too_short",
        "SID must have 15 characters",
        sign(&with(&[("SID", "10")])),
        field("SID"),
    );
    add(
        "order_id_empty",
        "OrderID is empty",
        sign(&with(&[("OrderID", "")])),
        field("OrderID"),
    );
    add(
        "order_id_newline",
        "OrderID with a line break",
        sign(&with(&[("OrderID", "ORDER\n0001")])),
        field("OrderID"),
    );
    add(
        "order_id_nul",
        "OrderID with a NUL byte",
        sign(&with(&[("OrderID", "ORDER\u{0}0001")])),
        field("OrderID"),
    );
    add(
        "order_id_256_chars",
        "OrderID longer than 255 characters",
        sign(&with(&[("OrderID", long_order.as_str())])),
        field("OrderID"),
    );
    add(
        "trnref_missing",
        "a notify without IPC_Trnref",
        sign(&without(base.clone(), "IPC_Trnref")),
        field("IPC_Trnref"),
    );
    add(
        "method_missing",
        "no IPCmethod",
        sign(&without(base.clone(), "IPCmethod")),
        field("IPCmethod"),
    );
    add(
        "method_with_space",
        "IPCmethod with a space",
        sign(&with(&[("IPCmethod", "IPC PurchaseNotify")])),
        field("IPCmethod"),
    );
    add(
        "datetime_malformed",
        "RequestDateTime not YYYY-MM-DD HH:MM:SS",
        sign(&with(&[("RequestDateTime", "2026-11-23T10:15:00Z")])),
        field("RequestDateTime"),
    );
    add(
        "pan_with_letters",
        "PAN with letters",
        sign(&with(&[("PAN", "00O7")])),
        field("PAN"),
    );
    add(
        "stan_not_digits",
        "RequestSTAN with letters",
        sign(&with(&[("RequestSTAN", "08310x")])),
        field("RequestSTAN"),
    );

    // --- a field moved across a '-' boundary: signature valid, format checks must catch it
    add(
        "dash_order_id_into_trnref",
        "OrderID=ORDER, IPC_Trnref=0001-410227",
        reshaped(
            &base,
            &with(&[("OrderID", "ORDER"), ("IPC_Trnref", "0001-410227")]),
        ),
        field("IPC_Trnref"),
    );
    add(
        "dash_currency_absorbs_order_prefix",
        "Currency=EUR-ORDER, OrderID=0001",
        reshaped(
            &base,
            &with(&[("Currency", "EUR-ORDER"), ("OrderID", "0001")]),
        ),
        field("Currency"),
    );
    add(
        "dash_amount_absorbs_currency",
        "Amount=23.45-EUR and no Currency field",
        reshaped(&base, &merge(&base, "Amount", "Currency")),
        field("Currency"),
    );
    add(
        "dash_sid_absorbs_amount",
        "SID=000000000000010-23.45 and no Amount field",
        reshaped(&base, &merge(&base, "SID", "Amount")),
        field("SID"),
    );
    add(
        "dash_method_absorbs_sid",
        "IPCmethod=IPCPurchaseNotify-000000000000010",
        reshaped(&base, &merge(&base, "IPCmethod", "SID")),
        field("IPCmethod"),
    );
    add(
        "dash_order_id_absorbs_trnref",
        "OrderID=ORDER-0001-410227 and no IPC_Trnref",
        reshaped(&base, &merge(&base, "OrderID", "IPC_Trnref")),
        field("IPC_Trnref"),
    );
    add(
        "dash_stan_absorbs_date",
        "RequestSTAN=083107-2026, RequestDateTime=11-23 10:15:00",
        reshaped(
            &base,
            &with(&[
                ("RequestSTAN", "083107-2026"),
                ("RequestDateTime", "11-23 10:15:00"),
            ]),
        ),
        field("RequestSTAN"),
    );

    // --- signature does not verify
    add(
        "tampered_amount",
        "Amount changed after signing",
        replace_once(&good, "Amount=23.45", "Amount=2.45"),
        err(Kind::SignatureInvalid),
    );
    add(
        "reordered_amount_currency",
        "Amount and Currency swapped after signing",
        reshaped_swap(&base, "Amount", "Currency", &sig_enc),
        err(Kind::SignatureInvalid),
    );
    add(
        "field_added_after_signing",
        "an extra field appended",
        cat(&[&good, b"&Extra=1"]),
        err(Kind::SignatureInvalid),
    );
    add(
        "empty_field_added_after_signing",
        "an extra empty field adds an empty element",
        cat(&[b"X=&", &good]),
        err(Kind::SignatureInvalid),
    );
    add(
        "field_removed_after_signing",
        "PAN dropped after signing",
        body_with_sig(&without(base.clone(), "PAN"), &sig_enc),
        err(Kind::SignatureInvalid),
    );
    add(
        "wrong_key_2048",
        "signed with the merchant-sim key instead of myPOS's",
        signed(&base, &k.wrong_2048),
        err(Kind::SignatureInvalid),
    );
    add(
        "wrong_key_1024",
        "signed with the 1024-bit test merchant key, verified with the 2048-bit simulated cert",
        signed(&base, &k.wrong_1024),
        err(Kind::SignatureInvalid),
    );
    add(
        "foreign_signature",
        "the Signature of another message (the rollback)",
        body_with_sig(&base, &ipc::fields::urlencode(&foreign)),
        err(Kind::SignatureInvalid),
    );
    add(
        "signature_bit_flipped",
        "one bit of the signature flipped",
        body_with_sig(&base, &ipc::fields::urlencode(&flipped)),
        err(Kind::SignatureInvalid),
    );
    add(
        "signature_shortened",
        "last 4 base64 characters removed (valid base64, wrong length)",
        body_with_sig(&base, &ipc::fields::urlencode(&sig[..sig.len() - 6])),
        err(Kind::SignatureInvalid),
    );
    add(
        "signature_extended",
        "four extra base64 characters",
        body_with_sig(&base, &ipc::fields::urlencode(&format!("{unpadded}AAAA"))),
        err(Kind::SignatureInvalid),
    );
    add(
        "signature_truncated_odd",
        "signature cut to a length no base64 has",
        good[..good.len() - 11].to_vec(),
        err(Kind::SignatureInvalid),
    );
    add(
        "nul_appended_after_signing",
        "%00 appended to OrderID after signing",
        replace_once(&good, "OrderID=ORDER-0001", "OrderID=ORDER-0001%00"),
        err(Kind::SignatureInvalid),
    );
    add(
        "raw_nul_byte_in_value",
        "a raw NUL byte inserted in a value",
        replace_once(&good, "PAN=0007", "PAN=00\u{0}07"),
        err(Kind::SignatureInvalid),
    );

    // --- Signature missing or unreadable
    add(
        "signature_missing",
        "no Signature field",
        unsigned.clone(),
        err(Kind::MissingSignature),
    );
    add(
        "signature_empty",
        "Signature=",
        body_with_sig(&base, ""),
        err(Kind::MalformedSignature),
    );
    add(
        "signature_not_base64",
        "Signature with characters outside base64",
        body_with_sig(&base, "%21%21not*base64%21%21"),
        err(Kind::MalformedSignature),
    );
    add(
        "signature_url_safe",
        "the URL-safe alphabet (- and _)",
        body_with_sig(&base, &ipc::fields::urlencode(&url_safe)),
        err(Kind::MalformedSignature),
    );
    add(
        "signature_unencoded_plus",
        "'+' not percent-encoded, so it decodes to a space",
        body_with_sig(&base, &sig.replace('/', "%2F").replace('=', "%3D")),
        err(Kind::MalformedSignature),
    );
    add(
        "signature_too_much_padding",
        "three '=' at the end",
        body_with_sig(&base, &ipc::fields::urlencode(&format!("{unpadded}==="))),
        err(Kind::MalformedSignature),
    );
    add(
        "signature_padding_in_the_middle",
        "'=' inside the value",
        body_with_sig(
            &base,
            &ipc::fields::urlencode(&format!("{}={}", &sig[..8], &sig[8..])),
        ),
        err(Kind::MalformedSignature),
    );
    add(
        "only_signature",
        "a body holding only Signature",
        format!("Signature={sig_enc}").into_bytes(),
        err(Kind::MalformedBody),
    );

    // --- duplicates
    add(
        "duplicate_amount_same_case",
        "Amount twice",
        cat(&[b"Amount=23.45&", &good]),
        err(Kind::DuplicateField),
    );
    add(
        "duplicate_amount_other_case",
        "amount and Amount",
        cat(&[b"amount=0.01&", &good]),
        err(Kind::DuplicateField),
    );
    add(
        "duplicate_signature_same",
        "Signature twice with the same value",
        cat(&[&good, b"&Signature=", sig_enc.as_bytes()]),
        err(Kind::DuplicateField),
    );
    add(
        "duplicate_signature_other_case",
        "Signature and SIGNATURE",
        cat(&[&good, b"&SIGNATURE=", sig_enc.as_bytes()]),
        err(Kind::DuplicateField),
    );
    add(
        "duplicate_order_id_other_case",
        "OrderID and ORDERID",
        cat(&[b"ORDERID=ORDER-0002&", &good]),
        err(Kind::DuplicateField),
    );

    // --- truncated and structurally broken bodies
    add(
        "empty_body",
        "zero bytes",
        Vec::new(),
        err(Kind::MalformedBody),
    );
    add(
        "truncated_before_signature",
        "cut just before '&Signature='",
        good[..sig_start - "&Signature=".len()].to_vec(),
        err(Kind::MissingSignature),
    );
    add(
        "truncated_in_signature_name",
        "cut inside the name 'Signature'",
        good[..sig_start - 4].to_vec(),
        err(Kind::MalformedBody),
    );
    add(
        "truncated_after_ampersand",
        "cut right after the '&' before Signature",
        good[..sig_start - "Signature=".len()].to_vec(),
        err(Kind::MalformedBody),
    );
    add(
        "truncated_in_percent_escape",
        "cut inside a %XX escape of the signature",
        truncate_in_escape(&good),
        err(Kind::MalformedBody),
    );
    add(
        "truncated_to_half",
        "the first half of the body (cut inside the signature)",
        good[..good.len() / 2].to_vec(),
        err(Kind::SignatureInvalid),
    );
    add(
        "truncated_in_fields",
        "the first half of the fields, no Signature left",
        cut_before(&good, "&RequestSTAN="),
        err(Kind::MissingSignature),
    );
    add(
        "empty_segment",
        "'&&' between fields",
        replace_once(&good, "&Currency=", "&&Currency="),
        err(Kind::MalformedBody),
    );
    add(
        "leading_ampersand",
        "a stray '&' at the start",
        cat(&[b"&", &good]),
        err(Kind::MalformedBody),
    );
    add(
        "trailing_ampersand",
        "a stray '&' at the end",
        cat(&[&good, b"&"]),
        err(Kind::MalformedBody),
    );
    add(
        "name_without_equals",
        "a segment without '='",
        cat(&[b"IPCmethod&", &good]),
        err(Kind::MalformedBody),
    );
    add(
        "empty_name",
        "a segment '=x'",
        cat(&[b"=x&", &good]),
        err(Kind::MalformedBody),
    );
    add(
        "bad_percent_escape",
        "%G1 in a value",
        replace_once(&good, "Amount=23.45", "Amount=%G1"),
        err(Kind::MalformedBody),
    );
    add(
        "percent_at_end",
        "a lone '%' at the end",
        cat(&[&good, b"%"]),
        err(Kind::MalformedBody),
    );

    // --- bytes that are not UTF-8
    add(
        "non_utf8_percent_ff",
        "%FF in a value",
        replace_once(&good, "PAN=0007", "PAN=%FF"),
        err(Kind::InvalidUtf8),
    );
    add(
        "non_utf8_raw_byte",
        "a raw 0xFF byte in a value",
        cat(&[b"Junk=\xff&", &good]),
        err(Kind::InvalidUtf8),
    );
    add(
        "non_utf8_overlong_slash",
        "overlong UTF-8 %C0%AF",
        replace_once(&good, "OrderID=ORDER-0001", "OrderID=%C0%AF"),
        err(Kind::InvalidUtf8),
    );
    add(
        "non_utf8_lone_surrogate",
        "CESU surrogate %ED%A0%80",
        replace_once(&good, "OrderID=ORDER-0001", "OrderID=%ED%A0%80"),
        err(Kind::InvalidUtf8),
    );
    add(
        "non_utf8_in_name",
        "a field name with %FE",
        cat(&[b"N%FE=1&", &good]),
        err(Kind::InvalidUtf8),
    );

    // --- size
    let mut huge = cat(&[&good, b"&Pad="]);
    huge.resize(huge.len() + huge_pad, b'A');
    c.push(Case {
        name: "huge_body_over_1_mib",
        description: "the valid body with more than 1 MiB of padding appended",
        body: huge,
        recipe: Some((
            String::from_utf8(good.clone()).unwrap(),
            "&Pad=",
            b'A',
            huge_pad,
        )),
        verifier: Verifier::Simulated,
        expect: err(Kind::MalformedBody),
    });

    // --- key size mismatch the other way: a valid 2048-bit signature checked with the 1024-bit cert
    c.push(Case {
        name: "verified_with_1024_bit_cert",
        description: "the valid notify verified with the 1024-bit myPOS test certificate",
        body: good,
        recipe: None,
        verifier: Verifier::TestMypos1024,
        expect: err(Kind::SignatureInvalid),
    });
    c
}

fn reshaped_sig_middle(base: &Pairs, sig_enc: &str) -> Vec<u8> {
    let (head, tail) = base.split_at(4);
    format!(
        "{}&Signature={sig_enc}&{}",
        encode(&head.to_vec()),
        encode(&tail.to_vec())
    )
    .into_bytes()
}

fn reshaped_swap(base: &Pairs, a: &str, b: &str, sig_enc: &str) -> Vec<u8> {
    let mut p = base.clone();
    let i = p.iter().position(|(n, _)| n == a).unwrap();
    let j = p.iter().position(|(n, _)| n == b).unwrap();
    p.swap(i, j);
    body_with_sig(&p, sig_enc)
}

fn lower_names(base: &Pairs) -> Pairs {
    base.iter()
        .map(|(n, v)| (n.to_ascii_lowercase(), v.clone()))
        .collect()
}

fn rename(base: &Pairs, from: &str, to: &str) -> Pairs {
    base.iter()
        .map(|(n, v)| {
            (
                if n == from { to.to_string() } else { n.clone() },
                v.clone(),
            )
        })
        .collect()
}

/// `first`'s value becomes `first-second` and the `second` field disappears.
fn merge(base: &Pairs, first: &str, second: &str) -> Pairs {
    let tail = base.iter().find(|(n, _)| n == second).unwrap().1.clone();
    base.iter()
        .filter(|(n, _)| n != second)
        .map(|(n, v)| {
            (
                n.clone(),
                if n == first {
                    format!("{v}-{tail}")
                } else {
                    v.clone()
                },
            )
        })
        .collect()
}

fn with_order(p: &Pairs, order: &str) -> Pairs {
    p.iter()
        .map(|(n, v)| {
            (
                n.clone(),
                if n == "OrderID" {
                    order.to_string()
                } else {
                    v.clone()
                },
            )
        })
        .collect()
}

fn cut_before(body: &[u8], marker: &str) -> Vec<u8> {
    let pos = body
        .windows(marker.len())
        .position(|w| w == marker.as_bytes())
        .unwrap();
    body[..pos].to_vec()
}

fn truncate_in_escape(good: &[u8]) -> Vec<u8> {
    let pos = good.iter().rposition(|&b| b == b'%').unwrap();
    good[..pos + 2].to_vec()
}

// ---------------------------------------------------------------------------------------
// Running the table

fn verifier_key(k: &Keys, v: Verifier) -> &PublicKey {
    match v {
        Verifier::Simulated => &k.simulated_cert,
        Verifier::TestMypos1024 => &k.test_mypos_1024_cert,
    }
}

fn check(case: &Case, k: &Keys) -> Result<(), String> {
    let key = verifier_key(k, case.verifier);
    let result = catch_unwind(AssertUnwindSafe(|| {
        Message::parse_and_verify(&case.body, key)
    }))
    .map_err(|_| "panicked".to_string())?;
    match (&case.expect, result) {
        (Expect::Error(kind), Err(e)) if kind.matches(&e) => {
            // The error message must not echo the signature or key material.
            let text = e.to_string();
            if text.len() > 300 {
                return Err(format!("error message is {} bytes long", text.len()));
            }
            Ok(())
        }
        (Expect::Error(kind), Err(e)) => Err(format!("expected {kind:?}, got {e:?}")),
        (Expect::Error(kind), Ok(m)) => {
            Err(format!("expected {kind:?}, got a valid {}", m.method()))
        }
        (Expect::Decide(action, reply), Ok(m)) => {
            let d = decision_for(&m);
            if (&d.action, &d.reply) == (action, reply) {
                Ok(())
            } else {
                Err(format!(
                    "expected {action:?}/{reply:?}, got {:?}/{:?} ({})",
                    d.action, d.reply, d.note
                ))
            }
        }
        (Expect::Decide(..), Err(e)) => Err(format!("expected a decision, got {e:?}")),
    }
}

#[test]
fn hostile_notifies_end_in_their_expected_outcome() {
    let k = keys();
    let table = cases(&k);
    let failures: Vec<String> = table
        .iter()
        .filter_map(|case| {
            check(case, &k)
                .err()
                .map(|why| format!("{}: {why}", case.name))
        })
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        table.len(),
        failures.join("\n")
    );
}

#[test]
fn hostile_table_is_large_and_names_are_unique() {
    let k = keys();
    let table = cases(&k);
    assert!(table.len() >= 60, "only {} cases", table.len());
    let mut names: Vec<&str> = table.iter().map(|c| c.name).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names.len(), table.len(), "duplicate case names");
    for class in ["valid", "signature_invalid", "malformed"] {
        assert!(
            table.iter().any(|c| outcome_class(&c.expect) == class),
            "no {class} case"
        );
    }
    assert!(table
        .iter()
        .any(|c| c.body.len() > ipc::limits::MAX_BODY_BYTES));
}

#[test]
fn verify_form_agrees_on_signature_level_outcomes() {
    // Below the message checks, verify_form must give the same outcome class.
    let k = keys();
    for case in cases(&k) {
        let key = verifier_key(&k, case.verifier);
        if case.body.len() > ipc::limits::MAX_BODY_BYTES {
            continue;
        }
        let r = ipc::verify_form(&case.body, key);
        match &case.expect {
            Expect::Error(Kind::InvalidMessage(_)) | Expect::Decide(..) => {
                assert!(r.is_ok(), "{}: verify_form says {:?}", case.name, r.err());
            }
            Expect::Error(kind) => {
                let e = r
                    .err()
                    .unwrap_or_else(|| panic!("{}: verify_form accepted it", case.name));
                assert!(
                    kind.matches(&e),
                    "{}: {kind:?} expected, verify_form says {e:?}",
                    case.name
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// The shared JSON

fn outcome_class(e: &Expect) -> &'static str {
    match e {
        Expect::Decide(..) => "valid",
        Expect::Error(Kind::SignatureInvalid) => "signature_invalid",
        Expect::Error(_) => "malformed",
    }
}

fn action_json(a: &Action) -> Value {
    let name = format!("{a:?}");
    let name = name
        .split([' ', '{'])
        .next()
        .unwrap_or_default()
        .to_string();
    match a {
        Action::MarkPaid { trnref } => json!({ "name": name, "trnref": trnref }),
        _ => json!({ "name": name }),
    }
}

fn order_json(id: &str, o: &OrderSnapshot) -> Value {
    let (state, trnref) = match &o.state {
        OrderState::Paid { trnref } => ("paid", Some(trnref.clone())),
        OrderState::Refunded { trnref } => ("refunded", Some(trnref.clone())),
        OrderState::AwaitingPayment => ("awaiting_payment", None),
        OrderState::Failed => ("failed", None),
        OrderState::Cancelled => ("cancelled", None),
        OrderState::OnHold => ("on_hold", None),
        OrderState::Authorized { trnref } => ("authorized", Some(trnref.clone())),
    };
    json!({
        "order_id": id,
        "amount": o.amount.wire(),
        "currency": o.amount.currency.code(),
        "state": state,
        "trnref": trnref,
    })
}

fn case_json(case: &Case) -> Value {
    let mut v = serde_json::Map::new();
    v.insert("name".into(), json!(case.name));
    v.insert("description".into(), json!(case.description));
    match (&case.recipe, std::str::from_utf8(&case.body)) {
        (Some((prefix, append, byte, count)), _) => {
            v.insert(
                "body_recipe".into(),
                json!({
                    "prefix_text": prefix,
                    "then_text": append,
                    "then_repeat_byte": format!("{}", *byte as char),
                    "repeat_count": count,
                    "total_bytes": case.body.len(),
                }),
            );
        }
        (None, Ok(text)) => {
            v.insert("body_text".into(), json!(text));
        }
        (None, Err(_)) => {
            v.insert("body_base64".into(), json!(STANDARD.encode(&case.body)));
        }
    }
    v.insert("verify_with".into(), json!(case.verifier.file()));
    v.insert(
        "expected_outcome".into(),
        json!(outcome_class(&case.expect)),
    );
    match &case.expect {
        Expect::Error(kind) => {
            let mut e = json!({ "kind": kind.name() });
            if let Kind::InvalidMessage(f) = kind {
                e["field"] = json!(f);
                e["signature_verified"] = json!(true);
            }
            v.insert("expected_error".into(), e);
        }
        Expect::Decide(action, reply) => {
            v.insert(
                "expected_decision".into(),
                json!({
                    "action": action_json(action),
                    "reply": format!("{reply:?}"),
                    "http_status": reply.http_status(),
                    "body": reply.body(),
                }),
            );
        }
    }
    Value::Object(v)
}

fn render_json(table: &[Case]) -> String {
    let doc = json!({
        "about": "Hostile myPOS notify bodies for every layer (generated by tests/hostile.rs; do not edit). \
                  Each body is verified with the certificate in verify_with (tests/data/test-keys). \
                  expected_outcome follows docs/architecture.md (valid / signature_invalid / malformed); \
                  InvalidMessage errors happen after a successful signature check and count as malformed. \
                  For valid cases, expected_decision is ipc::decide() for the order found by the message's OrderID \
                  in shop.orders (absent: unknown order) with shop.store_sid.",
        "regenerate": "MYPOS_WRITE_HOSTILE=1 cargo test --release -p mypos-ipc --test hostile",
        "signed_by": "simulated-mypos-private-key.pem",
        "shop": {
            "store_sid": STORE_SID,
            "orders": orders().iter().map(|(id, o)| order_json(id, o)).collect::<Vec<_>>(),
        },
        "count": table.len(),
        "cases": table.iter().map(case_json).collect::<Vec<_>>(),
    });
    let mut text = serde_json::to_string_pretty(&doc).unwrap();
    text.push('\n');
    text
}

#[test]
fn hostile_json_is_up_to_date() {
    let k = keys();
    let text = render_json(&cases(&k));
    let path = repo().join(JSON_PATH);
    if std::env::var_os("MYPOS_WRITE_HOSTILE").is_some() {
        std::fs::write(&path, &text).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "{JSON_PATH} is stale; regenerate it with MYPOS_WRITE_HOSTILE=1 cargo test --release -p mypos-ipc --test hostile"
    );
}

// ---------------------------------------------------------------------------------------
// The flat table for C (no JSON parser there): one tab-separated line per case.

/// `ipc_result` numbers of include/ipc.h, written out so a changed mapping fails here.
fn c_code(kind: Kind) -> u32 {
    match kind {
        Kind::SignatureInvalid => 1,
        Kind::InvalidUtf8 => 3,
        Kind::MalformedBody => 4,
        Kind::MissingSignature => 5,
        Kind::MalformedSignature => 6,
        Kind::DuplicateField => 7,
        Kind::InvalidMessage(_) => 14,
    }
}

/// (ipc_verify_form code, ipc_message_parse code, text the error detail must contain).
fn c_expectation(case: &Case) -> (u32, u32, String) {
    use ipc::limits::MAX_BODY_BYTES;
    if case.body.len() > MAX_BODY_BYTES {
        let detail = format!(
            "body has {} bytes; at most {MAX_BODY_BYTES}",
            case.body.len()
        );
        return (16, 16, detail);
    }
    if case.body.is_empty() {
        return (4, 4, "body is empty".into());
    }
    let kind = match &case.expect {
        Expect::Decide(..) => return (0, 0, "-".into()),
        Expect::Error(kind) => *kind,
    };
    let detail = match kind {
        Kind::MalformedBody => "malformed body: ".to_string(),
        Kind::InvalidUtf8 => "invalid UTF-8 in ".to_string(),
        Kind::DuplicateField => "duplicate field '".to_string(),
        Kind::MissingSignature => "missing Signature field".to_string(),
        Kind::MalformedSignature => "malformed Signature: ".to_string(),
        // The one detail-free error: the whole detail is exactly this.
        Kind::SignatureInvalid => "signature invalid".to_string(),
        Kind::InvalidMessage(f) => format!("invalid field '{f}' in message: "),
    };
    let form = if let Kind::InvalidMessage(_) = kind {
        0
    } else {
        c_code(kind)
    };
    (form, c_code(kind), detail)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn render_c_table(table: &[Case]) -> String {
    let mut out = String::from(
        "# Hostile notify bodies for tests/c/test_hostile.c (generated by tests/hostile.rs; do not edit).\n\
         # Columns (tab-separated): name, certificate (tests/data/test-keys), ipc_verify_form code,\n\
         # ipc_message_parse code, text the error detail contains ('-': success), padding byte (hex),\n\
         # padding count, body (hex). The body is the hex bytes followed by the padding bytes.\n",
    );
    out.push_str(&format!("# count\t{}\n", table.len()));
    for case in table {
        let (form, parse, detail) = c_expectation(case);
        let (body, pad, count) = match &case.recipe {
            Some((prefix, append, byte, count)) => {
                (format!("{prefix}{append}").into_bytes(), *byte, *count)
            }
            None => (case.body.clone(), b'A', 0),
        };
        out.push_str(&format!(
            "{}\t{}\t{form}\t{parse}\t{detail}\t{pad:02x}\t{count}\t{}\n",
            case.name,
            case.verifier.file(),
            hex(&body)
        ));
    }
    out
}

#[test]
fn hostile_c_table_is_up_to_date() {
    let k = keys();
    let table = cases(&k);
    for case in &table {
        if let Some((prefix, append, byte, count)) = &case.recipe {
            let mut b = format!("{prefix}{append}").into_bytes();
            b.resize(b.len() + count, *byte);
            assert_eq!(
                b, case.body,
                "{}: recipe does not rebuild the body",
                case.name
            );
        }
    }
    let text = render_c_table(&table);
    let path = repo().join(C_TABLE_PATH);
    if std::env::var_os("MYPOS_WRITE_HOSTILE").is_some() {
        std::fs::write(&path, &text).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == text,
        "{C_TABLE_PATH} is stale; regenerate it with MYPOS_WRITE_HOSTILE=1 cargo test --release -p mypos-ipc --test hostile"
    );
}

#[test]
fn hostile_json_cases_replay_from_the_file() {
    // The consumer's view: rebuild each body from the JSON alone and check the outcome class.
    let k = keys();
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(repo().join(JSON_PATH)).unwrap()).unwrap();
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 60);
    for c in cases {
        let body: Vec<u8> = if let Some(t) = c["body_text"].as_str() {
            t.as_bytes().to_vec()
        } else if let Some(b) = c["body_base64"].as_str() {
            STANDARD.decode(b).unwrap()
        } else {
            let r = &c["body_recipe"];
            let mut b = format!(
                "{}{}",
                r["prefix_text"].as_str().unwrap(),
                r["then_text"].as_str().unwrap()
            )
            .into_bytes();
            let byte = r["then_repeat_byte"].as_str().unwrap().as_bytes()[0];
            b.resize(b.len() + r["repeat_count"].as_u64().unwrap() as usize, byte);
            assert_eq!(b.len() as u64, r["total_bytes"].as_u64().unwrap());
            b
        };
        let key = match c["verify_with"].as_str().unwrap() {
            "simulated-mypos-cert.pem" => &k.simulated_cert,
            _ => &k.test_mypos_1024_cert,
        };
        let got = match Message::parse_and_verify(&body, key) {
            Ok(_) => "valid",
            Err(Error::SignatureInvalid) => "signature_invalid",
            Err(_) => "malformed",
        };
        assert_eq!(
            got,
            c["expected_outcome"].as_str().unwrap(),
            "{}",
            c["name"]
        );
    }
}

// ---------------------------------------------------------------------------------------
// Regressions found by the fuzz targets (fuzz/README.md lists the runs).

#[test]
fn fuzz_regressions_do_not_panic() {
    let k = keys();
    let inputs: &[&[u8]] = &[
        b"%",
        b"=%",
        b"a=%f",
        b"Signature=====",
        b"Signature=A&IPCmethod=%E2%82",
    ];
    for input in inputs {
        let r = catch_unwind(AssertUnwindSafe(|| {
            Message::parse_and_verify(input, &k.simulated_cert)
        }));
        assert!(
            matches!(r, Ok(Err(_))),
            "{:?}",
            String::from_utf8_lossy(input)
        );
    }
}
