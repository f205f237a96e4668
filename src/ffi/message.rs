//! `ipc_message` (a verified incoming form message) and `ipc_decision` (what it means for an
//! order and what to answer myPOS).

use std::ffi::c_char;

use super::boundary::{
    arg_bytes, arg_ref, arg_str, free_box, guard, opt_str, set_box, set_found, set_string,
    FfiError, FfiResult, Out,
};
use super::config::ipc_config;
use super::result::ipc_result;
use crate::amount::{Currency, Money};
use crate::message::{Message, MessageKind};
use crate::notify::{decide, Action, Decision, OrderSnapshot, OrderState, Reply};

/// A parsed incoming message (notify, OK, cancel, rollback, probe) whose signature verified
/// and whose fields passed the format checks.
#[allow(non_camel_case_types)]
#[derive(Debug)]
pub struct ipc_message {
    pub(crate) inner: Message,
    /// Which of the config's myPOS certificates verified it (0 for the first).
    pub(crate) certificate: usize,
}

/// A notify decision: the action, the reply, and a note for the order history.
#[allow(non_camel_case_types)]
#[derive(Debug)]
pub struct ipc_decision {
    pub(crate) inner: Decision,
}

/// The state of the order a message refers to, as the shop knows it.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ipc_order_state {
    /// No order with that OrderID exists.
    UnknownOrder = 0,
    /// Pending payment.
    AwaitingPayment = 1,
    /// Failed; payable again.
    Failed = 2,
    /// Cancelled; payable again.
    Cancelled = 3,
    /// On hold after a mismatching notify.
    OnHold = 4,
    /// Paid by the payment `paid_trnref`.
    Paid = 5,
    /// Refunded after being paid by `paid_trnref`.
    Refunded = 6,
    /// On hold with the amount authorized, not yet captured, by the pre-authorization
    /// `paid_trnref`.
    Authorized = 7,
}

/// What an incoming message is, by its IPCmethod.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ipc_message_kind {
    /// IPCPurchaseNotify: payment made (server to server); needs the answer `OK`.
    PurchaseNotify = 0,
    /// IPCPurchaseOK: the buyer returns after paying (browser); never authoritative.
    PurchaseOk = 1,
    /// IPCPurchaseCancel: the buyer cancelled (browser).
    PurchaseCancel = 2,
    /// IPCPurchaseRollback: the payment was reversed.
    PurchaseRollback = 3,
    /// IPCSignatureVerify: myPOS probing URL_Notify.
    SignatureVerify = 4,
    /// Any other method (see `ipc_message_method`).
    Other = 5,
}

/// What to do to the order.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ipc_action {
    /// Record the payment (`ipc_decision_trnref`) and mark the order paid; then reply.
    MarkPaid = 0,
    /// A repeat of a notify already applied: change nothing.
    Duplicate = 1,
    /// Amount or currency differ: put the order on hold with the note; do not pay.
    HoldMismatch = 2,
    /// Already paid by another payment: change nothing, add the note.
    AlreadyPaidOtherwise = 3,
    /// The payment was reversed: mark the order failed with the note.
    MarkFailed = 4,
    /// Leave the order as it is and add the note.
    NoteOnly = 5,
    /// The buyer cancelled: keep the order payable, add the note.
    KeepPayable = 6,
    /// Show the order-received page; never marks paid.
    ShowReceived = 7,
    /// A connectivity probe: nothing to do.
    Acknowledge = 8,
    /// The order is unknown: nothing to do.
    UnknownOrder = 9,
    /// Not for this store or not handled here: nothing to do.
    Ignore = 10,
    /// The order never made the attempt the OrderID names: change nothing; log it
    /// (only from `ipc_decide_attempt`).
    UnknownAttempt = 11,
    /// A pre-authorization attempt was authorized: record its IPC_Trnref
    /// (`ipc_decision_trnref`) and put the order on hold; never mark it paid. The note's
    /// `expiry` parameter is the date to capture before (empty when unknown). Only from
    /// `ipc_decide_attempt` with `IPC_ATTEMPT_KIND_PREAUTH`.
    Authorize = 12,
}

/// How to answer the request that carried the message.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ipc_reply {
    /// HTTP 200, body `OK` (after the order is saved).
    Ok = 0,
    /// HTTP 409, body `NOT OK`: myPOS reverses the payment.
    NotOk = 1,
    /// HTTP 400, body `INVALID`.
    BadRequest = 2,
    /// Redirect the browser (303) to the order-received page.
    RedirectToReceived = 3,
    /// Redirect the browser (303) back to the payment step.
    RedirectToPayment = 4,
}

