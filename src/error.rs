//! One error type for the whole core. Messages name the input and the rule that failed;
//! they never contain key material. A failed RSA check is the single detail-free
//! [`Error::SignatureInvalid`].

use std::fmt;

/// The three verification outcomes (docs/architecture.md), shared by every layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The message parsed and its signature verified.
    Valid,
    /// The message parsed, but the RSA check failed.
    SignatureInvalid,
    /// The input could not be read as a signed message (or a key did not parse).
    Malformed,
}

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

/// The stable kind of an error: the C `ipc_result` itself, so the numbers are one list. Its
/// [`ipc_result::code`] is also the `getCode()` of PHP exceptions. Numbers are never reused;
/// `Ok` (0) is success and never the kind of an error.
pub type ErrorKind = ipc_result;

impl ipc_result {
    /// All codes, in numeric order (`Ok` first).
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

    /// The stable number (the C result code, the PHP exception code).
    pub fn code(self) -> u32 {
        self as u32
    }

    /// The code with this number, if any.
    pub fn from_code(code: u32) -> Option<Self> {
        Self::ALL.get(code as usize).copied()
    }

    /// The name in upper snake case (`SIGNATURE_INVALID`), as the C constants (after
    /// `IPC_RESULT_`) and the PHP class constants on `MyPOS\IPC\Exception` spell it.
    pub fn name(self) -> &'static str {
        match self {
            ipc_result::Ok => "OK",
            ipc_result::SignatureInvalid => "SIGNATURE_INVALID",
            ipc_result::NullArgument => "NULL_ARGUMENT",
            ipc_result::InvalidUtf8 => "INVALID_UTF8",
            ipc_result::MalformedBody => "MALFORMED_BODY",
            ipc_result::MissingSignature => "MISSING_SIGNATURE",
            ipc_result::MalformedSignature => "MALFORMED_SIGNATURE",
            ipc_result::DuplicateField => "DUPLICATE_FIELD",
            ipc_result::BadKey => "BAD_KEY",
            ipc_result::MalformedResponse => "MALFORMED_RESPONSE",
            ipc_result::UnsignedResponse => "UNSIGNED_RESPONSE",
            ipc_result::InvalidConfig => "INVALID_CONFIG",
            ipc_result::InvalidConfigPack => "INVALID_CONFIG_PACK",
            ipc_result::InvalidRequest => "INVALID_REQUEST",
            ipc_result::InvalidMessage => "INVALID_MESSAGE",
            ipc_result::CryptoError => "CRYPTO_ERROR",
            ipc_result::BufferTooLarge => "BUFFER_TOO_LARGE",
            ipc_result::NotFound => "NOT_FOUND",
            ipc_result::InvalidArgument => "INVALID_ARGUMENT",
            ipc_result::NulInString => "NUL_IN_STRING",
            ipc_result::InternalPanic => "INTERNAL_PANIC",
            ipc_result::InternalError => "INTERNAL_ERROR",
        }
    }
}

/// Everything that can go wrong in the core.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Error {
    /// RSA verification failed: tampered, reordered, wrong key, foreign signature.
    SignatureInvalid,
    /// A urlencoded body does not parse (percent-encoding, empty segment, name without `=`).
    MalformedBody(String),
    /// Bytes that must be UTF-8 are not.
    InvalidUtf8(String),
    /// A field name occurs twice (names compare case-insensitively).
    DuplicateField(String),
    /// The message carries no Signature.
    MissingSignature,
    /// The Signature is empty or not standard base64.
    MalformedSignature(String),
    /// A JSON or XML answer does not parse or has an unexpected shape.
    MalformedResponse(String),
    /// An API answer without Signature: never trusted.
    UnsignedResponse {
        /// The unauthenticated Status it claimed, if any (for diagnostics only).
        claimed_status: Option<String>,
    },
    /// A key or certificate does not parse or is unsuitable.
    Key(String),
    /// A configuration field breaks its rule.
    Config {
        /// The field, e.g. `sid`.
        field: &'static str,
        /// The rule it broke.
        reason: String,
    },
    /// A configuration pack does not decode.
    ConfigPack(String),
    /// A request parameter breaks its rule (caught before signing).
    InvalidRequest {
        /// The parameter name.
        field: String,
        /// The rule it broke.
        reason: String,
    },
    /// A verified message has a field with an impossible format (docs/protocol.md, "Field boundaries are not protected").
    InvalidMessage {
        /// The field name.
        field: String,
        /// The rule it broke.
        reason: String,
    },
    /// The crypto backend failed for a reason that is not the input's fault.
    Crypto(String),
}

