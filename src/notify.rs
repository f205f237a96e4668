//! Notify decisions (docs/notify-decisions.md): what a verified message means for
//! an order, and exactly what to answer myPOS. Integrations load the order, apply the action,
//! save, and only then send the reply.

use crate::amount::Money;
use crate::message::{Message, MessageKind};

/// The order as the shop knows it when the message arrives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderSnapshot {
    /// Expected amount and currency.
    pub amount: Money,
    /// Current state.
    pub state: OrderState,
}

/// Order states that matter to a decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderState {
    /// Pending payment.
    AwaitingPayment,
    /// Failed (declined or rolled back); payable again.
    Failed,
    /// Cancelled; payable again.
    Cancelled,
    /// On hold after a mismatching notify.
    OnHold,
    /// Paid by the payment with this IPC_Trnref.
    Paid {
        /// IPC_Trnref of the payment.
        trnref: String,
    },
    /// Refunded (fully or partly) after being paid by this IPC_Trnref.
    Refunded {
        /// IPC_Trnref of the payment.
        trnref: String,
    },
    /// On hold with the amount authorized (not yet captured) by the pre-authorization with
    /// this IPC_Trnref.
    Authorized {
        /// IPC_Trnref of the pre-authorization.
        trnref: String,
    },
}

/// What to do to the order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Record the payment with this IPC_Trnref and mark the order paid; then reply.
    MarkPaid {
        /// IPC_Trnref to store on the order.
        trnref: String,
    },
    /// Record the pre-authorization with this IPC_Trnref and put the order on hold, to be
    /// captured or released later; never marks it paid. Then reply.
    Authorize {
        /// IPC_Trnref to store on the order.
        trnref: String,
        /// The date the authorization expires, as the message gives it (None: unknown).
        expiry: Option<String>,
    },
    /// A repeat of a notify already applied: change nothing.
    Duplicate,
    /// Amount or currency differ from the order: put it on hold with a note; do not pay.
    HoldMismatch,
    /// The order is already paid by another payment: change nothing, add a note.
    AlreadyPaidOtherwise,
    /// The payment was reversed: mark the order failed with a note.
    MarkFailed,
    /// Leave the order as it is and add the note.
    NoteOnly,
    /// The buyer cancelled: keep the order pending and payable, add a note.
    KeepPayable,
    /// Show the order-received page; never marks paid.
    ShowReceived,
    /// A connectivity probe: nothing to do.
    Acknowledge,
    /// The order is unknown: nothing to do.
    UnknownOrder,
    /// The message is not for this store or not a method this flow handles: nothing to do.
    Ignore,
    /// The order exists but never made the attempt the OrderID names (another site's prefix,
    /// a number not on record): change nothing; log it.
    UnknownAttempt,
}

/// How to answer the request that carried the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reply {
    /// HTTP 200 with body exactly `OK` (after the order is saved).
    Ok,
    /// Anything but `OK`, so that myPOS reverses the payment (HTTP 409, body `NOT OK`).
    NotOk,
    /// The request is refused (HTTP 400, body `INVALID`).
    BadRequest,
    /// A browser arrived: redirect it to the order-received page.
    RedirectToReceived,
    /// A browser arrived after cancelling: redirect it back to the payment step.
    RedirectToPayment,
}

impl Reply {
    /// HTTP status for server-to-server replies (303 for redirects).
    pub fn http_status(&self) -> u16 {
        match self {
            Reply::Ok => 200,
            Reply::NotOk => 409,
            Reply::BadRequest => 400,
            Reply::RedirectToReceived | Reply::RedirectToPayment => 303,
        }
    }
    /// Response body for server-to-server replies.
    pub fn body(&self) -> &'static str {
        match self {
            Reply::Ok => "OK",
            Reply::NotOk => "NOT OK",
            Reply::BadRequest => "INVALID",
            Reply::RedirectToReceived | Reply::RedirectToPayment => "",
        }
    }
}

