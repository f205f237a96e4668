//! The one panic boundary and the one set of argument checks shared by every `ipc_*`
//! function, plus the thread-local last-error message.

use std::cell::RefCell;
use std::ffi::{c_char, CStr, CString};
use std::panic::{catch_unwind, AssertUnwindSafe};

use super::result::ipc_result;
use crate::error::Error;
// The one input cap of every entry point (a body, an answer, a PEM or a pack).
use crate::limits::MAX_BODY_BYTES;

/// A failure inside an `ipc_*` function: a code and its detail.
#[derive(Debug)]
pub(crate) struct FfiError {
    pub(crate) code: ipc_result,
    pub(crate) detail: String,
}

impl FfiError {
    pub(crate) fn new(code: ipc_result, detail: impl Into<String>) -> Self {
        FfiError {
            code,
            detail: detail.into(),
        }
    }
}

impl From<Error> for FfiError {
    fn from(e: Error) -> Self {
        FfiError::new(ipc_result::from_error(&e), e.to_string())
    }
}

pub(crate) type FfiResult<T> = Result<T, FfiError>;

thread_local! {
    static LAST_ERROR: RefCell<Option<CString>> = const { RefCell::new(None) };
}

fn set_last_error(detail: Option<String>) {
    let value = detail.map(|d| {
        CString::new(d.replace('\0', "\\0"))
            .unwrap_or_else(|_| CString::from(c"error detail unavailable"))
    });
    LAST_ERROR.with(|cell| *cell.borrow_mut() = value);
}

/// Pointer to the thread's last error detail, or NULL.
pub(crate) fn last_error_ptr() -> *const c_char {
    LAST_ERROR.with(|cell| {
        cell.borrow()
            .as_ref()
            .map_or(std::ptr::null(), |s| s.as_ptr())
    })
}

/// Runs `f` behind the panic boundary: clears the last error, maps failures to a code and
/// records their detail.
pub(crate) fn guard(f: impl FnOnce() -> FfiResult<()>) -> ipc_result {
    set_last_error(None);
    let (code, detail) = match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(())) => (ipc_result::Ok, None),
        Ok(Err(e)) => (e.code, Some(e.detail)),
        Err(_) => (
            ipc_result::InternalPanic,
            Some("internal panic caught at the C boundary (a bug in libipc)".to_string()),
        ),
    };
    set_last_error(detail);
    code
}

/// A required C string argument as UTF-8 text.
///
/// # Safety
/// `p` must be NULL or point to a NUL-terminated string valid for `'a`.
pub(crate) unsafe fn arg_str<'a>(p: *const c_char, name: &str) -> FfiResult<&'a str> {
    if p.is_null() {
        return Err(FfiError::new(
            ipc_result::NullArgument,
            format!("{name} is NULL"),
        ));
    }
    // SAFETY: non-NULL and NUL-terminated per the caller's contract.
    let bytes = unsafe { CStr::from_ptr(p) }.to_bytes();
    if bytes.len() > MAX_BODY_BYTES {
        return Err(FfiError::new(
            ipc_result::BufferTooLarge,
            format!(
                "{name} has {} bytes; at most {MAX_BODY_BYTES} are accepted",
                bytes.len()
            ),
        ));
    }
    std::str::from_utf8(bytes).map_err(|_| {
        FfiError::new(
            ipc_result::InvalidUtf8,
            format!("{name} is not valid UTF-8"),
        )
    })
}

/// An optional C string argument (NULL gives `None`).
///
/// # Safety
/// As [`arg_str`].
pub(crate) unsafe fn opt_str<'a>(p: *const c_char, name: &str) -> FfiResult<Option<&'a str>> {
    if p.is_null() {
        Ok(None)
    } else {
        // SAFETY: forwarded contract.
        unsafe { arg_str(p, name) }.map(Some)
    }
}