impl Error {
    /// Which of the three verification outcomes this error stands for.
    pub fn outcome(&self) -> Outcome {
        match self {
            Error::SignatureInvalid => Outcome::SignatureInvalid,
            _ => Outcome::Malformed,
        }
    }

    /// The stable kind of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::SignatureInvalid => ErrorKind::SignatureInvalid,
            Error::MalformedBody(_) => ErrorKind::MalformedBody,
            Error::InvalidUtf8(_) => ErrorKind::InvalidUtf8,
            Error::DuplicateField(_) => ErrorKind::DuplicateField,
            Error::MissingSignature => ErrorKind::MissingSignature,
            Error::MalformedSignature(_) => ErrorKind::MalformedSignature,
            Error::MalformedResponse(_) => ErrorKind::MalformedResponse,
            Error::UnsignedResponse { .. } => ErrorKind::UnsignedResponse,
            Error::Key(_) => ErrorKind::BadKey,
            Error::Config { .. } => ErrorKind::InvalidConfig,
            Error::ConfigPack(_) => ErrorKind::InvalidConfigPack,
            Error::InvalidRequest { .. } => ErrorKind::InvalidRequest,
            Error::InvalidMessage { .. } => ErrorKind::InvalidMessage,
            Error::Crypto(_) => ErrorKind::CryptoError,
        }
    }

    pub(crate) fn request(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::InvalidRequest {
            field: field.into(),
            reason: reason.into(),
        }
    }

    pub(crate) fn message(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Error::InvalidMessage {
            field: field.into(),
            reason: reason.into(),
        }
    }

    pub(crate) fn config(field: &'static str, reason: impl Into<String>) -> Self {
        Error::Config {
            field,
            reason: reason.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::SignatureInvalid => f.write_str("signature invalid"),
            Error::MalformedBody(why) => write!(f, "malformed body: {why}"),
            Error::InvalidUtf8(what) => write!(f, "invalid UTF-8 in {what}"),
            Error::DuplicateField(name) => write!(f, "duplicate field '{name}'"),
            Error::MissingSignature => f.write_str("missing Signature field"),
            Error::MalformedSignature(why) => write!(f, "malformed Signature: {why}"),
            Error::MalformedResponse(why) => write!(f, "malformed API answer: {why}"),
            Error::UnsignedResponse { claimed_status } => match claimed_status {
                Some(s) => write!(
                    f,
                    "unsigned API answer (claims Status {s}); not trusted, query the status later"
                ),
                None => f.write_str("unsigned API answer; not trusted"),
            },
            Error::Key(why) => write!(f, "bad key: {why}"),
            Error::Config { field, reason } => {
                write!(f, "invalid config field '{field}': {reason}")
            }
            Error::ConfigPack(why) => write!(f, "invalid configuration pack: {why}"),
            Error::InvalidRequest { field, reason } => {
                write!(f, "invalid request parameter '{field}': {reason}")
            }
            Error::InvalidMessage { field, reason } => {
                write!(f, "invalid field '{field}' in message: {reason}")
            }
            Error::Crypto(why) => write!(f, "crypto backend error: {why}"),
        }
    }
}

impl std::error::Error for Error {}

/// Result alias used across the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
