//! The one result enum of the C ABI (the core's [`crate::ErrorKind`], defined in
//! `src/error.rs`) with its static texts.

pub use crate::error::ipc_result;
use crate::error::Error;

impl ipc_result {
    /// Static NUL-terminated text for the code.
    pub(crate) fn text(self) -> &'static str {
        match self {
            ipc_result::Ok => "ok\0",
            ipc_result::SignatureInvalid => "signature invalid\0",
            ipc_result::NullArgument => "NULL argument\0",
            ipc_result::InvalidUtf8 => "invalid UTF-8\0",
            ipc_result::MalformedBody => "malformed body\0",
            ipc_result::MissingSignature => "missing Signature\0",
            ipc_result::MalformedSignature => "malformed Signature\0",
            ipc_result::DuplicateField => "duplicate field\0",
            ipc_result::BadKey => "bad key or certificate\0",
            ipc_result::MalformedResponse => "malformed API answer\0",
            ipc_result::UnsignedResponse => "unsigned API answer\0",
            ipc_result::InvalidConfig => "invalid configuration\0",
            ipc_result::InvalidConfigPack => "invalid configuration pack\0",
            ipc_result::InvalidRequest => "invalid request parameter\0",
            ipc_result::InvalidMessage => "invalid message field\0",
            ipc_result::CryptoError => "crypto backend error\0",
            ipc_result::BufferTooLarge => "buffer too large\0",
            ipc_result::NotFound => "not found\0",
            ipc_result::InvalidArgument => "invalid argument\0",
            ipc_result::NulInString => "NUL byte in a returned string\0",
            ipc_result::InternalPanic => "internal panic\0",
            ipc_result::InternalError => "internal error\0",
        }
    }

    /// The code for a core error (its kind: the same type).
    pub(crate) fn from_error(error: &Error) -> Self {
        error.kind()
    }
}

/// Text for unknown codes.
pub(crate) const UNKNOWN_TEXT: &str = "unknown result code\0";
