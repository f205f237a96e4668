//! The input limits, one set for every entry point (Rust, C, PHP, the `ipc` command and its
//! sandbox). They bound the work done on untrusted bytes before any signature check: parsing
//! is linear in the body, and the body, the number of fields and the length of each name are
//! capped. Nothing myPOS sends comes near them (a notify is under 4 KiB with under 40 fields;
//! a purchase form with a 500-line cart has about 3,000 fields).
//!
//! The C header and the PHP extension export these values (`IPC_MAX_BODY_BYTES`,
//! `MyPOS\IPC\MAX_BODY_BYTES`, ...); `fuzz/run.sh` reads [`MAX_BODY_BYTES`] from this file.

/// Largest body, API answer or other input buffer accepted, in bytes (1 MiB).
pub const MAX_BODY_BYTES: usize = 1 << 20;

/// Most fields in one urlencoded body (Signature included).
pub const MAX_FIELDS: usize = 4096;

/// Longest field name, in bytes after percent-decoding.
pub const MAX_FIELD_NAME_BYTES: usize = 64;

/// Deepest nesting of a JSON or XML API answer.
pub const MAX_DEPTH: usize = 16;