/// Parses a raw urlencoded body (never a re-encoded form), verifies it with the config's
/// myPOS certificates (any of them; `ipc_message_certificate_index` says which) and checks its fields. `IPC_RESULT_SIGNATURE_INVALID` when the RSA check
/// fails; other codes for malformed input. On success `*message_out` receives an object to
/// free with `ipc_message_free`.
///
/// # Safety
/// `body` valid for `body_len` bytes; `config` NULL or live; `message_out` writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn ipc_message_parse(
    body: *const u8,
    body_len: usize,
    config: *const ipc_config,
    message_out: *mut *mut ipc_message,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let body = unsafe { arg_bytes(body, body_len, "body") }?;
        let config = unsafe { arg_ref(config, "config") }?;
        let out = Out::new(message_out, "message_out")?;
        let (inner, certificate) =
            Message::parse_and_verify_keyring(body, config.inner.mypos_keyring())?;
        // SAFETY: out was checked non-NULL.
        unsafe { set_box(out, ipc_message { inner, certificate }) };
        Ok(())
    })
}

/// Which of the config's myPOS certificates verified the message: 0 for the one given to
/// `ipc_config_new` / `ipc_config_from_pack`, then in the order `ipc_config_add_certificate`
/// added them.
///
/// # Safety
/// `message` NULL or live; `index_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_message_certificate_index(
    message: *const ipc_message,
    index_out: *mut usize,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let message = unsafe { arg_ref(message, "message") }?;
        let out = Out::new(index_out, "index_out")?;
        // SAFETY: out was checked non-NULL.
        unsafe { out.set(message.certificate) };
        Ok(())
    })
}

unsafe fn message_string(
    message: *const ipc_message,
    out: *mut *mut c_char,
    what: &str,
    get: impl FnOnce(&Message) -> Option<&str>,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let message = unsafe { arg_ref(message, "message") }?;
        let out = Out::new(out, "out")?;
        // SAFETY: out was checked non-NULL.
        unsafe { set_found(out, get(&message.inner), what) }
    })
}

/// The IPCmethod, e.g. "IPCPurchaseNotify" (string to free with `ipc_string_free`).
///
/// # Safety
/// `message` NULL or live; `method_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_message_method(
    message: *const ipc_message,
    method_out: *mut *mut c_char,
) -> ipc_result {
    // SAFETY: forwarded contract.
    unsafe { message_string(message, method_out, "IPCmethod", |m| Some(m.method())) }
}

/// The kind of message (an `IPC_MESSAGE_KIND_*` value).
///
/// # Safety
/// `message` NULL or live; `kind_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_message_get_kind(
    message: *const ipc_message,
    kind_out: *mut ipc_message_kind,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let message = unsafe { arg_ref(message, "message") }?;
        let out = Out::new(kind_out, "kind_out")?;
        let kind = match message.inner.kind() {
            MessageKind::PurchaseNotify => ipc_message_kind::PurchaseNotify,
            MessageKind::PurchaseOk => ipc_message_kind::PurchaseOk,
            MessageKind::PurchaseCancel => ipc_message_kind::PurchaseCancel,
            MessageKind::PurchaseRollback => ipc_message_kind::PurchaseRollback,
            MessageKind::SignatureVerify => ipc_message_kind::SignatureVerify,
            MessageKind::Other(_) => ipc_message_kind::Other,
        };
        // SAFETY: out was checked non-NULL.
        unsafe { out.set(kind) };
        Ok(())
    })
}

/// OrderID; `IPC_RESULT_NOT_FOUND` when absent.
///
/// # Safety
/// `message` NULL or live; `order_id_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_message_order_id(
    message: *const ipc_message,
    order_id_out: *mut *mut c_char,
) -> ipc_result {
    // SAFETY: forwarded contract.
    unsafe { message_string(message, order_id_out, "OrderID", Message::order_id) }
}

/// IPC_Trnref; `IPC_RESULT_NOT_FOUND` when absent.
///
/// # Safety
/// `message` NULL or live; `trnref_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_message_trnref(
    message: *const ipc_message,
    trnref_out: *mut *mut c_char,
) -> ipc_result {
    // SAFETY: forwarded contract.
    unsafe { message_string(message, trnref_out, "IPC_Trnref", Message::trnref) }
}

/// Amount as sent (e.g. "23.45"); `IPC_RESULT_NOT_FOUND` when absent.
///
/// # Safety
/// `message` NULL or live; `amount_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_message_amount(
    message: *const ipc_message,
    amount_out: *mut *mut c_char,
) -> ipc_result {
    // SAFETY: forwarded contract.
    unsafe { message_string(message, amount_out, "Amount", Message::amount_text) }
}

