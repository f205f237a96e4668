//! `MyPOS\IPC\Notification` (a verified myPOS message) and `MyPOS\IPC\Decision`.

use ext_php_rs::boxed::ZBox;
use ext_php_rs::exception::PhpResult;
use ext_php_rs::prelude::*;
use ext_php_rs::types::ZendHashTable;
use ipc::{
    Action, AttemptContext, AttemptKind, Currency, Error, Message, MessageKind, Money,
    OrderSnapshot, OrderState, Reply,
};

use crate::args::{opt_table, opt_text, Arr, Str};
use crate::errors::{from_core, guard, invalid, signature};
use crate::input::Options;
use crate::modifiers::final_class;
use crate::output::{fields_array, Assoc};

/// A verified notification.
#[php_class]
#[php(name = "MyPOS\\IPC\\Notification")]
#[php(modifier = final_class)]
#[derive(Debug)]
pub struct Notification {
    message: Message,
    store_sid: String,
    certificate: usize,
}

impl Notification {
    /// A message verified elsewhere (the OrderStatus of a status answer) for this config.
    pub fn from_message(message: Message, config: &ipc::Config) -> Self {
        Notification {
            message,
            store_sid: config.sid().to_string(),
            certificate: 0,
        }
    }

    /// Parses and verifies `body` with the config's myPOS certificates (any of them).
    pub fn parse(body: &[u8], config: &ipc::Config) -> PhpResult<Self> {
        match Message::parse_and_verify_keyring(body, config.mypos_keyring()) {
            Ok((message, certificate)) => Ok(Notification {
                message,
                store_sid: config.sid().to_string(),
                certificate,
            }),
            Err(Error::SignatureInvalid) => Err(signature(
                "Config::notification(): $rawBody: signature invalid",
            )),
            Err(e) => Err(from_core("Config::notification(): $rawBody", &e)),
        }
    }
}

fn state(what: &str, text: &str, trnref: Option<String>) -> PhpResult<OrderState> {
    let t = trnref.unwrap_or_default();
    Ok(match text {
        "pending" => OrderState::AwaitingPayment,
        "failed" => OrderState::Failed,
        "cancelled" => OrderState::Cancelled,
        "on-hold" => OrderState::OnHold,
        "paid" => OrderState::Paid { trnref: t },
        "refunded" => OrderState::Refunded { trnref: t },
        "authorized" => OrderState::Authorized { trnref: t },
        other => {
            return Err(invalid(format!(
                "{what}: 'state' must be pending, failed, cancelled, on-hold, paid, refunded or authorized, not '{other}'"
            )))
        }
    })
}

const ORDER_KEYS: &[&str] = &[
    "amount",
    "currency",
    "state",
    "trnref",
    "attempt",
    "attempt_known",
    "attempt_rolled_back",
    "paid_attempt",
    "attempt_kind",
];

fn attempt_kind(what: &str, text: Option<String>) -> PhpResult<AttemptKind> {
    match text.as_deref() {
        None | Some("purchase") => Ok(AttemptKind::Purchase),
        Some("preauth") => Ok(AttemptKind::PreAuth),
        Some(other) => Err(invalid(format!(
            "{what}: 'attempt_kind' must be purchase or preauth, not '{other}'"
        ))),
    }
}

fn attempt_number(what: &str, name: &str, value: i64) -> PhpResult<u32> {
    u32::try_from(value)
        .ok()
        .filter(|n| *n >= 1)
        .ok_or_else(|| invalid(format!("{what}: '{name}' must be 1 or more, {value} given")))
}

fn snapshot(order: &ZendHashTable) -> PhpResult<(OrderSnapshot, Option<AttemptContext>)> {
    let what = "Notification::decide(): $order";
    let o = Options::new(what, order, ORDER_KEYS)?;
    let currency = Currency::parse(&o.req_str("currency")?)
        .map_err(|e| invalid(format!("{what}: 'currency': {e}")))?;
    let snapshot = OrderSnapshot {
        amount: Money::new(o.req_int("amount")?, currency),
        state: state(what, &o.req_str("state")?, o.opt_str("trnref")?)?,
    };
    let context = match o.opt_int("attempt")? {
        None => {
            for key in [
                "attempt_known",
                "attempt_rolled_back",
                "paid_attempt",
                "attempt_kind",
            ] {
                if order.get(key).is_some_and(|v| !v.is_null()) {
                    return Err(invalid(format!("{what}: '{key}' needs 'attempt'")));
                }
            }
            None
        }
        Some(n) => Some(AttemptContext {
            attempt: attempt_number(what, "attempt", n)?,
            kind: attempt_kind(what, o.opt_str("attempt_kind")?)?,
            known: o.opt_bool("attempt_known")?.unwrap_or(true),
            rolled_back: o.opt_bool("attempt_rolled_back")?.unwrap_or(false),
            paid_attempt: o
                .opt_int("paid_attempt")?
                .map(|p| attempt_number(what, "paid_attempt", p))
                .transpose()?,
        }),
    };
    Ok((snapshot, context))
}

#[php_impl]
impl Notification {
    /// Which of the config's myPOS certificates verified this message: 0 for the one the
    /// config was made with, then in the order `Config::withCertificate()` added them.
    pub fn certificate_index(&self) -> i64 {
        i64::try_from(self.certificate).unwrap_or(i64::MAX)
    }