/// A decision: the action, the reply, and a note for the order history: English text, and
/// the same note as a stable code with its parameters (for translations).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// What to do to the order.
    pub action: Action,
    /// What to answer.
    pub reply: Reply,
    /// A human-readable note in English (no secrets).
    pub note: String,
    /// The note's stable code.
    pub note_code: NoteCode,
    /// The note's parameters (name, value), in a fixed order per code.
    pub note_params: Vec<(&'static str, String)>,
}

impl Decision {
    fn new(action: Action, reply: Reply, note: impl Into<String>) -> Self {
        Decision {
            action,
            reply,
            note: note.into(),
            note_code: NoteCode::Rejected,
            note_params: Vec::new(),
        }
    }

    fn code(mut self, code: NoteCode, params: &[(&'static str, &str)]) -> Self {
        self.note_code = code;
        self.note_params = params.iter().map(|(n, v)| (*n, (*v).to_string())).collect();
        self
    }

    fn code_owned(mut self, code: NoteCode, params: Vec<(&'static str, String)>) -> Self {
        self.note_code = code;
        self.note_params = params;
        self
    }

    /// The decision for a body that failed verification or parsing.
    pub fn rejected(why: &crate::Error) -> Self {
        let reason = why.to_string();
        Decision::new(
            Action::Ignore,
            Reply::BadRequest,
            format!("myPOS message rejected: {reason}"),
        )
        .code(NoteCode::Rejected, &[("reason", &reason)])
    }

    /// A note parameter by name.
    pub fn note_param(&self, name: &str) -> Option<&str> {
        self.note_params
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }
}

/// The stable code of a decision's note; the English text is [`Decision::note`], the values
/// [`Decision::note_params`]. Codes are only added, never renamed or reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NoteCode {
    /// The body failed verification or parsing (`reason`).
    Rejected,
    /// The message is for another store (`sid`).
    OtherStore,
    /// A method this endpoint does not handle (`method`).
    UnexpectedMethod,
    /// IPCSignatureVerify.
    ConnectionProbe,
    /// IPCPurchaseOK: the buyer returned.
    BuyerReturned,
    /// Notify for an unknown order (`order_id`).
    NotifyUnknownOrder,
    /// Notify repeated for the payment that paid the order (`trnref`).
    NotifyDuplicate,
    /// Notify for another payment of an order already paid (`trnref`, `paid_trnref`).
    NotifyAlreadyPaid,
    /// Amount or currency differ (`trnref`, `amount`, `currency`, `expected_amount`,
    /// `expected_currency`).
    NotifyAmountMismatch,
    /// Paid (`trnref`).
    Paid,
    /// Notify for an attempt the order never made (`order_id`, `attempt`).
    NotifyUnknownAttempt,
    /// Notify replayed after its attempt was rolled back (`attempt`, `trnref`).
    NotifyAfterRollback,
    /// Notify for another attempt of an order already paid: the buyer paid twice (`attempt`,
    /// `trnref`, `paid_attempt`, `paid_trnref`).
    NotifyPaidTwice,
    /// Rollback for an unknown order (`order_id`).
    RollbackUnknownOrder,
    /// Rollback of an order that is refunded or cancelled.
    RollbackOrderClosed,
    /// Rollback of an order already failed.
    RollbackAlreadyFailed,
    /// Rollback whose amount or currency differ (`amount`, `currency`, `expected_amount`,
    /// `expected_currency`).
    RollbackAmountMismatch,
    /// Rollback naming another payment (`trnref`, `paid_trnref`).
    RollbackOtherPayment,
    /// The payment was reversed: the order is not paid.
    RollbackReversed,
    /// Rollback for an attempt the order never made (`order_id`, `attempt`).
    RollbackUnknownAttempt,
    /// Rollback for an attempt other than the one that paid (`attempt`, `paid_attempt`,
    /// `paid_trnref`).
    RollbackOtherAttempt,
    /// Rollback repeated for an attempt already rolled back (`attempt`).
    RollbackRepeated,
    /// Cancel after the order was paid.
    CancelAfterPayment,
    /// The buyer cancelled; the order stays payable.
    CancelKeepPayable,
    /// Cancel for an unknown order.
    CancelUnknownOrder,
    /// A pre-authorization attempt was authorized; capture before the expiry (`trnref`,
    /// `expiry`: a date, or empty when unknown).
    Authorized,
    /// Notify repeated for the pre-authorization that holds (or held) the order (`trnref`).
    AuthorizationDuplicate,
}

impl NoteCode {
    /// Every code, in numeric order.
    pub const ALL: [NoteCode; 27] = [
        NoteCode::Rejected,
        NoteCode::OtherStore,
        NoteCode::UnexpectedMethod,
        NoteCode::ConnectionProbe,
        NoteCode::BuyerReturned,
        NoteCode::NotifyUnknownOrder,
        NoteCode::NotifyDuplicate,
        NoteCode::NotifyAlreadyPaid,
        NoteCode::NotifyAmountMismatch,
        NoteCode::Paid,
        NoteCode::NotifyUnknownAttempt,
        NoteCode::NotifyAfterRollback,
        NoteCode::NotifyPaidTwice,
        NoteCode::RollbackUnknownOrder,
        NoteCode::RollbackOrderClosed,
        NoteCode::RollbackAlreadyFailed,
        NoteCode::RollbackAmountMismatch,
        NoteCode::RollbackOtherPayment,
        NoteCode::RollbackReversed,
        NoteCode::RollbackUnknownAttempt,
        NoteCode::RollbackOtherAttempt,
        NoteCode::RollbackRepeated,
        NoteCode::CancelAfterPayment,
        NoteCode::CancelKeepPayable,
        NoteCode::CancelUnknownOrder,
        NoteCode::Authorized,
        NoteCode::AuthorizationDuplicate,
    ];

    /// The stable text code, e.g. `notify_paid_twice`.
    pub fn as_str(self) -> &'static str {
        match self {
            NoteCode::Rejected => "rejected",
            NoteCode::OtherStore => "other_store",
            NoteCode::UnexpectedMethod => "unexpected_method",
            NoteCode::ConnectionProbe => "connection_probe",
            NoteCode::BuyerReturned => "buyer_returned",
            NoteCode::NotifyUnknownOrder => "notify_unknown_order",
            NoteCode::NotifyDuplicate => "notify_duplicate",
            NoteCode::NotifyAlreadyPaid => "notify_already_paid",
            NoteCode::NotifyAmountMismatch => "notify_amount_mismatch",
            NoteCode::Paid => "paid",
            NoteCode::NotifyUnknownAttempt => "notify_unknown_attempt",
            NoteCode::NotifyAfterRollback => "notify_after_rollback",
            NoteCode::NotifyPaidTwice => "notify_paid_twice",
            NoteCode::RollbackUnknownOrder => "rollback_unknown_order",
            NoteCode::RollbackOrderClosed => "rollback_order_closed",
            NoteCode::RollbackAlreadyFailed => "rollback_already_failed",
            NoteCode::RollbackAmountMismatch => "rollback_amount_mismatch",
            NoteCode::RollbackOtherPayment => "rollback_other_payment",
            NoteCode::RollbackReversed => "rollback_reversed",
            NoteCode::RollbackUnknownAttempt => "rollback_unknown_attempt",
            NoteCode::RollbackOtherAttempt => "rollback_other_attempt",
            NoteCode::RollbackRepeated => "rollback_repeated",
            NoteCode::CancelAfterPayment => "cancel_after_payment",
            NoteCode::CancelKeepPayable => "cancel_keep_payable",
            NoteCode::CancelUnknownOrder => "cancel_unknown_order",
            NoteCode::Authorized => "authorized",
            NoteCode::AuthorizationDuplicate => "notify_authorization_duplicate",
        }
    }
}

/// What an attempt asked myPOS for. The method name of myPOS's pre-authorization
/// notification is not documented, so a notify is read as an authorization because its
/// attempt is recorded as one, not because of its IPCmethod.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AttemptKind {
    /// IPCPurchase (or a payment made before kinds were recorded): a notify pays the order.
    #[default]
    Purchase,
    /// IPCPreAuthorization: a notify holds the amount; the order is paid only on capture.
    PreAuth,
}

