//! Payment attempts (issue 15): attempt OrderIDs, the attempt rows of the notify decision
//! table, and refund answers tied to their request.

use ipc::{
    check_refund_answer, decide, decide_attempt, Action, AttemptContext, AttemptId, AttemptIdError,
    AttemptKind, Currency, Decision, Message, Money, NoteCode, OrderSnapshot, OrderState,
    OutputFormat, PrivateKey, PublicKey, RefundProblem, Reply, Response, ResponseBuilder,
};

const SID: &str = "000000000000010";

fn eur(minor: i64) -> Money {
    Money::new(minor, Currency::parse("EUR").unwrap())
}

fn message(pairs: &[(&str, &str)]) -> Message {
    Message::from_verified_fields(pairs.iter().copied().collect()).unwrap()
}

fn notify(order_id: &str, trnref: &str) -> Message {
    message(&[
        ("IPCmethod", "IPCPurchaseNotify"),
        ("SID", SID),
        ("Amount", "50.00"),
        ("Currency", "EUR"),
        ("OrderID", order_id),
        ("IPC_Trnref", trnref),
    ])
}

fn rollback(order_id: &str) -> Message {
    message(&[
        ("IPCmethod", "IPCPurchaseRollback"),
        ("SID", SID),
        ("Amount", "50.00"),
        ("Currency", "EUR"),
        ("OrderID", order_id),
    ])
}

fn order(state: OrderState) -> OrderSnapshot {
    OrderSnapshot {
        amount: eur(5000),
        state,
    }
}

fn paid(t: &str) -> OrderState {
    OrderState::Paid { trnref: t.into() }
}

fn ctx(attempt: u32, known: bool, rolled_back: bool, paid_attempt: Option<u32>) -> AttemptContext {
    AttemptContext {
        attempt,
        kind: AttemptKind::Purchase,
        known,
        rolled_back,
        paid_attempt,
    }
}

fn d(m: &Message, s: OrderState, c: AttemptContext) -> Decision {
    decide_attempt(m, Some(&order(s)), Some(&c), SID)
}

#[test]
fn attempt_ids_parse_format_and_name_their_errors() {
    let a = AttemptId::new("wp3f9a", "1234", 2).unwrap();
    assert_eq!(a.order_id(), "wp3f9a-1234-2");
    let back = AttemptId::parse("wp3f9a-1234-2").unwrap();
    assert_eq!(
        (back.prefix(), back.order(), back.number()),
        (Some("wp3f9a"), "1234", 2)
    );
    let bare = AttemptId::parse("1234").unwrap();
    assert!(bare.is_bare());
    assert_eq!((bare.order(), bare.number()), ("1234", 1));
    assert_eq!(bare.to_string(), "1234");
    for (text, code, number) in [
        ("", "empty", 1),
        (&*"9".repeat(81), "too_long", 2),
        ("wp-12 34-1", "invalid_character", 3),
        ("wp-1234", "wrong_shape", 4),
        ("9wp-1234-1", "invalid_prefix", 5),
        (&*format!("wp-{}-1", "1".repeat(33)), "invalid_order", 6),
        ("wp-1234-01", "invalid_attempt_number", 7),
        ("wp-1234-100000", "attempt_number_too_large", 8),
    ] {
        let e = AttemptId::parse(text).unwrap_err();
        assert_eq!((e.code(), e.number()), (code, number), "{text:?}: {e}");
    }
    assert_eq!(
        AttemptId::new("wp", "1", 0).unwrap_err(),
        AttemptIdError::InvalidAttemptNumber
    );
}

