//! Pre-authorizations (issue 21): the "authorized" rows of the notify decision table and the
//! check of capture and release answers against their request.

use ipc::{
    check_capture_answer, check_release_answer, decide_attempt, Action, AttemptContext,
    AttemptKind, CaptureProblem, Currency, Decision, Message, Money, NoteCode, OrderSnapshot,
    OrderState, OutputFormat, PrivateKey, PublicKey, Reply, Response, ResponseBuilder,
};

const SID: &str = "000000000000010";

fn eur(minor: i64) -> Money {
    Money::new(minor, Currency::parse("EUR").unwrap())
}

fn notify(amount: &str, trnref: &str, expiry: Option<&str>) -> Message {
    let mut f: Vec<(&str, &str)> = vec![
        ("IPCmethod", "IPCPurchaseNotify"),
        ("SID", SID),
        ("Amount", amount),
        ("Currency", "EUR"),
        ("OrderID", "wp-7-1"),
        ("IPC_Trnref", trnref),
    ];
    if let Some(e) = expiry {
        f.push(("PreAuthExpDate", e));
    }
    Message::from_verified_fields(f.into_iter().collect()).unwrap()
}

fn preauth(paid_attempt: Option<u32>) -> AttemptContext {
    AttemptContext {
        attempt: 1,
        kind: AttemptKind::PreAuth,
        known: true,
        rolled_back: false,
        paid_attempt,
    }
}

fn d(m: &Message, state: OrderState, c: AttemptContext) -> Decision {
    let order = OrderSnapshot {
        amount: eur(5000),
        state,
    };
    decide_attempt(m, Some(&order), Some(&c), SID)
}

fn held(t: &str) -> OrderState {
    OrderState::Authorized { trnref: t.into() }
}

#[test]
fn a_preauthorization_notify_holds_the_order_and_never_pays_it() {
    let first = d(
        &notify("50.00", "801", Some("31/12/2026")),
        OrderState::AwaitingPayment,
        preauth(None),
    );
    assert_eq!(
        first.action,
        Action::Authorize {
            trnref: "801".into(),
            expiry: Some("31/12/2026".into())
        }
    );
    assert_eq!(first.reply, Reply::Ok);
    assert_eq!(first.note_code, NoteCode::Authorized);
    assert_eq!(first.note_code.as_str(), "authorized");
    assert_eq!(first.note_param("expiry"), Some("31/12/2026"));
    assert!(
        first.note.contains("capture before 31/12/2026"),
        "{}",
        first.note
    );

    let unknown_expiry = d(
        &notify("50.00", "801", None),
        OrderState::AwaitingPayment,
        preauth(None),
    );
    assert!(matches!(
        unknown_expiry.action,
        Action::Authorize { expiry: None, .. }
    ));
    assert_eq!(unknown_expiry.note_param("expiry"), Some(""));
    assert!(unknown_expiry.note.contains("an unknown date"));
    // Text that is not a date never reaches the note.
    let odd = d(
        &notify("50.00", "801", Some("<b>soon</b>")),
        OrderState::AwaitingPayment,
        preauth(None),
    );
    assert!(matches!(odd.action, Action::Authorize { expiry: None, .. }));

    // The same message as a purchase attempt pays the order: the kind decides.
    let mut purchase = preauth(None);
    purchase.kind = AttemptKind::Purchase;
    assert!(matches!(
        d(
            &notify("50.00", "801", None),
            OrderState::AwaitingPayment,
            purchase
        )
        .action,
        Action::MarkPaid { .. }
    ));
}

#[test]
fn repeats_mismatches_and_other_attempts_of_an_authorization() {
    let m = notify("50.00", "801", None);
    for state in [
        held("801"),
        OrderState::Paid {
            trnref: "801".into(),
        },
        OrderState::Refunded {
            trnref: "801".into(),
        },
    ] {
        let dup = d(&m, state.clone(), preauth(Some(1)));
        assert_eq!(
            (dup.action.clone(), dup.reply, dup.note_code),
            (
                Action::Duplicate,
                Reply::Ok,
                NoteCode::AuthorizationDuplicate
            ),
            "{state:?}"
        );
    }
    let other = d(&m, held("800"), preauth(Some(1)));
    assert_eq!(
        (other.action, other.reply),
        (Action::AlreadyPaidOtherwise, Reply::NotOk)
    );
    let mismatch = d(
        &notify("49.99", "801", None),
        OrderState::AwaitingPayment,
        preauth(None),
    );
    assert_eq!(
        (mismatch.action, mismatch.reply, mismatch.note_code),
        (
            Action::HoldMismatch,
            Reply::NotOk,
            NoteCode::NotifyAmountMismatch
        )
    );
    // Under the attempt rules: unknown, rolled back, or another attempt holds the order.
    let mut unknown = preauth(None);
    unknown.known = false;
    assert_eq!(
        d(&m, OrderState::AwaitingPayment, unknown).action,
        Action::UnknownAttempt
    );
    let mut rolled = preauth(None);
    rolled.rolled_back = true;
    assert_eq!(
        d(&m, OrderState::Failed, rolled).note_code,
        NoteCode::NotifyAfterRollback
    );
    let mut second = preauth(Some(1));
    second.attempt = 2;
    let twice = d(&m, held("800"), second);
    assert_eq!(
        (twice.action, twice.reply, twice.note_code),
        (
            Action::AlreadyPaidOtherwise,
            Reply::NotOk,
            NoteCode::NotifyPaidTwice
        )
    );
}