    /// The IPCmethod.
    pub fn method(&self) -> String {
        self.message.method().to_string()
    }

    /// 'notify', 'ok', 'cancel', 'rollback', 'signature_verify' or 'other'.
    pub fn kind(&self) -> String {
        match self.message.kind() {
            MessageKind::PurchaseNotify => "notify",
            MessageKind::PurchaseOk => "ok",
            MessageKind::PurchaseCancel => "cancel",
            MessageKind::PurchaseRollback => "rollback",
            MessageKind::SignatureVerify => "signature_verify",
            _ => "other",
        }
        .to_string()
    }

    /// All fields in received order, without Signature.
    pub fn fields(&self) -> PhpResult<ZBox<ZendHashTable>> {
        fields_array(self.message.fields())
    }

    /// A field by name (case-insensitive).
    pub fn get(&self, name: Str) -> PhpResult<Option<String>> {
        let name = name.text(("MyPOS\\IPC\\Notification::get", 1, "name"))?;
        Ok(self.message.get(name).map(str::to_string))
    }

    /// OrderID.
    pub fn order_id(&self) -> Option<String> {
        self.message.order_id().map(str::to_string)
    }

    /// IPC_Trnref.
    pub fn trnref(&self) -> Option<String> {
        self.message.trnref().map(str::to_string)
    }

    /// Amount as sent.
    pub fn amount(&self) -> Option<String> {
        self.message.amount_text().map(str::to_string)
    }

    /// Currency.
    pub fn currency(&self) -> Option<String> {
        self.message.currency().map(str::to_string)
    }

    /// SID.
    pub fn sid(&self) -> Option<String> {
        self.message.sid().map(str::to_string)
    }

    /// What the notification means for `$order` (null: unknown order).
    #[php(optional = storeSid)]
    pub fn decide(&self, order: Option<Arr>, storeSid: Option<Str>) -> PhpResult<Decision> {
        guard("Notification::decide", || {
            const AT: &str = "MyPOS\\IPC\\Notification::decide";
            let order = opt_table(order, (AT, 1, "order"))?;
            let (snap, context) = match order.map(snapshot).transpose()? {
                Some((s, c)) => (Some(s), c),
                None => (None, None),
            };
            let sid = opt_text(storeSid, (AT, 2, "storeSid"))?
                .map_or_else(|| self.store_sid.clone(), str::to_string);
            Ok(Decision {
                inner: ipc::decide_attempt(&self.message, snap.as_ref(), context.as_ref(), &sid),
            })
        })
    }
}

/// A notify decision.
#[php_class]
#[php(name = "MyPOS\\IPC\\Decision")]
#[php(modifier = final_class)]
#[derive(Debug)]
pub struct Decision {
    inner: ipc::Decision,
}

#[php_impl]
impl Decision {
    /// The action name.
    pub fn action(&self) -> String {
        match &self.inner.action {
            Action::MarkPaid { .. } => "mark_paid",
            Action::Duplicate => "duplicate",
            Action::HoldMismatch => "hold_mismatch",
            Action::AlreadyPaidOtherwise => "already_paid_otherwise",
            Action::MarkFailed => "mark_failed",
            Action::NoteOnly => "note_only",
            Action::KeepPayable => "keep_payable",
            Action::ShowReceived => "show_received",
            Action::Acknowledge => "acknowledge",
            Action::UnknownOrder => "unknown_order",
            Action::Ignore => "ignore",
            Action::UnknownAttempt => "unknown_attempt",
            Action::Authorize { .. } => "authorize",
        }
        .to_string()
    }

    /// The reply name.
    pub fn reply(&self) -> String {
        match self.inner.reply {
            Reply::Ok => "ok",
            Reply::NotOk => "not_ok",
            Reply::BadRequest => "bad_request",
            Reply::RedirectToReceived => "redirect_received",
            Reply::RedirectToPayment => "redirect_payment",
        }
        .to_string()
    }

    /// HTTP status of the reply.
    pub fn http_status(&self) -> i64 {
        i64::from(self.inner.reply.http_status())
    }

    /// Body of the reply.
    pub fn body(&self) -> String {
        self.inner.reply.body().to_string()
    }

    /// A note for the order history (English).
    pub fn note(&self) -> String {
        self.inner.note.clone()
    }

    /// The note's stable code, e.g. 'notify_paid_twice'.
    pub fn note_code(&self) -> String {
        self.inner.note_code.as_str().to_string()
    }

    /// The note's values by name, e.g. ['attempt' => '2', 'paid_attempt' => '1', ...].
    pub fn note_params(&self) -> PhpResult<ZBox<ZendHashTable>> {
        let mut a = Assoc::new();
        for (name, value) in &self.inner.note_params {
            a = a.set(name, value.as_str())?;
        }
        Ok(a.done())
    }

    /// The IPC_Trnref to store (mark_paid and authorize only).
    pub fn trnref(&self) -> Option<String> {
        match &self.inner.action {
            Action::MarkPaid { trnref } | Action::Authorize { trnref, .. } => Some(trnref.clone()),
            _ => None,
        }
    }

    /// The date to capture before, as myPOS gave it (authorize only; null when unknown).
    pub fn expiry(&self) -> Option<String> {
        match &self.inner.action {
            Action::Authorize { expiry, .. } => expiry.clone(),
            _ => None,
        }
    }
}