#[test]
fn late_rollback_of_an_earlier_attempt_leaves_the_paid_order_alone() {
    // Without attempt information (the old contract): the rollback marks the order failed.
    let old = decide(&rollback("wp-1-1"), Some(&order(paid("702"))), SID);
    assert_eq!((&old.action, old.reply), (&Action::MarkFailed, Reply::Ok));
    // With it: attempt 2 paid, a late rollback of attempt 1 changes nothing, answered OK.
    let new = d(
        &rollback("wp-1-1"),
        paid("702"),
        ctx(1, true, true, Some(2)),
    );
    assert_eq!((&new.action, new.reply), (&Action::NoteOnly, Reply::Ok));
    assert_eq!(new.note_code, NoteCode::RollbackOtherAttempt);
    assert_eq!(new.note_param("attempt"), Some("1"));
    assert_eq!(new.note_param("paid_attempt"), Some("2"));
    assert_eq!(new.note_param("paid_trnref"), Some("702"));
    assert!(new.note.contains("attempt 1") && new.note.contains("702"));
    // Also when the first rollback of attempt 1 was never applied.
    let first = d(
        &rollback("wp-1-1"),
        paid("702"),
        ctx(1, true, false, Some(2)),
    );
    assert_eq!(first.note_code, NoteCode::RollbackOtherAttempt);
}

#[test]
fn attempt_rows_of_the_decision_table() {
    struct Row {
        name: &'static str,
        message: Message,
        state: OrderState,
        ctx: AttemptContext,
        action: Action,
        reply: Reply,
        code: NoteCode,
    }
    let rows = vec![
        Row {
            name: "notify of the first attempt pays",
            message: notify("wp-1-1", "701"),
            state: OrderState::AwaitingPayment,
            ctx: ctx(1, true, false, None),
            action: Action::MarkPaid {
                trnref: "701".into(),
            },
            reply: Reply::Ok,
            code: NoteCode::Paid,
        },
        Row {
            name: "notify of attempt 2 after attempt 1 was rolled back pays",
            message: notify("wp-1-2", "702"),
            state: OrderState::Failed,
            ctx: ctx(2, true, false, None),
            action: Action::MarkPaid {
                trnref: "702".into(),
            },
            reply: Reply::Ok,
            code: NoteCode::Paid,
        },
        Row {
            name: "repeated notify of the paying attempt",
            message: notify("wp-1-2", "702"),
            state: paid("702"),
            ctx: ctx(2, true, false, Some(2)),
            action: Action::Duplicate,
            reply: Reply::Ok,
            code: NoteCode::NotifyDuplicate,
        },
        Row {
            name: "the buyer paid twice: attempt 1 paid, attempt 2 notifies",
            message: notify("wp-1-2", "702"),
            state: paid("701"),
            ctx: ctx(2, true, false, Some(1)),
            action: Action::AlreadyPaidOtherwise,
            reply: Reply::NotOk,
            code: NoteCode::NotifyPaidTwice,
        },
        Row {
            name: "the buyer paid twice, order refunded since",
            message: notify("wp-1-1", "701"),
            state: OrderState::Refunded {
                trnref: "702".into(),
            },
            ctx: ctx(1, true, false, Some(2)),
            action: Action::AlreadyPaidOtherwise,
            reply: Reply::NotOk,
            code: NoteCode::NotifyPaidTwice,
        },
        Row {
            name: "notify for an unknown attempt",
            message: notify("wp-1-9", "709"),
            state: OrderState::AwaitingPayment,
            ctx: ctx(9, false, false, None),
            action: Action::UnknownAttempt,
            reply: Reply::NotOk,
            code: NoteCode::NotifyUnknownAttempt,
        },
        Row {
            name: "notify replayed after its own rollback",
            message: notify("wp-1-1", "701"),
            state: OrderState::Failed,
            ctx: ctx(1, true, true, None),
            action: Action::NoteOnly,
            reply: Reply::NotOk,
            code: NoteCode::NotifyAfterRollback,
        },
        Row {
            name: "notify replayed after its rollback, order paid by attempt 2 since",
            message: notify("wp-1-1", "701"),
            state: paid("702"),
            ctx: ctx(1, true, true, Some(2)),
            action: Action::NoteOnly,
            reply: Reply::NotOk,
            code: NoteCode::NotifyAfterRollback,
        },
        Row {
            name: "rollback of the attempt that paid",
            message: rollback("wp-1-2"),
            state: paid("702"),
            ctx: ctx(2, true, false, Some(2)),
            action: Action::MarkFailed,
            reply: Reply::Ok,
            code: NoteCode::RollbackReversed,
        },
        Row {
            name: "rollback of the pending attempt",
            message: rollback("wp-1-1"),
            state: OrderState::AwaitingPayment,
            ctx: ctx(1, true, false, None),
            action: Action::MarkFailed,
            reply: Reply::Ok,
            code: NoteCode::RollbackReversed,
        },
        Row {
            name: "rollback for an unknown attempt",
            message: rollback("other-1-1"),
            state: paid("702"),
            ctx: ctx(1, false, false, Some(1)),
            action: Action::UnknownAttempt,
            reply: Reply::Ok,
            code: NoteCode::RollbackUnknownAttempt,
        },
        Row {
            name: "rollback retried by myPOS's cron",
            message: rollback("wp-1-1"),
            state: OrderState::Failed,
            ctx: ctx(1, true, true, None),
            action: Action::NoteOnly,
            reply: Reply::Ok,
            code: NoteCode::RollbackRepeated,
        },
        Row {
            name: "rollback of attempt 1 while attempt 2 pays the order",
            message: rollback("wp-1-1"),
            state: paid("702"),
            ctx: ctx(1, true, true, Some(2)),
            action: Action::NoteOnly,
            reply: Reply::Ok,
            code: NoteCode::RollbackOtherAttempt,
        },
        Row {
            name: "a bare order id is attempt 1 (paid before attempts)",
            message: notify("1", "700"),
            state: paid("700"),
            ctx: ctx(1, true, false, Some(1)),
            action: Action::Duplicate,
            reply: Reply::Ok,
            code: NoteCode::NotifyDuplicate,
        },
    ];
    for r in rows {
        let got = d(&r.message, r.state, r.ctx);
        assert_eq!(
            (got.action, got.reply, got.note_code),
            (r.action, r.reply, r.code),
            "{}: {}",
            r.name,
            got.note
        );
        assert!(!got.note.is_empty());
    }
}

