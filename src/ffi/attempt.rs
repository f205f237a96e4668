//! Payment attempts in C: attempt OrderIDs (`<prefix>-<order id>-<n>`), notify decisions that
//! know the attempt, note codes with their values, and refund answers checked against their
//! request.

use std::ffi::c_char;

use super::boundary::{arg_ref, arg_str, guard, opt_str, set_box, set_string, FfiError, Out};
use super::message::{decision_text, ipc_decision, ipc_message, snapshot};
use super::response::ipc_response;
use super::result::ipc_result;
use crate::amount::{Currency, Money};
use crate::attempt::{AttemptId, AttemptIdError};
use crate::capture::{check_capture_answer, check_release_answer, CaptureProblem};
use crate::notify::{decide_attempt, AttemptContext, AttemptKind};
use crate::refund::{check_refund_answer, RefundProblem};

/// Why a text is not an attempt OrderID (`ipc_attempt_id_check`). Numbers are never reused.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ipc_attempt_id_error {
    /// A valid attempt OrderID (or a bare order id, attempt 1).
    None = 0,
    /// Empty.
    Empty = 1,
    /// Longer than 80 characters (myPOS's OrderID field).
    TooLong = 2,
    /// A character other than an ASCII letter, digit or '-'.
    InvalidCharacter = 3,
    /// Neither a bare order id nor `<prefix>-<order id>-<n>`.
    WrongShape = 4,
    /// Prefix empty, longer than 32 characters or not starting with a letter.
    InvalidPrefix = 5,
    /// Order id empty or longer than 32 characters.
    InvalidOrder = 6,
    /// Attempt number not decimal, 0 or with a leading zero.
    InvalidAttemptNumber = 7,
    /// Attempt number above 99999.
    AttemptNumberTooLarge = 8,
}

fn attempt_error_code(e: &AttemptIdError) -> ipc_attempt_id_error {
    match e {
        AttemptIdError::Empty => ipc_attempt_id_error::Empty,
        AttemptIdError::TooLong { .. } => ipc_attempt_id_error::TooLong,
        AttemptIdError::InvalidCharacter { .. } => ipc_attempt_id_error::InvalidCharacter,
        AttemptIdError::WrongShape => ipc_attempt_id_error::WrongShape,
        AttemptIdError::InvalidPrefix => ipc_attempt_id_error::InvalidPrefix,
        AttemptIdError::InvalidOrder => ipc_attempt_id_error::InvalidOrder,
        AttemptIdError::InvalidAttemptNumber => ipc_attempt_id_error::InvalidAttemptNumber,
        AttemptIdError::AttemptNumberTooLarge => ipc_attempt_id_error::AttemptNumberTooLarge,
    }
}

fn attempt_failure(what: &str, e: &AttemptIdError) -> FfiError {
    FfiError::new(
        ipc_result::InvalidArgument,
        format!("{what} {e} [{}]", e.code()),
    )
}

/// Whether a refund answer confirms the refund requested (`ipc_refund_check`).
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ipc_refund_verdict {
    /// Confirmed: Status 0, an IPC_Trnref, the requested amount and currency echoed.
    Confirmed = 0,
    /// myPOS refused (Status other than 0): nothing was refunded.
    Refused = 1,
    /// The answer names another IPCmethod.
    WrongMethod = 2,
    /// No IPC_Trnref.
    MissingTrnref = 3,
    /// No Amount echoed.
    MissingAmount = 4,
    /// No Currency echoed.
    MissingCurrency = 5,
    /// The echoed Amount is not the requested one.
    AmountDiffers = 6,
    /// The echoed Currency is not the requested one.
    CurrencyDiffers = 7,
    /// The echoed OrderID is not the requested one.
    OrderIdDiffers = 8,
}

