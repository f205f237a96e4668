//! Makes the Rust-backed classes uncloneable. PHP's standard clone handler copies only the
//! zend_object part, not the Rust value in front of it, so a clone would point at memory that
//! is not there; without a clone handler PHP throws
//! `Error: Trying to clone an uncloneable object`.

use std::sync::Once;

use ext_php_rs::class::RegisteredClass;
use ext_php_rs::zend::ZendObjectHandlers;

use crate::config::Config;
use crate::notification::{Decision, Notification};
use crate::request::Request;
use crate::response::Response;

fn clear<T: RegisteredClass>() {
    let handlers: *const ZendObjectHandlers = T::get_metadata().handlers();
    // SAFETY: the handlers live in a process-wide static that PHP reads through raw pointers;
    // this runs once, at the first request, before any object of the class exists.
    unsafe { (*handlers.cast_mut()).clone_obj = None };
}

/// Clears the clone handler of every Rust-backed class (once per process).
pub fn apply() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        clear::<Config>();
        clear::<Request>();
        clear::<Notification>();
        clear::<Decision>();
        clear::<Response>();
    });
}