#[test]
fn every_decision_has_a_note_code_with_its_values() {
    let paid_twice = d(
        &notify("wp-1-2", "702"),
        paid("701"),
        ctx(2, true, false, Some(1)),
    );
    assert_eq!(paid_twice.note_code.as_str(), "notify_paid_twice");
    assert_eq!(
        paid_twice.note_params,
        vec![
            ("attempt", "2".to_string()),
            ("trnref", "702".to_string()),
            ("paid_attempt", "1".to_string()),
            ("paid_trnref", "701".to_string()),
        ]
    );
    let mismatch = decide(
        &message(&[
            ("IPCmethod", "IPCPurchaseNotify"),
            ("SID", SID),
            ("Amount", "49.99"),
            ("Currency", "EUR"),
            ("OrderID", "wp-1-1"),
            ("IPC_Trnref", "9"),
        ]),
        Some(&order(OrderState::AwaitingPayment)),
        SID,
    );
    assert_eq!(mismatch.note_code, NoteCode::NotifyAmountMismatch);
    assert_eq!(mismatch.note_param("amount"), Some("49.99"));
    assert_eq!(mismatch.note_param("expected_amount"), Some("50.00"));
    assert_eq!(
        decide(&notify("wp-1-1", "9"), None, SID).note_code,
        NoteCode::NotifyUnknownOrder
    );
    let other = decide(
        &message(&[("IPCmethod", "IPCSomething"), ("SID", SID)]),
        None,
        SID,
    );
    assert_eq!(
        (other.note_code, other.note_param("method")),
        (NoteCode::UnexpectedMethod, Some("IPCSomething"))
    );
    let mut codes: Vec<&str> = NoteCode::ALL.iter().map(|c| c.as_str()).collect();
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), NoteCode::ALL.len(), "codes are unique");
    // Attempt information changes nothing for an unknown order or for browser messages.
    let c = ctx(1, true, false, None);
    assert_eq!(
        decide_attempt(&notify("wp-1-1", "9"), None, Some(&c), SID).action,
        Action::UnknownOrder
    );
}