fn verdict_code(p: &RefundProblem) -> ipc_refund_verdict {
    match p {
        RefundProblem::Refused { .. } => ipc_refund_verdict::Refused,
        RefundProblem::WrongMethod { .. } => ipc_refund_verdict::WrongMethod,
        RefundProblem::MissingTrnref => ipc_refund_verdict::MissingTrnref,
        RefundProblem::MissingAmount => ipc_refund_verdict::MissingAmount,
        RefundProblem::MissingCurrency => ipc_refund_verdict::MissingCurrency,
        RefundProblem::AmountDiffers { .. } => ipc_refund_verdict::AmountDiffers,
        RefundProblem::CurrencyDiffers { .. } => ipc_refund_verdict::CurrencyDiffers,
        RefundProblem::OrderIdDiffers { .. } => ipc_refund_verdict::OrderIdDiffers,
    }
}

/// What an attempt asked myPOS for (`ipc_attempt_context.kind`).
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ipc_attempt_kind {
    /// IPCPurchase: a notify pays the order.
    Purchase = 0,
    /// IPCPreAuthorization: a notify holds the amount (`IPC_ACTION_AUTHORIZE`), never pays.
    Preauth = 1,
}

/// What the shop knows about the attempt a message's OrderID names.
#[allow(non_camel_case_types)]
#[repr(C)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ipc_attempt_context {
    /// The attempt number the message's OrderID names (1 for a bare order id); at least 1.
    pub attempt: u32,
    /// The order has this attempt on record.
    pub known: bool,
    /// This attempt's rollback was already applied.
    pub rolled_back: bool,
    /// The attempt that paid the order when it is paid or refunded; 0 when none or unknown.
    pub paid_attempt: u32,
    /// What the attempt asked for (an `IPC_ATTEMPT_KIND_*` value; 0 is a purchase).
    pub kind: u32,
}

/// The attempt OrderID `<prefix>-<order>-<attempt>` (a string to free with `ipc_string_free`).
/// `IPC_RESULT_INVALID_ARGUMENT` when a part breaks its rule (`ipc_last_error_message()` names
/// it and ends with the rule's code in brackets, e.g. `[invalid_prefix]`).
///
/// # Safety
/// `prefix` and `order` NUL-terminated; `order_id_out` writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn ipc_attempt_id_format(
    prefix: *const c_char,
    order: *const c_char,
    attempt: u32,
    order_id_out: *mut *mut c_char,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let prefix = unsafe { arg_str(prefix, "prefix") }?;
        let order = unsafe { arg_str(order, "order") }?;
        let out = Out::new(order_id_out, "order_id_out")?;
        let id = AttemptId::new(prefix, order, attempt)
            .map_err(|e| attempt_failure("the attempt OrderID", &e))?;
        // SAFETY: out was checked non-NULL.
        unsafe { set_string(out, &id.to_string()) }
    })
}

/// Parses an OrderID into its prefix (NULL for a bare order id), order id and attempt number
/// (1 for a bare order id). Strings to free with `ipc_string_free`. `IPC_RESULT_INVALID_ARGUMENT`
/// when it is not an attempt OrderID (`ipc_attempt_id_check` gives the rule as a code).
///
/// # Safety
/// `order_id` NUL-terminated; the three out-parameters writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn ipc_attempt_id_parse(
    order_id: *const c_char,
    prefix_out: *mut *mut c_char,
    order_out: *mut *mut c_char,
    attempt_out: *mut u32,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let text = unsafe { arg_str(order_id, "order_id") }?;
        let prefix_out = Out::new(prefix_out, "prefix_out")?;
        let order_out = Out::new(order_out, "order_out")?;
        let attempt_out = Out::new(attempt_out, "attempt_out")?;
        let id = AttemptId::parse(text).map_err(|e| attempt_failure("order_id", &e))?;
        let prefix = id
            .prefix()
            .map(super::boundary::c_string)
            .transpose()?
            .map_or(std::ptr::null_mut(), std::ffi::CString::into_raw);
        let order = match super::boundary::c_string(id.order()) {
            Ok(s) => s,
            Err(e) => {
                if !prefix.is_null() {
                    // SAFETY: made by CString::into_raw just above.
                    drop(unsafe { std::ffi::CString::from_raw(prefix) });
                }
                return Err(e);
            }
        };
        // SAFETY: the outs were checked non-NULL.
        unsafe {
            prefix_out.set(prefix);
            order_out.set(order.into_raw());
            attempt_out.set(id.number());
        }
        Ok(())
    })
}