impl AttemptKind {
    /// The stable text, `purchase` or `preauth`.
    pub fn as_str(self) -> &'static str {
        match self {
            AttemptKind::Purchase => "purchase",
            AttemptKind::PreAuth => "preauth",
        }
    }
}

/// What the shop knows about the attempt a message's OrderID names (see [`crate::attempt`]).
/// Without it ([`decide`]) messages are matched to the order alone, as before attempts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttemptContext {
    /// The attempt number the message's OrderID names (1 for a bare order id).
    pub attempt: u32,
    /// What the attempt asked for (a payment or a pre-authorization).
    pub kind: AttemptKind,
    /// The order has this attempt on record (same prefix, number made by this shop).
    pub known: bool,
    /// This attempt's rollback was already applied.
    pub rolled_back: bool,
    /// The attempt that paid (or authorized) the order, when it is paid, refunded or
    /// authorized (None: not paid, or paid before attempts were recorded; a bare order id
    /// counts as attempt 1).
    pub paid_attempt: Option<u32>,
}

impl AttemptContext {
    /// A known purchase attempt, not rolled back, of an order not paid by any attempt.
    pub fn new(attempt: u32) -> Self {
        AttemptContext {
            attempt,
            kind: AttemptKind::Purchase,
            known: true,
            rolled_back: false,
            paid_attempt: None,
        }
    }
}

