//! Library information, error text, string ownership, the two form functions, and amounts.

use std::ffi::{c_char, CString};

use super::boundary::{arg_bytes, arg_str, guard, last_error_ptr, set_string, FfiError, Out};
use super::result::{ipc_result, UNKNOWN_TEXT};
use crate::amount::{Currency, Money};
use crate::keys::{PrivateKey, PublicKey};

const VERSION_C: &str = concat!(env!("CARGO_PKG_VERSION"), "\0");

/// The library version, e.g. "0.1.0" (equals the crate version and the
/// `IPC_VERSION_MAJOR/MINOR/PATCH` macros). Static; never freed.
#[no_mangle]
pub extern "C" fn ipc_version() -> *const c_char {
    VERSION_C.as_ptr().cast()
}

/// Static English text for a result code, including codes this version does not know.
/// Never freed.
#[no_mangle]
pub extern "C" fn ipc_result_str(result: u32) -> *const c_char {
    let text = ipc_result::ALL
        .iter()
        .find(|r| **r as u32 == result)
        .map_or(UNKNOWN_TEXT, |r| r.text());
    text.as_ptr().cast()
}

/// The detail of the last failed `ipc_*` call on this thread (no key material), or NULL when
/// the last call succeeded. Valid until the next `ipc_*` call on the thread; never freed.
#[no_mangle]
pub extern "C" fn ipc_last_error_message() -> *const c_char {
    last_error_ptr()
}

/// Frees a string returned by the library. NULL-safe. Never pass other pointers.
///
/// # Safety
/// `s` must be NULL or a string returned by an `ipc_*` function, not yet freed.
#[no_mangle]
pub unsafe extern "C" fn ipc_string_free(s: *mut c_char) {
    if !s.is_null() {
        // SAFETY: made by CString::into_raw in this library, per the contract.
        drop(unsafe { CString::from_raw(s) });
    }
}

/// Signs a urlencoded body that has no Signature and returns it with `&Signature=...`
/// appended (the body's own bytes are kept). An empty body, or one already holding a
/// Signature, is `IPC_RESULT_MALFORMED_BODY`. `private_key_pem` is a PKCS#1 or PKCS#8 PEM.
/// On success `*signed_body_out` receives a string to free with `ipc_string_free`.
///
/// # Safety
/// `body` must be valid for `body_len` bytes; strings must be NUL-terminated.
#[no_mangle]
pub unsafe extern "C" fn ipc_sign_form(
    body: *const u8,
    body_len: usize,
    private_key_pem: *const c_char,
    signed_body_out: *mut *mut c_char,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let body = unsafe { arg_bytes(body, body_len, "body") }?;
        let pem = unsafe { arg_str(private_key_pem, "private_key_pem") }?;
        let out = Out::new(signed_body_out, "signed_body_out")?;
        let key = PrivateKey::from_pem(pem)?;
        let signed = crate::signer::sign_form(body, &key)?;
        // SAFETY: out was checked non-NULL.
        unsafe { set_string(out, &signed) }
    })
}

/// Verifies a urlencoded body holding a Signature with a myPOS certificate or public key PEM.
/// `IPC_RESULT_OK`: valid. `IPC_RESULT_SIGNATURE_INVALID`: parsed but the RSA check failed.
/// Any other code: malformed input (docs/architecture.md, "Verification outcomes").
///
/// # Safety
/// `body` must be valid for `body_len` bytes; the PEM must be NUL-terminated.
#[must_use]
#[no_mangle]
pub unsafe extern "C" fn ipc_verify_form(
    body: *const u8,
    body_len: usize,
    public_key_or_certificate_pem: *const c_char,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let body = unsafe { arg_bytes(body, body_len, "body") }?;
        let pem = unsafe {
            arg_str(
                public_key_or_certificate_pem,
                "public_key_or_certificate_pem",
            )
        }?;
        let key = PublicKey::from_pem(pem)?;
        crate::verifier::verify_form(body, &key)
            .map(|_| ())
            .map_err(FfiError::from)
    })
}

/// Decimal text from a shop (`"12.30"`, `"12.3"`, `"1500"` for HUF) as minor units of the
/// ISO 4217 `currency`, strictly: no floats, exponent, `+`, spaces or separators, and no more
/// decimals than the currency has unless they are zeros (`"12.345"` EUR is refused,
/// `"1500.00"` HUF is 1500). Refused text is `IPC_RESULT_INVALID_REQUEST` with a detail that
/// names the rule; `*minor_out` is written only on success.
///
/// # Safety
/// Strings must be NUL-terminated; `minor_out` writable.
#[no_mangle]
pub unsafe extern "C" fn ipc_amount_parse(
    text: *const c_char,
    currency: *const c_char,
    minor_out: *mut i64,
) -> ipc_result {
    guard(|| {
        // SAFETY: the caller's contract for every pointer.
        let text = unsafe { arg_str(text, "text") }?;
        let currency = unsafe { arg_str(currency, "currency") }?;
        let out = Out::new(minor_out, "minor_out")?;
        let money = Money::parse_decimal(text, Currency::parse(currency)?)?;
        // SAFETY: out was checked non-NULL.
        unsafe { out.set(money.minor) };
        Ok(())
    })
}