/// Writes `IPC_ATTEMPT_ID_ERROR_NONE` when `order_id` is an attempt OrderID (or a bare order
/// id), otherwise the rule it breaks.
///
/// # Safety
/// `order_id` NUL-terminated; `error_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_attempt_id_check(
    order_id: *const c_char,
    error_out: *mut ipc_attempt_id_error,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let text = unsafe { arg_str(order_id, "order_id") }?;
        let out = Out::new(error_out, "error_out")?;
        let code = match AttemptId::parse(text) {
            Ok(_) => ipc_attempt_id_error::None,
            Err(e) => attempt_error_code(&e),
        };
        // SAFETY: out was checked non-NULL.
        unsafe { out.set(code) };
        Ok(())
    })
}

/// `ipc_decide` with what the shop knows about the message's attempt (NULL `attempt`: exactly
/// `ipc_decide`, matching messages to the order alone). With it, a rollback of an attempt other
/// than the one that paid changes nothing, a notify of another attempt of a paid order is
/// refused (`IPC_ACTION_ALREADY_PAID_OTHERWISE`, not `OK`), an unknown attempt gives
/// `IPC_ACTION_UNKNOWN_ATTEMPT`, and a notify replayed after its rollback changes nothing.
///
/// # Safety
/// As `ipc_decide`; `attempt` NULL or readable.
#[allow(clippy::too_many_arguments)]
#[no_mangle]
pub unsafe extern "C" fn ipc_decide_attempt(
    message: *const ipc_message,
    amount_minor: i64,
    currency: *const c_char,
    state: u32,
    paid_trnref: *const c_char,
    attempt: *const ipc_attempt_context,
    store_sid: *const c_char,
    decision_out: *mut *mut ipc_decision,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let message = unsafe { arg_ref(message, "message") }?;
        let currency = unsafe { opt_str(currency, "currency") }?;
        let paid_trnref = unsafe { opt_str(paid_trnref, "paid_trnref") }?;
        let store_sid = unsafe { arg_str(store_sid, "store_sid") }?;
        // SAFETY: NULL or readable, per the contract.
        let attempt = unsafe { attempt.as_ref() }.copied();
        let out = Out::new(decision_out, "decision_out")?;
        let context = match attempt {
            None => None,
            Some(a) if a.attempt == 0 => {
                return Err(FfiError::new(
                    ipc_result::InvalidArgument,
                    "attempt->attempt must be 1 or more",
                ))
            }
            Some(a) if a.kind > 1 => {
                return Err(FfiError::new(
                    ipc_result::InvalidArgument,
                    format!(
                        "attempt->kind {} is not an IPC_ATTEMPT_KIND_* value",
                        a.kind
                    ),
                ))
            }
            Some(a) => Some(AttemptContext {
                attempt: a.attempt,
                kind: if a.kind == ipc_attempt_kind::Preauth as u32 {
                    AttemptKind::PreAuth
                } else {
                    AttemptKind::Purchase
                },
                known: a.known,
                rolled_back: a.rolled_back,
                paid_attempt: (a.paid_attempt != 0).then_some(a.paid_attempt),
            }),
        };
        let order = snapshot(state, amount_minor, currency, paid_trnref)?;
        let inner = decide_attempt(&message.inner, order.as_ref(), context.as_ref(), store_sid);
        // SAFETY: out was checked non-NULL.
        unsafe { set_box(out, ipc_decision { inner }) };
        Ok(())
    })
}