/// Decides what `message` means for `order` (None when the OrderID is unknown).
/// `store_sid` is this store's SID: a message for another store is refused.
///
/// Without attempt information a rollback of an order that is paid (and names no other
/// IPC_Trnref) marks it failed, whichever payment it was for; use [`decide_attempt`] so that a
/// late rollback of an earlier attempt leaves the paying attempt alone.
pub fn decide(message: &Message, order: Option<&OrderSnapshot>, store_sid: &str) -> Decision {
    decide_attempt(message, order, None, store_sid)
}

/// [`decide`] with what the shop knows about the attempt the message's OrderID names (the
/// attempt rows of the README's decision table). `attempt` None is [`decide`].
pub fn decide_attempt(
    message: &Message,
    order: Option<&OrderSnapshot>,
    attempt: Option<&AttemptContext>,
    store_sid: &str,
) -> Decision {
    if let Some(sid) = message.sid() {
        if sid != store_sid {
            return Decision::new(
                Action::Ignore,
                Reply::BadRequest,
                "message is for another store (SID differs)",
            )
            .code(NoteCode::OtherStore, &[("sid", sid)]);
        }
    }
    match message.kind() {
        MessageKind::PurchaseNotify => match (order, attempt) {
            (Some(o), Some(a)) => decide_notify_attempt(message, o, a),
            _ => decide_notify(message, order),
        },
        MessageKind::PurchaseRollback => match (order, attempt) {
            (Some(o), Some(a)) => decide_rollback_attempt(message, o, a),
            _ => decide_rollback(message, order),
        },
        MessageKind::PurchaseCancel => decide_cancel(order),
        MessageKind::PurchaseOk => Decision::new(
            Action::ShowReceived,
            Reply::RedirectToReceived,
            "buyer returned from myPOS; payment is confirmed only by the notify",
        )
        .code(NoteCode::BuyerReturned, &[]),
        MessageKind::SignatureVerify => {
            Decision::new(Action::Acknowledge, Reply::Ok, "myPOS connection probe")
                .code(NoteCode::ConnectionProbe, &[])
        }
        MessageKind::Other(m) => Decision::new(
            Action::Ignore,
            Reply::BadRequest,
            format!("unexpected method {m} at the notify endpoint"),
        )
        .code(NoteCode::UnexpectedMethod, &[("method", m)]),
    }
}

fn order_id_of(message: &Message) -> &str {
    message.order_id().unwrap_or_default()
}

fn paid_trnref(order: &OrderSnapshot) -> Option<&str> {
    match &order.state {
        OrderState::Paid { trnref }
        | OrderState::Refunded { trnref }
        | OrderState::Authorized { trnref } => Some(trnref),
        _ => None,
    }
}

