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
