//! The C ABI `libipc` (docs/architecture.md, "C ABI").
//!
//! Conventions: every fallible function returns an `ipc_result` (`IPC_RESULT_OK` is 0) and
//! runs behind one panic boundary with one set of NULL / UTF-8 / size checks; inputs come
//! before outputs; a byte buffer is followed by its length (at most 1 MiB); out-parameters
//! are written only on success; objects are made by `ipc_*_new` / `ipc_*_parse` /
//! `ipc_*_sign` and freed by the NULL-safe `ipc_*_free`; strings the library returns are
//! freed only with `ipc_string_free`. `ipc_last_error_message()` gives the thread-local
//! detail of the last failure (never key material).

pub mod attempt;
pub mod basic;
pub mod boundary;
pub mod config;
pub mod message;
pub mod request;
pub mod response;
pub mod result;

pub use result::ipc_result;

#[cfg(test)]
mod tests;