fn decide_notify_attempt(message: &Message, order: &OrderSnapshot, a: &AttemptContext) -> Decision {
    let trnref = message.trnref().unwrap_or_default();
    let n = a.attempt.to_string();
    if !a.known {
        return Decision::new(
            Action::UnknownAttempt,
            Reply::NotOk,
            format!(
                "payment notify for attempt {n} (OrderID {}), which this order never made; refused so that myPOS reverses it",
                order_id_of(message)
            ),
        )
        .code(
            NoteCode::NotifyUnknownAttempt,
            &[("order_id", order_id_of(message)), ("attempt", &n)],
        );
    }
    if a.rolled_back {
        return Decision::new(
            Action::NoteOnly,
            Reply::NotOk,
            format!(
                "notify for payment {trnref} of attempt {n} ignored: myPOS already rolled that attempt back"
            ),
        )
        .code(
            NoteCode::NotifyAfterRollback,
            &[("attempt", &n), ("trnref", trnref)],
        );
    }
    if let (Some(paid_by), Some(paid)) = (a.paid_attempt, paid_trnref(order)) {
        if paid_by != a.attempt {
            let p = paid_by.to_string();
            return Decision::new(
                Action::AlreadyPaidOtherwise,
                Reply::NotOk,
                format!(
                    "the buyer paid twice: payment {trnref} of attempt {n} refused (myPOS reverses it); the order stays paid by attempt {p}, IPC_Trnref {paid}"
                ),
            )
            .code(
                NoteCode::NotifyPaidTwice,
                &[
                    ("attempt", &n),
                    ("trnref", trnref),
                    ("paid_attempt", &p),
                    ("paid_trnref", paid),
                ],
            );
        }
    }
    match a.kind {
        AttemptKind::Purchase => decide_notify(message, Some(order)),
        AttemptKind::PreAuth => decide_authorization(message, order),
    }
}

/// The expiry date a notify gives for its authorization (`PreAuthExpDate`), when it looks
/// like a date; anything else counts as unknown rather than reaching an order note.
fn expiry_of(message: &Message) -> Option<String> {
    message
        .get("PreAuthExpDate")
        .map(str::trim)
        .filter(|d| {
            !d.is_empty()
                && d.len() <= 20
                && d.bytes()
                    .all(|b| b.is_ascii_digit() || matches!(b, b'/' | b'-' | b'.' | b' ' | b':'))
        })
        .map(str::to_string)
}

/// A verified notify of a pre-authorization attempt: the amount is held, not paid. Never
/// marks the order paid; a repeat (or one arriving after the capture) changes nothing.
fn decide_authorization(message: &Message, order: &OrderSnapshot) -> Decision {
    let trnref = message.trnref().unwrap_or_default().to_string();
    match &order.state {
        OrderState::Authorized { trnref: held }
        | OrderState::Paid { trnref: held }
        | OrderState::Refunded { trnref: held }
            if *held == trnref =>
        {
            Decision::new(
                Action::Duplicate,
                Reply::Ok,
                format!("repeated notify for authorization {trnref}; nothing changed"),
            )
            .code(NoteCode::AuthorizationDuplicate, &[("trnref", &trnref)])
        }
        OrderState::Authorized { trnref: held }
        | OrderState::Paid { trnref: held }
        | OrderState::Refunded { trnref: held } => Decision::new(
            Action::AlreadyPaidOtherwise,
            Reply::NotOk,
            format!("authorization {trnref} refused: the order is already held or paid by {held}"),
        )
        .code(
            NoteCode::NotifyAlreadyPaid,
            &[("trnref", &trnref), ("paid_trnref", held)],
        ),
        _ if !amount_matches(message, order) => Decision::new(
            Action::HoldMismatch,
            Reply::NotOk,
            format!(
                "authorization {trnref} refused: {}",
                mismatch_note(message, order)
            ),
        )
        .code_owned(
            NoteCode::NotifyAmountMismatch,
            mismatch_params(Some(&trnref), message, order),
        ),
        _ => {
            let expiry = expiry_of(message);
            let when = expiry.as_deref().unwrap_or("an unknown date");
            let note =
                format!("authorized through myPOS, IPC_Trnref {trnref}: capture before {when}");
            let params = [
                ("trnref", trnref.as_str()),
                ("expiry", expiry.as_deref().unwrap_or("")),
            ];
            Decision::new(
                Action::Authorize {
                    trnref: trnref.clone(),
                    expiry: expiry.clone(),
                },
                Reply::Ok,
                note,
            )
            .code(NoteCode::Authorized, &params)
        }
    }
}