/// Currency; `IPC_RESULT_NOT_FOUND` when absent.
///
/// # Safety
/// `message` NULL or live; `currency_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_message_currency(
    message: *const ipc_message,
    currency_out: *mut *mut c_char,
) -> ipc_result {
    // SAFETY: forwarded contract.
    unsafe { message_string(message, currency_out, "Currency", Message::currency) }
}

/// Any field by name (case-insensitive); `IPC_RESULT_NOT_FOUND` when absent.
///
/// # Safety
/// `message` NULL or live; `name` NUL-terminated; `value_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_message_get(
    message: *const ipc_message,
    name: *const c_char,
    value_out: *mut *mut c_char,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let message = unsafe { arg_ref(message, "message") }?;
        let name = unsafe { arg_str(name, "name") }?;
        let out = Out::new(value_out, "value_out")?;
        // SAFETY: out was checked non-NULL.
        unsafe { set_found(out, message.inner.get(name), &format!("field '{name}'")) }
    })
}

/// Frees a message. NULL-safe.
///
/// # Safety
/// `message` must be NULL or from `ipc_message_parse`, not yet freed.
#[no_mangle]
pub unsafe extern "C" fn ipc_message_free(message: *mut ipc_message) {
    // SAFETY: the caller's contract.
    unsafe { free_box(message) }
}

pub(crate) fn snapshot(
    state: u32,
    amount_minor: i64,
    currency: Option<&str>,
    paid_trnref: Option<&str>,
) -> FfiResult<Option<OrderSnapshot>> {
    let paid = || {
        paid_trnref.map(str::to_string).ok_or_else(|| {
            FfiError::new(
                ipc_result::NullArgument,
                "paid_trnref is NULL but the order is paid, refunded or authorized",
            )
        })
    };
    let state = match state {
        0 => return Ok(None),
        1 => OrderState::AwaitingPayment,
        2 => OrderState::Failed,
        3 => OrderState::Cancelled,
        4 => OrderState::OnHold,
        5 => OrderState::Paid { trnref: paid()? },
        6 => OrderState::Refunded { trnref: paid()? },
        7 => OrderState::Authorized { trnref: paid()? },
        other => {
            return Err(FfiError::new(
                ipc_result::InvalidArgument,
                format!("state {other} is not an IPC_ORDER_STATE_* value"),
            ))
        }
    };
    let currency =
        currency.ok_or_else(|| FfiError::new(ipc_result::NullArgument, "currency is NULL"))?;
    Ok(Some(OrderSnapshot {
        amount: Money::new(amount_minor, Currency::parse(currency)?),
        state,
    }))
}

/// Decides what a verified message means for an order. The order is given by its expected
/// `amount_minor` and `currency`, its `state` (an `IPC_ORDER_STATE_*` value) and, when paid or
/// refunded, the `paid_trnref` it was paid by (NULL otherwise). With
/// `IPC_ORDER_STATE_UNKNOWN_ORDER` the amount, currency and trnref are ignored (may be NULL).
/// `store_sid` is this store's SID. On success `*decision_out` receives an object to free
/// with `ipc_decision_free`.
///
/// # Safety
/// `message` NULL or live; strings NUL-terminated or NULL where allowed; `decision_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_decide(
    message: *const ipc_message,
    amount_minor: i64,
    currency: *const c_char,
    state: u32,
    paid_trnref: *const c_char,
    store_sid: *const c_char,
    decision_out: *mut *mut ipc_decision,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let message = unsafe { arg_ref(message, "message") }?;
        let currency = unsafe { opt_str(currency, "currency") }?;
        let paid_trnref = unsafe { opt_str(paid_trnref, "paid_trnref") }?;
        let store_sid = unsafe { arg_str(store_sid, "store_sid") }?;
        let out = Out::new(decision_out, "decision_out")?;
        let order = snapshot(state, amount_minor, currency, paid_trnref)?;
        let inner = decide(&message.inner, order.as_ref(), store_sid);
        // SAFETY: out was checked non-NULL.
        unsafe { set_box(out, ipc_decision { inner }) };
        Ok(())
    })
}

fn action_code(action: &Action) -> ipc_action {
    match action {
        Action::MarkPaid { .. } => ipc_action::MarkPaid,
        Action::Duplicate => ipc_action::Duplicate,
        Action::HoldMismatch => ipc_action::HoldMismatch,
        Action::AlreadyPaidOtherwise => ipc_action::AlreadyPaidOtherwise,
        Action::MarkFailed => ipc_action::MarkFailed,
        Action::NoteOnly => ipc_action::NoteOnly,
        Action::KeepPayable => ipc_action::KeepPayable,
        Action::ShowReceived => ipc_action::ShowReceived,
        Action::Acknowledge => ipc_action::Acknowledge,
        Action::UnknownOrder => ipc_action::UnknownOrder,
        Action::Ignore => ipc_action::Ignore,
        Action::UnknownAttempt => ipc_action::UnknownAttempt,
        Action::Authorize { .. } => ipc_action::Authorize,
    }
}

