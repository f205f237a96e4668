//! `ipc::Message::parse_and_verify` with the simulated myPOS certificate, plus the
//! post-verification checks and `ipc::decide` on the same fields (a fuzzer cannot forge
//! signatures, so the field checks are driven directly through `from_verified_fields`).
#![no_main]

use ipc::{
    decide, decide_attempt, AttemptContext, AttemptId, Currency, Error, Message, Money,
    OrderSnapshot, OrderState,
};
use libfuzzer_sys::fuzz_target;

fn snapshots() -> Vec<OrderSnapshot> {
    let eur = Currency::parse("EUR").ok();
    let huf = Currency::parse("HUF").ok();
    let mut out = Vec::new();
    for (cur, minor) in [(eur, 2445), (huf, 1500)] {
        let Some(cur) = cur else { continue };
        for state in [
            OrderState::AwaitingPayment,
            OrderState::Paid {
                trnref: "410227".into(),
            },
            OrderState::Cancelled,
        ] {
            out.push(OrderSnapshot {
                amount: Money::new(minor, cur),
                state,
            });
        }
    }
    out
}

fn check_message(message: &Message) {
    assert!(
        !message.fields().has_signature(),
        "Signature left in a verified message"
    );
    if message.amount_text().is_some() {
        assert!(
            message.money().is_some(),
            "checked Amount does not convert to money"
        );
    }
    for order in snapshots() {
        for sid in ["000000000000010", "000000000000099"] {
            let d = decide(message, Some(&order), sid);
            if message.sid().is_some_and(|s| s != sid) {
                assert_eq!(d.reply, ipc::Reply::BadRequest, "foreign SID not refused");
            }
        }
    }
    let _ = decide(message, None, "000000000000010");
    // Attempts: the OrderID parses or names its rule; every context decides without panicking,
    // and an unknown attempt is never marked paid.
    if let Some(id) = message.order_id() {
        match AttemptId::parse(id) {
            Ok(a) => assert_eq!(a.to_string(), id, "attempt OrderID does not round-trip"),
            Err(e) => assert!(!e.code().is_empty()),
        }
    }
    for order in snapshots() {
        for (known, rolled_back, paid_attempt) in [
            (true, false, None),
            (false, false, None),
            (true, true, Some(2)),
            (true, false, Some(1)),
        ] {
            let context = AttemptContext {
                attempt: 1,
                kind: ipc::AttemptKind::Purchase,
                known,
                rolled_back,
                paid_attempt,
            };
            let d = decide_attempt(message, Some(&order), Some(&context), "000000000000010");
            if !known || rolled_back {
                assert!(
                    !matches!(d.action, ipc::Action::MarkPaid { .. }),
                    "an unknown or rolled-back attempt was marked paid"
                );
            }
            assert!(!d.note.is_empty() && !d.note_code.as_str().is_empty());
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let key = fuzz_common::simulated_mypos_key();
    match Message::parse_and_verify(data, key) {
        Ok(message) => check_message(&message),
        Err(e) => {
            let _ = e.to_string();
            let _ = ipc::Decision::rejected(&e);
            if data.len() > ipc::limits::MAX_BODY_BYTES {
                assert!(matches!(e, Error::MalformedBody(_)));
            }
        }
    }
    // The field checks that run after a successful verification.
    if let Ok(fields) = ipc::parse_urlencoded(data) {
        let rest = match fields.split_signature() {
            Ok((rest, _)) => rest,
            Err(_) => return,
        };
        if let Ok(message) = Message::from_verified_fields(rest) {
            check_message(&message);
        }
    }
});