fn decide_rollback_attempt(
    message: &Message,
    order: &OrderSnapshot,
    a: &AttemptContext,
) -> Decision {
    let n = a.attempt.to_string();
    if !a.known {
        return Decision::new(
            Action::UnknownAttempt,
            Reply::Ok,
            format!(
                "rollback for attempt {n} (OrderID {}), which this order never made; nothing to undo",
                order_id_of(message)
            ),
        )
        .code(
            NoteCode::RollbackUnknownAttempt,
            &[("order_id", order_id_of(message)), ("attempt", &n)],
        );
    }
    if let (Some(paid_by), Some(paid)) = (a.paid_attempt, paid_trnref(order)) {
        if paid_by != a.attempt {
            let p = paid_by.to_string();
            return Decision::new(
                Action::NoteOnly,
                Reply::Ok,
                format!(
                    "myPOS rolled back attempt {n}; the order stays paid by attempt {p}, IPC_Trnref {paid}"
                ),
            )
            .code(
                NoteCode::RollbackOtherAttempt,
                &[("attempt", &n), ("paid_attempt", &p), ("paid_trnref", paid)],
            );
        }
    }
    if a.rolled_back {
        return Decision::new(
            Action::NoteOnly,
            Reply::Ok,
            format!("repeated rollback of attempt {n}; already applied"),
        )
        .code(NoteCode::RollbackRepeated, &[("attempt", &n)]);
    }
    decide_rollback(message, Some(order))
}

fn amount_matches(message: &Message, order: &OrderSnapshot) -> bool {
    message.money() == Some(order.amount)
}

fn mismatch_note(message: &Message, order: &OrderSnapshot) -> String {
    format!(
        "myPOS reported {} {} but the order expects {} {}",
        message.amount_text().unwrap_or("(none)"),
        message.currency().unwrap_or("(none)"),
        order.amount.wire(),
        order.amount.currency
    )
}

fn mismatch_params(
    trnref: Option<&str>,
    message: &Message,
    order: &OrderSnapshot,
) -> Vec<(&'static str, String)> {
    let mut p = Vec::new();
    if let Some(t) = trnref {
        p.push(("trnref", t.to_string()));
    }
    p.push((
        "amount",
        message.amount_text().unwrap_or_default().to_string(),
    ));
    p.push((
        "currency",
        message.currency().unwrap_or_default().to_string(),
    ));
    p.push(("expected_amount", order.amount.wire()));
    p.push((
        "expected_currency",
        order.amount.currency.code().to_string(),
    ));
    p
}

fn decide_notify(message: &Message, order: Option<&OrderSnapshot>) -> Decision {
    let Some(order) = order else {
        return Decision::new(
            Action::UnknownOrder,
            Reply::NotOk,
            "payment notify for an unknown order",
        )
        .code(
            NoteCode::NotifyUnknownOrder,
            &[("order_id", order_id_of(message))],
        );
    };
    let trnref = message.trnref().unwrap_or_default().to_string();
    match &order.state {
        OrderState::Paid { trnref: paid }
        | OrderState::Refunded { trnref: paid }
        | OrderState::Authorized { trnref: paid }
            if *paid == trnref =>
        {
            Decision::new(
                Action::Duplicate,
                Reply::Ok,
                format!("repeated notify for payment {trnref}"),
            )
            .code(NoteCode::NotifyDuplicate, &[("trnref", &trnref)])
        }
        OrderState::Paid { trnref: paid }
        | OrderState::Refunded { trnref: paid }
        | OrderState::Authorized { trnref: paid } => Decision::new(
            Action::AlreadyPaidOtherwise,
            Reply::NotOk,
            format!("notify for payment {trnref} refused: the order is already paid by {paid}"),
        )
        .code(
            NoteCode::NotifyAlreadyPaid,
            &[("trnref", &trnref), ("paid_trnref", paid)],
        ),
        _ if !amount_matches(message, order) => Decision::new(
            Action::HoldMismatch,
            Reply::NotOk,
            format!(
                "payment {trnref} refused: {}",
                mismatch_note(message, order)
            ),
        )
        .code_owned(
            NoteCode::NotifyAmountMismatch,
            mismatch_params(Some(&trnref), message, order),
        ),
        _ => Decision::new(
            Action::MarkPaid {
                trnref: trnref.clone(),
            },
            Reply::Ok,
            format!("paid through myPOS, IPC_Trnref {trnref}"),
        )
        .code(NoteCode::Paid, &[("trnref", &trnref)]),
    }
}

