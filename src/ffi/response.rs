//! `ipc_response`: a verified server-to-server API answer (JSON or XML).

use std::ffi::c_char;

use super::boundary::{
    arg_bytes, arg_ref, arg_str, free_box, guard, set_box, set_found, set_string, FfiError, Out,
};
use super::config::ipc_config;
use super::message::ipc_message;
use super::request::output_format;
use super::result::ipc_result;
use crate::response::Response;

/// A parsed API answer whose top-level Signature verified with the myPOS certificate. A
/// signed answer with a non-zero Status is still valid: check `ipc_response_status`.
#[allow(non_camel_case_types)]
#[derive(Debug)]
pub struct ipc_response {
    pub(crate) inner: Response,
    /// Which of the config's myPOS certificates verified it (0 for the first).
    pub(crate) certificate: usize,
}

/// Parses and verifies an API answer. `format` is an `IPC_OUTPUT_FORMAT_*` value
/// (`IPC_OUTPUT_FORMAT_AUTO` detects it). An answer without Signature is
/// `IPC_RESULT_UNSIGNED_RESPONSE` and is never trusted. On success `*response_out` receives
/// an object to free with `ipc_response_free`.
///
/// # Safety
/// `body` valid for `body_len` bytes; `config` NULL or live; `response_out` writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn ipc_response_parse(
    body: *const u8,
    body_len: usize,
    format: u32,
    config: *const ipc_config,
    response_out: *mut *mut ipc_response,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let body = unsafe { arg_bytes(body, body_len, "body") }?;
        let config = unsafe { arg_ref(config, "config") }?;
        let out = Out::new(response_out, "response_out")?;
        let format = output_format(format, true)?;
        let (inner, certificate) =
            Response::parse_and_verify_keyring(body, format, config.inner.mypos_keyring())?;
        // SAFETY: out was checked non-NULL.
        unsafe { set_box(out, ipc_response { inner, certificate }) };
        Ok(())
    })
}

/// Which of the config's myPOS certificates verified the answer (as
/// `ipc_message_certificate_index`).
///
/// # Safety
/// `response` NULL or live; `index_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_response_certificate_index(
    response: *const ipc_response,
    index_out: *mut usize,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let response = unsafe { arg_ref(response, "response") }?;
        let out = Out::new(index_out, "index_out")?;
        // SAFETY: out was checked non-NULL.
        unsafe { out.set(response.certificate) };
        Ok(())
    })
}

/// The numeric Status (0 is success).
///
/// # Safety
/// `response` NULL or live; `status_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_response_status(
    response: *const ipc_response,
    status_out: *mut u32,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let response = unsafe { arg_ref(response, "response") }?;
        let out = Out::new(status_out, "status_out")?;
        // SAFETY: out was checked non-NULL.
        unsafe { out.set(response.inner.status().0) };
        Ok(())
    })
}

/// The symbolic Status name, e.g. "SUCCESS" or "E_SIGNATURE_FAILED" (string to free with
/// `ipc_string_free`).
///
/// # Safety
/// `response` NULL or live; `name_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_response_status_name(
    response: *const ipc_response,
    name_out: *mut *mut c_char,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let response = unsafe { arg_ref(response, "response") }?;
        let out = Out::new(name_out, "name_out")?;
        // SAFETY: out was checked non-NULL.
        unsafe { set_string(out, response.inner.status().name()) }
    })
}

/// A top-level value by name (case-insensitive); `IPC_RESULT_NOT_FOUND` when absent or not
/// a plain value.
///
/// # Safety
/// `response` NULL or live; `name` NUL-terminated; `value_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_response_get(
    response: *const ipc_response,
    name: *const c_char,
    value_out: *mut *mut c_char,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let response = unsafe { arg_ref(response, "response") }?;
        let name = unsafe { arg_str(name, "name") }?;
        let out = Out::new(value_out, "value_out")?;
        // SAFETY: out was checked non-NULL.
        unsafe { set_found(out, response.inner.get(name), &format!("field '{name}'")) }
    })
}

/// IPCGetTxnStatus: the nested OrderStatus verified with the config's myPOS certificate as
/// the message it is (it carries its own Signature) and checked like a notify. On success
/// `*message_out` receives an object to free with `ipc_message_free`;
/// `IPC_RESULT_NOT_FOUND` when the answer holds no OrderStatus; a nested message that does
/// not verify is `IPC_RESULT_SIGNATURE_INVALID` or a malformed code.
///
/// # Safety
/// `response` and `config` NULL or live; `message_out` writable.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn ipc_response_order_status_message(
    response: *const ipc_response,
    config: *const ipc_config,
    message_out: *mut *mut ipc_message,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let response = unsafe { arg_ref(response, "response") }?;
        let config = unsafe { arg_ref(config, "config") }?;
        let out = Out::new(message_out, "message_out")?;
        let (inner, certificate) = match response.inner.order_status() {
            Some(fields) => {
                let (fields, certificate) = config.inner.mypos_keyring().verify_fields(fields)?;
                (
                    Some(crate::message::Message::from_verified_fields(fields)?),
                    certificate,
                )
            }
            None => (None, 0),
        };
        let inner = inner
            .ok_or_else(|| FfiError::new(ipc_result::NotFound, "the answer has no OrderStatus"))?;
        // SAFETY: out was checked non-NULL.
        unsafe { set_box(out, ipc_message { inner, certificate }) };
        Ok(())
    })
}

/// IPCGetTxnStatus: a field of the nested OrderStatus message (e.g. "IPC_Trnref");
/// `IPC_RESULT_NOT_FOUND` when the answer has no OrderStatus or it lacks the field.
///
/// # Safety
/// `response` NULL or live; `name` NUL-terminated; `value_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_response_order_status_get(
    response: *const ipc_response,
    name: *const c_char,
    value_out: *mut *mut c_char,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let response = unsafe { arg_ref(response, "response") }?;
        let name = unsafe { arg_str(name, "name") }?;
        let out = Out::new(value_out, "value_out")?;
        let status = response
            .inner
            .order_status()
            .ok_or_else(|| FfiError::new(ipc_result::NotFound, "the answer has no OrderStatus"))?;
        // SAFETY: out was checked non-NULL.
        unsafe {
            set_found(
                out,
                status.get(name),
                &format!("OrderStatus field '{name}'"),
            )
        }
    })
}

/// IPCGetPaymentStatus: PaymentStatus (1 paid, 2 pending, 3 failed, 4 reversed);
/// `IPC_RESULT_NOT_FOUND` when absent.
///
/// # Safety
/// `response` NULL or live; `payment_status_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_response_payment_status(
    response: *const ipc_response,
    payment_status_out: *mut u8,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let response = unsafe { arg_ref(response, "response") }?;
        let out = Out::new(payment_status_out, "payment_status_out")?;
        let status = response.inner.payment_status().ok_or_else(|| {
            FfiError::new(
                ipc_result::NotFound,
                "the answer has no numeric PaymentStatus",
            )
        })?;
        // SAFETY: out was checked non-NULL.
        unsafe { out.set(status) };
        Ok(())
    })
}

/// Frees a response. NULL-safe.
///
/// # Safety
/// `response` must be NULL or from `ipc_response_parse`, not yet freed.
#[no_mangle]
pub unsafe extern "C" fn ipc_response_free(response: *mut ipc_response) {
    // SAFETY: the caller's contract.
    unsafe { free_box(response) }
}