/// The note's stable code, e.g. "notify_paid_twice" (a string to free with `ipc_string_free`).
///
/// # Safety
/// `decision` NULL or live; `code_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_decision_note_code(
    decision: *const ipc_decision,
    code_out: *mut *mut c_char,
) -> ipc_result {
    // SAFETY: forwarded contract.
    unsafe { decision_text(decision, code_out, "code_out", |d| d.note_code.as_str()) }
}

/// How many parameters the note has.
///
/// # Safety
/// `decision` NULL or live; `count_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_decision_note_param_count(
    decision: *const ipc_decision,
    count_out: *mut usize,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let decision = unsafe { arg_ref(decision, "decision") }?;
        let out = Out::new(count_out, "count_out")?;
        // SAFETY: out was checked non-NULL.
        unsafe { out.set(decision.inner.note_params.len()) };
        Ok(())
    })
}

/// The note parameter at `index` (0-based): its name and value, strings to free with
/// `ipc_string_free`. `IPC_RESULT_INVALID_ARGUMENT` past the end.
///
/// # Safety
/// `decision` NULL or live; `name_out` and `value_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_decision_note_param(
    decision: *const ipc_decision,
    index: usize,
    name_out: *mut *mut c_char,
    value_out: *mut *mut c_char,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let decision = unsafe { arg_ref(decision, "decision") }?;
        let name_out = Out::new(name_out, "name_out")?;
        let value_out = Out::new(value_out, "value_out")?;
        let params = &decision.inner.note_params;
        let (name, value) = params.get(index).ok_or_else(|| {
            FfiError::new(
                ipc_result::InvalidArgument,
                format!("index {index} is past the {} note parameters", params.len()),
            )
        })?;
        let name = super::boundary::c_string(name)?;
        let value = super::boundary::c_string(value)?;
        // SAFETY: the outs were checked non-NULL.
        unsafe {
            name_out.set(name.into_raw());
            value_out.set(value.into_raw());
        }
        Ok(())
    })
}

/// Checks a verified IPCRefund answer against the refund requested for `order_id`,
/// `amount_minor` and `currency`: `*verdict_out` is `IPC_REFUND_VERDICT_CONFIRMED` only when
/// the Status is 0, the answer carries an IPC_Trnref and echoes the requested amount and
/// currency (and OrderID, when it echoes one). When confirmed and `trnref_out` is not NULL,
/// `*trnref_out` receives the IPC_Trnref (free with `ipc_string_free`); otherwise it is left
/// untouched. Any verdict but CONFIRMED and REFUSED means the refund's fate is unknown: keep
/// it pending and ask myPOS (IPCGetTxnLog).
///
/// # Safety
/// `answer` NULL or live; strings NUL-terminated; `verdict_out` writable; `trnref_out` NULL
/// or writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_refund_check(
    answer: *const ipc_response,
    order_id: *const c_char,
    amount_minor: i64,
    currency: *const c_char,
    verdict_out: *mut ipc_refund_verdict,
    trnref_out: *mut *mut c_char,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let answer = unsafe { arg_ref(answer, "answer") }?;
        let order_id = unsafe { arg_str(order_id, "order_id") }?;
        let currency = unsafe { arg_str(currency, "currency") }?;
        let out = Out::new(verdict_out, "verdict_out")?;
        let amount = Money::new(amount_minor, Currency::parse(currency)?);
        match check_refund_answer(&answer.inner, order_id, amount) {
            Ok(confirmed) => {
                let trnref = super::boundary::c_string(&confirmed.trnref)?;
                if !trnref_out.is_null() {
                    // SAFETY: checked non-NULL; writable per the contract.
                    unsafe { *trnref_out = trnref.into_raw() };
                }
                // SAFETY: out was checked non-NULL.
                unsafe { out.set(ipc_refund_verdict::Confirmed) };
            }
            // SAFETY: out was checked non-NULL.
            Err(problem) => unsafe { out.set(verdict_code(&problem)) },
        }
        Ok(())
    })
}

