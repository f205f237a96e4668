//! The one result enum of the C ABI and its mapping from core errors.

use crate::error::Error;

/// The result of every fallible `ipc_*` function. Numbers are explicit and never reused.
/// `IPC_RESULT_OK` (0) is success; `IPC_RESULT_SIGNATURE_INVALID` (1) is the verification
/// outcome "signature invalid"; every other code is a specific "malformed" or usage error
/// (docs/architecture.md, "Verification outcomes"). `ipc_last_error_message()` gives the detail of the last failure.
#[allow(non_camel_case_types)]
#[repr(u32)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ipc_result {
    /// Success.
    Ok = 0,
    /// The input parsed but RSA verification failed (tampered, reordered, wrong key).
    SignatureInvalid = 1,
    /// A required pointer argument was NULL.
    NullArgument = 2,
    /// A string or body that must be UTF-8 is not.
    InvalidUtf8 = 3,
    /// A urlencoded body does not parse, is empty, or cannot be signed as given.
    MalformedBody = 4,
    /// The message carries no Signature.
    MissingSignature = 5,
    /// The Signature is empty or not standard base64.
    MalformedSignature = 6,
    /// A field name occurs twice (case-insensitive).
    DuplicateField = 7,
    /// A key, certificate or PEM does not parse or is unsuitable.
    BadKey = 8,
    /// A JSON or XML API answer does not parse or has an unexpected shape.
    MalformedResponse = 9,
    /// An API answer without Signature: never trusted.
    UnsignedResponse = 10,
    /// A configuration field breaks its rule.
    InvalidConfig = 11,
    /// A configuration pack does not decode.
    InvalidConfigPack = 12,
    /// A request parameter breaks its rule (caught before signing).
    InvalidRequest = 13,
    /// A verified message has a field with an impossible format.
    InvalidMessage = 14,
    /// The crypto backend failed for a reason that is not the input's fault.
    CryptoError = 15,
    /// A buffer is larger than the 1 MiB the library accepts.
    BufferTooLarge = 16,
    /// The requested field or value is absent (the out-parameter is left untouched).
    NotFound = 17,
    /// An argument is out of range (unknown enum value, index past the end).
    InvalidArgument = 18,
    /// A string to return holds a NUL byte and cannot be given as a C string.
    NulInString = 19,
    /// A Rust panic was caught at the C boundary (a bug in the library).
    InternalPanic = 20,
    /// An error the library does not classify (a bug in the library).
    InternalError = 21,
}

impl ipc_result {
    /// All codes, in numeric order (used by tests).
    pub const ALL: [ipc_result; 22] = [
        ipc_result::Ok,
        ipc_result::SignatureInvalid,
        ipc_result::NullArgument,
        ipc_result::InvalidUtf8,
        ipc_result::MalformedBody,
        ipc_result::MissingSignature,
        ipc_result::MalformedSignature,
        ipc_result::DuplicateField,
        ipc_result::BadKey,
        ipc_result::MalformedResponse,
        ipc_result::UnsignedResponse,
        ipc_result::InvalidConfig,
        ipc_result::InvalidConfigPack,
        ipc_result::InvalidRequest,
        ipc_result::InvalidMessage,
        ipc_result::CryptoError,
        ipc_result::BufferTooLarge,
        ipc_result::NotFound,
        ipc_result::InvalidArgument,
        ipc_result::NulInString,
        ipc_result::InternalPanic,
        ipc_result::InternalError,
    ];

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

    /// The code for a core error.
    pub(crate) fn from_error(error: &Error) -> Self {
        match error {
            Error::SignatureInvalid => ipc_result::SignatureInvalid,
            Error::MalformedBody(_) => ipc_result::MalformedBody,
            Error::InvalidUtf8(_) => ipc_result::InvalidUtf8,
            Error::DuplicateField(_) => ipc_result::DuplicateField,
            Error::MissingSignature => ipc_result::MissingSignature,
            Error::MalformedSignature(_) => ipc_result::MalformedSignature,
            Error::MalformedResponse(_) => ipc_result::MalformedResponse,
            Error::UnsignedResponse { .. } => ipc_result::UnsignedResponse,
            Error::Key(_) => ipc_result::BadKey,
            Error::Config { .. } => ipc_result::InvalidConfig,
            Error::ConfigPack(_) => ipc_result::InvalidConfigPack,
            Error::InvalidRequest { .. } => ipc_result::InvalidRequest,
            Error::InvalidMessage { .. } => ipc_result::InvalidMessage,
            Error::Crypto(_) => ipc_result::CryptoError,
            #[allow(unreachable_patterns)]
            _ => ipc_result::InternalError,
        }
    }
}

/// Text for unknown codes.
pub(crate) const UNKNOWN_TEXT: &str = "unknown result code\0";
