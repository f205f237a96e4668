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
}

/// What to do to the order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Record the payment with this IPC_Trnref and mark the order paid; then reply.
    MarkPaid {
        /// IPC_Trnref to store on the order.
        trnref: String,
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

/// A decision: the action, the reply, and a note for the order history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// What to do to the order.
    pub action: Action,
    /// What to answer.
    pub reply: Reply,
    /// A human-readable note (no secrets).
    pub note: String,
}

impl Decision {
    fn new(action: Action, reply: Reply, note: impl Into<String>) -> Self {
        Decision {
            action,
            reply,
            note: note.into(),
        }
    }

    /// The decision for a body that failed verification or parsing.
    pub fn rejected(why: &crate::Error) -> Self {
        Decision::new(
            Action::Ignore,
            Reply::BadRequest,
            format!("myPOS message rejected: {why}"),
        )
    }
}

/// Decides what `message` means for `order` (None when the OrderID is unknown).
/// `store_sid` is this store's SID: a message for another store is refused.
pub fn decide(message: &Message, order: Option<&OrderSnapshot>, store_sid: &str) -> Decision {
    if let Some(sid) = message.sid() {
        if sid != store_sid {
            return Decision::new(
                Action::Ignore,
                Reply::BadRequest,
                "message is for another store (SID differs)",
            );
        }
    }
    match message.kind() {
        MessageKind::PurchaseNotify => decide_notify(message, order),
        MessageKind::PurchaseRollback => decide_rollback(message, order),
        MessageKind::PurchaseCancel => decide_cancel(order),
        MessageKind::PurchaseOk => Decision::new(
            Action::ShowReceived,
            Reply::RedirectToReceived,
            "buyer returned from myPOS; payment is confirmed only by the notify",
        ),
        MessageKind::SignatureVerify => {
            Decision::new(Action::Acknowledge, Reply::Ok, "myPOS connection probe")
        }
        MessageKind::Other(m) => Decision::new(
            Action::Ignore,
            Reply::BadRequest,
            format!("unexpected method {m} at the notify endpoint"),
        ),
    }
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

fn decide_notify(message: &Message, order: Option<&OrderSnapshot>) -> Decision {
    let Some(order) = order else {
        return Decision::new(
            Action::UnknownOrder,
            Reply::NotOk,
            "payment notify for an unknown order",
        );
    };
    let trnref = message.trnref().unwrap_or_default().to_string();
    match &order.state {
        OrderState::Paid { trnref: paid } | OrderState::Refunded { trnref: paid }
            if *paid == trnref =>
        {
            Decision::new(
                Action::Duplicate,
                Reply::Ok,
                format!("repeated notify for payment {trnref}"),
            )
        }
        OrderState::Paid { trnref: paid } | OrderState::Refunded { trnref: paid } => Decision::new(
            Action::AlreadyPaidOtherwise,
            Reply::NotOk,
            format!("notify for payment {trnref} refused: the order is already paid by {paid}"),
        ),
        _ if !amount_matches(message, order) => Decision::new(
            Action::HoldMismatch,
            Reply::NotOk,
            format!(
                "payment {trnref} refused: {}",
                mismatch_note(message, order)
            ),
        ),
        _ => Decision::new(
            Action::MarkPaid {
                trnref: trnref.clone(),
            },
            Reply::Ok,
            format!("paid through myPOS, IPC_Trnref {trnref}"),
        ),
    }
}

fn decide_rollback(message: &Message, order: Option<&OrderSnapshot>) -> Decision {
    let Some(order) = order else {
        return Decision::new(
            Action::UnknownOrder,
            Reply::Ok,
            "rollback for an unknown order; nothing to undo",
        );
    };
    match &order.state {
        OrderState::Refunded { .. } | OrderState::Cancelled => Decision::new(
            Action::NoteOnly,
            Reply::Ok,
            "myPOS rolled back a payment; the order is already refunded or cancelled and stays so",
        ),
        OrderState::Failed => Decision::new(
            Action::NoteOnly,
            Reply::Ok,
            "myPOS rolled back a payment; the order is already failed",
        ),
        _ if !amount_matches(message, order) => Decision::new(
            Action::NoteOnly,
            Reply::Ok,
            format!("rollback ignored: {}", mismatch_note(message, order)),
        ),
        // A rollback names its payment only sometimes; when it names another one, the
        // payment that completed this order stands (docs/notify-decisions.md: a late cancel or rollback never undoes a payment it does not belong to).
        OrderState::Paid { trnref: paid } if message.trnref().is_some_and(|t| t != paid) => {
            Decision::new(
                Action::NoteOnly,
                Reply::Ok,
                format!(
                    "rollback of another payment (IPC_Trnref {}) ignored; the order stays paid by IPC_Trnref {paid}",
                    message.trnref().unwrap_or_default()
                ),
            )
        }
        OrderState::Paid { .. } | OrderState::AwaitingPayment | OrderState::OnHold => {
            Decision::new(
                Action::MarkFailed,
                Reply::Ok,
                "myPOS reversed the payment (IPCPurchaseRollback): the order is not paid",
            )
        }
    }
}

fn decide_cancel(order: Option<&OrderSnapshot>) -> Decision {
    match order.map(|o| &o.state) {
        Some(OrderState::Paid { .. }) | Some(OrderState::Refunded { .. }) => Decision::new(
            Action::NoteOnly,
            Reply::RedirectToReceived,
            "cancel from myPOS ignored: the order is already paid",
        ),
        Some(_) => Decision::new(
            Action::KeepPayable,
            Reply::RedirectToPayment,
            "buyer cancelled on the myPOS page; the order stays payable",
        ),
        None => Decision::new(
            Action::UnknownOrder,
            Reply::RedirectToPayment,
            "cancel for an unknown order",
        ),
    }
}