#[test]
fn a_rollback_of_an_authorization_fails_the_order() {
    let rollback = Message::from_verified_fields(
        [
            ("IPCmethod", "IPCPurchaseRollback"),
            ("SID", SID),
            ("Amount", "50.00"),
            ("Currency", "EUR"),
            ("OrderID", "wp-7-1"),
        ]
        .into_iter()
        .collect(),
    )
    .unwrap();
    let r = d(&rollback, held("801"), preauth(Some(1)));
    assert_eq!((r.action, r.reply), (Action::MarkFailed, Reply::Ok));
}

fn answer(fields: &[(&str, &str)]) -> Response {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/keys/");
    let key = std::fs::read_to_string(format!("{dir}merchant_private.pem")).unwrap();
    let cert = std::fs::read_to_string(format!("{dir}merchant_cert.pem")).unwrap();
    let (key, public) = (
        PrivateKey::from_pem(&key).unwrap(),
        PublicKey::from_pem(&cert).unwrap(),
    );
    let mut b = ResponseBuilder::new();
    for (n, v) in fields {
        b = b.field(*n, *v);
    }
    let text = b.sign(OutputFormat::Json, &key).unwrap();
    Response::parse_and_verify(text.as_bytes(), None, &public).unwrap()
}

#[test]
fn capture_answers_must_match_their_request() {
    let ok = [
        ("IPCmethod", "IPCPreAuthCompletion"),
        ("OrderID", "wp-7-1"),
        ("IPC_Trnref", "801"),
        ("Amount", "30.00"),
        ("Currency", "EUR"),
        ("Status", "0"),
    ];
    let c = check_capture_answer(&answer(&ok), "wp-7-1", eur(3000)).unwrap();
    assert_eq!((c.trnref.as_deref(), c.amount), (Some("801"), eur(3000)));
    // A bare success (no echo) is accepted; the trnref is then unknown.
    let bare = check_capture_answer(&answer(&[("Status", "0")]), "wp-7-1", eur(3000)).unwrap();
    assert_eq!(bare.trnref, None);
    let with = |name: &str, value: &str| {
        let f: Vec<(&str, &str)> = ok
            .iter()
            .map(|(n, v)| (*n, if *n == name { value } else { *v }))
            .collect();
        check_capture_answer(&answer(&f), "wp-7-1", eur(3000)).unwrap_err()
    };
    let cases: Vec<(CaptureProblem, &str, u32)> = vec![
        (with("Status", "14"), "refused", 1),
        (
            with("IPCmethod", "IPCPreAuthCancellation"),
            "wrong_method",
            2,
        ),
        (with("Amount", "50.00"), "amount_differs", 3),
        (with("Amount", "thirty"), "amount_differs", 3),
        (with("Currency", "USD"), "currency_differs", 4),
        (with("OrderID", "wp-7-2"), "order_id_differs", 5),
    ];
    for (problem, code, number) in cases {
        assert_eq!(
            (problem.code(), problem.number()),
            (code, number),
            "{problem}"
        );
    }
    // A release is checked the same way against its own method.
    let release = [
        ("IPCmethod", "IPCPreAuthCancellation"),
        ("OrderID", "wp-7-1"),
        ("Amount", "50.00"),
        ("Currency", "EUR"),
        ("Status", "0"),
    ];
    assert!(check_release_answer(&answer(&release), "wp-7-1", eur(5000)).is_ok());
    assert_eq!(
        check_capture_answer(&answer(&release), "wp-7-1", eur(5000))
            .unwrap_err()
            .code(),
        "wrong_method"
    );
}