fn reply_code(reply: Reply) -> ipc_reply {
    match reply {
        Reply::Ok => ipc_reply::Ok,
        Reply::NotOk => ipc_reply::NotOk,
        Reply::BadRequest => ipc_reply::BadRequest,
        Reply::RedirectToReceived => ipc_reply::RedirectToReceived,
        Reply::RedirectToPayment => ipc_reply::RedirectToPayment,
    }
}

unsafe fn decision_value<T>(
    decision: *const ipc_decision,
    out: *mut T,
    get: impl FnOnce(&Decision) -> T,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let decision = unsafe { arg_ref(decision, "decision") }?;
        let out = Out::new(out, "out")?;
        // SAFETY: out was checked non-NULL.
        unsafe { out.set(get(&decision.inner)) };
        Ok(())
    })
}

/// A text view of a decision, copied out as a string to free with `ipc_string_free`.
///
/// # Safety
/// `decision` NULL or live; `out` writable; `out_name` names `out` in errors.
pub(crate) unsafe fn decision_text(
    decision: *const ipc_decision,
    out: *mut *mut c_char,
    out_name: &str,
    get: impl FnOnce(&Decision) -> &str,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let decision = unsafe { arg_ref(decision, "decision") }?;
        let out = Out::new(out, out_name)?;
        // SAFETY: out was checked non-NULL.
        unsafe { set_string(out, get(&decision.inner)) }
    })
}

/// The action (an `IPC_ACTION_*` value).
///
/// # Safety
/// `decision` NULL or live; `action_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_decision_action(
    decision: *const ipc_decision,
    action_out: *mut ipc_action,
) -> ipc_result {
    // SAFETY: forwarded contract.
    unsafe { decision_value(decision, action_out, |d| action_code(&d.action)) }
}

/// The reply (an `IPC_REPLY_*` value).
///
/// # Safety
/// `decision` NULL or live; `reply_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_decision_reply(
    decision: *const ipc_decision,
    reply_out: *mut ipc_reply,
) -> ipc_result {
    // SAFETY: forwarded contract.
    unsafe { decision_value(decision, reply_out, |d| reply_code(d.reply)) }
}

/// The HTTP status to answer with (200, 409, 400, or 303 for redirects).
///
/// # Safety
/// `decision` NULL or live; `status_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_decision_http_status(
    decision: *const ipc_decision,
    status_out: *mut u16,
) -> ipc_result {
    // SAFETY: forwarded contract.
    unsafe { decision_value(decision, status_out, |d| d.reply.http_status()) }
}

/// The response body to answer with ("OK", "NOT OK", "INVALID", or "" for redirects), as a
/// string to free with `ipc_string_free`.
///
/// # Safety
/// `decision` NULL or live; `body_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_decision_body(
    decision: *const ipc_decision,
    body_out: *mut *mut c_char,
) -> ipc_result {
    // SAFETY: forwarded contract.
    unsafe { decision_text(decision, body_out, "body_out", |d| d.reply.body()) }
}

/// The note for the order history, as a string to free with `ipc_string_free`.
///
/// # Safety
/// `decision` NULL or live; `note_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_decision_note(
    decision: *const ipc_decision,
    note_out: *mut *mut c_char,
) -> ipc_result {
    // SAFETY: forwarded contract.
    unsafe { decision_text(decision, note_out, "note_out", |d| &d.note) }
}

/// The IPC_Trnref to record when the action is `IPC_ACTION_MARK_PAID` or
/// `IPC_ACTION_AUTHORIZE`; `IPC_RESULT_NOT_FOUND` for other actions.
///
/// # Safety
/// `decision` NULL or live; `trnref_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_decision_trnref(
    decision: *const ipc_decision,
    trnref_out: *mut *mut c_char,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let decision = unsafe { arg_ref(decision, "decision") }?;
        let out = Out::new(trnref_out, "trnref_out")?;
        let trnref = match &decision.inner.action {
            Action::MarkPaid { trnref } | Action::Authorize { trnref, .. } => Some(trnref.as_str()),
            _ => None,
        };
        // SAFETY: out was checked non-NULL.
        unsafe {
            set_found(
                out,
                trnref,
                "trnref (the action is not MARK_PAID or AUTHORIZE)",
            )
        }
    })
}

/// Frees a decision. NULL-safe.
///
/// # Safety
/// `decision` must be NULL or from `ipc_decide`, not yet freed.
#[no_mangle]
pub unsafe extern "C" fn ipc_decision_free(decision: *mut ipc_decision) {
    // SAFETY: the caller's contract.
    unsafe { free_box(decision) }
}