/// A required byte buffer: non-NULL, non-empty, at most [`MAX_BODY_BYTES`].
///
/// # Safety
/// `p` must be NULL or valid for reads of `len` bytes for `'a`.
pub(crate) unsafe fn arg_bytes<'a>(p: *const u8, len: usize, name: &str) -> FfiResult<&'a [u8]> {
    if p.is_null() {
        return Err(FfiError::new(
            ipc_result::NullArgument,
            format!("{name} is NULL"),
        ));
    }
    if len > MAX_BODY_BYTES {
        return Err(FfiError::new(
            ipc_result::BufferTooLarge,
            format!("{name} has {len} bytes; at most {MAX_BODY_BYTES} are accepted"),
        ));
    }
    if len == 0 {
        return Err(FfiError::new(
            ipc_result::MalformedBody,
            format!("{name} is empty"),
        ));
    }
    // SAFETY: non-NULL, length bounded, valid per the caller's contract.
    Ok(unsafe { std::slice::from_raw_parts(p, len) })
}

/// A required object argument.
///
/// # Safety
/// `p` must be NULL or point to a live `T` for `'a`.
pub(crate) unsafe fn arg_ref<'a, T>(p: *const T, name: &str) -> FfiResult<&'a T> {
    // SAFETY: caller's contract.
    unsafe { p.as_ref() }
        .ok_or_else(|| FfiError::new(ipc_result::NullArgument, format!("{name} is NULL")))
}

/// A required mutable object argument.
///
/// # Safety
/// `p` must be NULL or point to a live `T` not aliased for `'a`.
pub(crate) unsafe fn arg_mut<'a, T>(p: *mut T, name: &str) -> FfiResult<&'a mut T> {
    // SAFETY: caller's contract.
    unsafe { p.as_mut() }
        .ok_or_else(|| FfiError::new(ipc_result::NullArgument, format!("{name} is NULL")))
}

/// An out-parameter, checked before any work; written with [`Out::set`] only on success.
pub(crate) struct Out<T>(*mut T);

impl<T> Out<T> {
    /// Checks the pointer.
    pub(crate) fn new(p: *mut T, name: &str) -> FfiResult<Self> {
        if p.is_null() {
            return Err(FfiError::new(
                ipc_result::NullArgument,
                format!("{name} is NULL"),
            ));
        }
        Ok(Out(p))
    }

    /// Writes the value.
    ///
    /// # Safety
    /// The pointer given to [`Out::new`] must be valid for a write of `T`.
    pub(crate) unsafe fn set(self, value: T) {
        // SAFETY: non-NULL (checked) and writable per the caller's contract.
        unsafe { self.0.write(value) }
    }
}

/// Text as a heap C string to be freed with `ipc_string_free`.
pub(crate) fn c_string(text: &str) -> FfiResult<CString> {
    CString::new(text).map_err(|_| {
        FfiError::new(
            ipc_result::NulInString,
            "the value holds a NUL byte and cannot be returned as a C string",
        )
    })
}

/// Writes an owned string to an out-parameter (the last step of a successful call).
///
/// # Safety
/// As [`Out::set`].
pub(crate) unsafe fn set_string(out: Out<*mut c_char>, text: &str) -> FfiResult<()> {
    let s = c_string(text)?;
    // SAFETY: forwarded contract.
    unsafe { out.set(s.into_raw()) };
    Ok(())
}

/// Writes an optional owned string; `None` is `IPC_RESULT_NOT_FOUND`.
///
/// # Safety
/// As [`Out::set`].
pub(crate) unsafe fn set_found(
    out: Out<*mut c_char>,
    text: Option<&str>,
    what: &str,
) -> FfiResult<()> {
    let text =
        text.ok_or_else(|| FfiError::new(ipc_result::NotFound, format!("{what} is absent")))?;
    // SAFETY: forwarded contract.
    unsafe { set_string(out, text) }
}

/// Moves an object to the heap and writes its pointer.
///
/// # Safety
/// As [`Out::set`].
pub(crate) unsafe fn set_box<T>(out: Out<*mut T>, value: T) {
    // SAFETY: forwarded contract.
    unsafe { out.set(Box::into_raw(Box::new(value))) }
}

/// Frees an object made by [`set_box`]; NULL-safe.
///
/// # Safety
/// `p` must be NULL or a pointer from [`set_box`] not yet freed.
pub(crate) unsafe fn free_box<T>(p: *mut T) {
    if !p.is_null() {
        // SAFETY: made by Box::into_raw and not yet freed, per the caller's contract.
        drop(unsafe { Box::from_raw(p) });
    }
}
