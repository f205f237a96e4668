//! Unit tests of the boundary itself (the C suites cover the functions end to end).

use std::ffi::CStr;

use super::basic::{ipc_last_error_message, ipc_result_str, ipc_sign_form};
use super::boundary::{guard, FfiError};
use super::result::ipc_result;

fn last_error() -> Option<String> {
    let p = ipc_last_error_message();
    // SAFETY: NULL or a live NUL-terminated string owned by this thread.
    (!p.is_null()).then(|| unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned())
}

#[test]
fn a_panic_becomes_internal_panic_and_a_message() {
    let code = guard(|| panic!("boom"));
    assert_eq!(code, ipc_result::InternalPanic);
    assert!(last_error().is_some_and(|m| m.contains("panic")));
    assert_eq!(guard(|| Ok(())), ipc_result::Ok);
    assert_eq!(last_error(), None);
}

#[test]
fn errors_set_the_detail_and_success_clears_it() {
    let code = guard(|| Err(FfiError::new(ipc_result::NotFound, "x is absent")));
    assert_eq!(code, ipc_result::NotFound);
    assert_eq!(last_error().as_deref(), Some("x is absent"));
    assert_eq!(guard(|| Ok(())), ipc_result::Ok);
    assert_eq!(last_error(), None);
}

#[test]
fn codes_are_dense_and_each_has_its_own_text() {
    let mut texts = std::collections::HashSet::new();
    for (i, code) in ipc_result::ALL.iter().enumerate() {
        assert_eq!(*code as u32, i as u32);
        // SAFETY: static NUL-terminated text.
        let text = unsafe { CStr::from_ptr(ipc_result_str(*code as u32)) };
        assert!(texts.insert(text.to_owned()));
    }
    // SAFETY: static NUL-terminated text.
    let unknown = unsafe { CStr::from_ptr(ipc_result_str(9999)) };
    assert_eq!(unknown.to_str().ok(), Some("unknown result code"));
}

#[test]
fn every_error_kind_is_the_result_code_of_the_same_number() {
    for (i, code) in crate::ErrorKind::ALL.iter().enumerate() {
        assert_eq!(code.code(), i as u32);
        assert_eq!(crate::ErrorKind::from_code(i as u32), Some(*code));
        assert!(!code.name().is_empty());
    }
    assert_eq!(crate::ErrorKind::from_code(22), None);
    let e = crate::Error::Config {
        field: "sid",
        reason: "x".into(),
    };
    assert_eq!(ipc_result::from_error(&e), ipc_result::InvalidConfig);
    assert_eq!(e.kind().code(), 11);
}

#[test]
fn a_null_out_parameter_is_refused_before_any_work() {
    let body = b"A=1";
    let key = c"not a key";
    // SAFETY: valid pointers; NULL out-parameter on purpose.
    let code = unsafe {
        ipc_sign_form(
            body.as_ptr(),
            body.len(),
            key.as_ptr(),
            std::ptr::null_mut(),
        )
    };
    assert_eq!(code, ipc_result::NullArgument);
    assert!(last_error().is_some_and(|m| m.contains("signed_body_out")));
}