fn decide_rollback(message: &Message, order: Option<&OrderSnapshot>) -> Decision {
    let Some(order) = order else {
        return Decision::new(
            Action::UnknownOrder,
            Reply::Ok,
            "rollback for an unknown order; nothing to undo",
        )
        .code(
            NoteCode::RollbackUnknownOrder,
            &[("order_id", order_id_of(message))],
        );
    };
    match &order.state {
        OrderState::Refunded { .. } | OrderState::Cancelled => Decision::new(
            Action::NoteOnly,
            Reply::Ok,
            "myPOS rolled back a payment; the order is already refunded or cancelled and stays so",
        )
        .code(NoteCode::RollbackOrderClosed, &[]),
        OrderState::Failed => Decision::new(
            Action::NoteOnly,
            Reply::Ok,
            "myPOS rolled back a payment; the order is already failed",
        )
        .code(NoteCode::RollbackAlreadyFailed, &[]),
        _ if !amount_matches(message, order) => Decision::new(
            Action::NoteOnly,
            Reply::Ok,
            format!("rollback ignored: {}", mismatch_note(message, order)),
        )
        .code_owned(
            NoteCode::RollbackAmountMismatch,
            mismatch_params(None, message, order),
        ),
        // A rollback names its payment only sometimes; when it names another one, the
        // payment that completed this order stands (docs/notify-decisions.md: a late cancel or rollback never undoes a payment it does not belong to).
        OrderState::Paid { trnref: paid } | OrderState::Authorized { trnref: paid }
            if message.trnref().is_some_and(|t| t != paid) =>
        {
            Decision::new(
                Action::NoteOnly,
                Reply::Ok,
                format!(
                    "rollback of another payment (IPC_Trnref {}) ignored; the order stays paid by IPC_Trnref {paid}",
                    message.trnref().unwrap_or_default()
                ),
            )
            .code(
                NoteCode::RollbackOtherPayment,
                &[
                    ("trnref", message.trnref().unwrap_or_default()),
                    ("paid_trnref", paid),
                ],
            )
        }
        OrderState::Paid { .. }
        | OrderState::Authorized { .. }
        | OrderState::AwaitingPayment
        | OrderState::OnHold => {
            Decision::new(
                Action::MarkFailed,
                Reply::Ok,
                "myPOS reversed the payment (IPCPurchaseRollback): the order is not paid",
            )
            .code(NoteCode::RollbackReversed, &[])
        }
    }
}

fn decide_cancel(order: Option<&OrderSnapshot>) -> Decision {
    match order.map(|o| &o.state) {
        Some(OrderState::Paid { .. })
        | Some(OrderState::Refunded { .. })
        | Some(OrderState::Authorized { .. }) => Decision::new(
            Action::NoteOnly,
            Reply::RedirectToReceived,
            "cancel from myPOS ignored: the order is already paid",
        )
        .code(NoteCode::CancelAfterPayment, &[]),
        Some(_) => Decision::new(
            Action::KeepPayable,
            Reply::RedirectToPayment,
            "buyer cancelled on the myPOS page; the order stays payable",
        )
        .code(NoteCode::CancelKeepPayable, &[]),
        None => Decision::new(
            Action::UnknownOrder,
            Reply::RedirectToPayment,
            "cancel for an unknown order",
        )
        .code(NoteCode::CancelUnknownOrder, &[]),
    }
}