fn keys() -> (PrivateKey, PublicKey) {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/keys/");
    let key = std::fs::read_to_string(format!("{dir}merchant_private.pem")).unwrap();
    let cert = std::fs::read_to_string(format!("{dir}merchant_cert.pem")).unwrap();
    (
        PrivateKey::from_pem(&key).unwrap(),
        PublicKey::from_pem(&cert).unwrap(),
    )
}

fn answer(fields: &[(&str, &str)]) -> Response {
    let (key, public) = keys();
    let mut b = ResponseBuilder::new();
    for (n, v) in fields {
        b = b.field(*n, *v);
    }
    let text = b.sign(OutputFormat::Json, &key).unwrap();
    Response::parse_and_verify(text.as_bytes(), None, &public).unwrap()
}

#[test]
fn refund_answers_must_match_their_request() {
    let ok = [
        ("IPCmethod", "IPCRefund"),
        ("IPC_Trnref", "900123"),
        ("Amount", "10"),
        ("Currency", "EUR"),
        ("Status", "0"),
        ("StatusMsg", "Success"),
    ];
    let confirmed = check_refund_answer(&answer(&ok), "wp-1-2", eur(1000)).unwrap();
    assert_eq!(
        (confirmed.trnref.as_str(), confirmed.amount),
        ("900123", eur(1000))
    );
    let with = |name: &str, value: Option<&str>| {
        let mut f: Vec<(&str, &str)> = ok.iter().copied().filter(|(n, _)| *n != name).collect();
        if let Some(v) = value {
            f.insert(1, (name, v));
        }
        check_refund_answer(&answer(&f), "wp-1-2", eur(1000)).unwrap_err()
    };
    let cases: Vec<(RefundProblem, &str, u32)> = vec![
        (with("IPC_Trnref", None), "missing_trnref", 3),
        (with("IPC_Trnref", Some("")), "missing_trnref", 3),
        (with("Amount", None), "missing_amount", 4),
        (with("Currency", None), "missing_currency", 5),
        (with("Amount", Some("10.01")), "amount_differs", 6),
        (with("Amount", Some("ten")), "amount_differs", 6),
        (with("Currency", Some("USD")), "currency_differs", 7),
        (with("OrderID", Some("wp-1-1")), "order_id_differs", 8),
        (with("IPCmethod", Some("IPCReversal")), "wrong_method", 2),
    ];
    for (problem, code, number) in cases {
        assert_eq!(
            (problem.code(), problem.number()),
            (code, number),
            "{problem}"
        );
        assert!(!problem.is_refusal());
    }
    assert!(check_refund_answer(
        &answer(&[
            ("IPCmethod", "IPCRefund"),
            ("IPC_Trnref", "900123"),
            ("Amount", "10.00"),
            ("Currency", "EUR"),
            ("OrderID", "wp-1-2"),
            ("Status", "0"),
        ]),
        "wp-1-2",
        eur(1000)
    )
    .is_ok());
    let refused = check_refund_answer(
        &answer(&[
            ("IPCmethod", "IPCRefund"),
            ("Status", "14"),
            ("StatusMsg", "not permitted"),
        ]),
        "wp-1-2",
        eur(1000),
    )
    .unwrap_err();
    assert!(refused.is_refusal());
    assert_eq!(
        refused,
        RefundProblem::Refused {
            status: 14,
            message: "not permitted".into()
        }
    );
}