/// Whether a pre-authorization answer confirms the capture or release requested
/// (`ipc_capture_check`, `ipc_release_check`).
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ipc_capture_verdict {
    /// Confirmed: Status 0; Amount, Currency and OrderID, where echoed, the request's.
    Confirmed = 0,
    /// myPOS refused (Status other than 0): nothing was captured or released.
    Refused = 1,
    /// The answer names another IPCmethod.
    WrongMethod = 2,
    /// The echoed Amount is not the requested one.
    AmountDiffers = 3,
    /// The echoed Currency is not the requested one.
    CurrencyDiffers = 4,
    /// The echoed OrderID is not the requested one.
    OrderIdDiffers = 5,
}

fn capture_verdict(p: &CaptureProblem) -> ipc_capture_verdict {
    match p {
        CaptureProblem::Refused { .. } => ipc_capture_verdict::Refused,
        CaptureProblem::WrongMethod { .. } => ipc_capture_verdict::WrongMethod,
        CaptureProblem::AmountDiffers { .. } => ipc_capture_verdict::AmountDiffers,
        CaptureProblem::CurrencyDiffers { .. } => ipc_capture_verdict::CurrencyDiffers,
        CaptureProblem::OrderIdDiffers { .. } => ipc_capture_verdict::OrderIdDiffers,
    }
}

type PreAuthCheck = fn(
    &crate::response::Response,
    &str,
    Money,
) -> Result<crate::capture::CaptureConfirmation, CaptureProblem>;

/// # Safety
/// As `ipc_capture_check`.
unsafe fn preauth_check(
    check: PreAuthCheck,
    answer: *const ipc_response,
    order_id: *const c_char,
    amount_minor: i64,
    currency: *const c_char,
    verdict_out: *mut ipc_capture_verdict,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let answer = unsafe { arg_ref(answer, "answer") }?;
        let order_id = unsafe { arg_str(order_id, "order_id") }?;
        let currency = unsafe { arg_str(currency, "currency") }?;
        let out = Out::new(verdict_out, "verdict_out")?;
        let amount = Money::new(amount_minor, Currency::parse(currency)?);
        let verdict = match check(&answer.inner, order_id, amount) {
            Ok(_) => ipc_capture_verdict::Confirmed,
            Err(problem) => capture_verdict(&problem),
        };
        // SAFETY: out was checked non-NULL.
        unsafe { out.set(verdict) };
        Ok(())
    })
}

/// Checks a verified IPCPreAuthCompletion answer against the capture requested for
/// `order_id`, `amount_minor` and `currency`: `*verdict_out` is `IPC_CAPTURE_VERDICT_CONFIRMED`
/// only when the Status is 0 and the Amount, Currency and OrderID it echoes (where it echoes
/// them) are the request's. Record the capture only then.
///
/// # Safety
/// `answer` NULL or live; strings NUL-terminated; `verdict_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_capture_check(
    answer: *const ipc_response,
    order_id: *const c_char,
    amount_minor: i64,
    currency: *const c_char,
    verdict_out: *mut ipc_capture_verdict,
) -> ipc_result {
    // SAFETY: forwarded contract.
    unsafe {
        preauth_check(
            check_capture_answer,
            answer,
            order_id,
            amount_minor,
            currency,
            verdict_out,
        )
    }
}

/// `ipc_capture_check` for an IPCPreAuthCancellation answer (a release).
///
/// # Safety
/// As `ipc_capture_check`.
#[no_mangle]
pub unsafe extern "C" fn ipc_release_check(
    answer: *const ipc_response,
    order_id: *const c_char,
    amount_minor: i64,
    currency: *const c_char,
    verdict_out: *mut ipc_capture_verdict,
) -> ipc_result {
    // SAFETY: forwarded contract.
    unsafe {
        preauth_check(
            check_release_answer,
            answer,
            order_id,
            amount_minor,
            currency,
            verdict_out,
        )
    }
}
