//! Verification with the three outcomes of docs/architecture.md.

use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig};
use base64::engine::DecodePaddingMode;
use base64::Engine;

use crate::canonical::signing_input;
use crate::error::{Error, Result};
use crate::fields::{parse_urlencoded, Fields};
use crate::keys::PublicKey;

const SIGNATURE_BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new()
        .with_decode_padding_mode(DecodePaddingMode::Indifferent)
        .with_decode_allow_trailing_bits(true),
);

/// Decodes a Signature value. ASCII whitespace other than the space is ignored and missing
/// `=` padding is tolerated; anything outside the standard alphabet (URL-safe characters,
/// junk, a space that was an unencoded `+`) is malformed. A value in the right alphabet that
/// still does not decode (truncated) is a signature that cannot verify.
pub fn decode_signature(value: &str) -> Result<Vec<u8>> {
    let compact: String = value
        .chars()
        .filter(|c| !matches!(c, '\r' | '\n' | '\t' | '\x0c'))
        .collect();
    if compact.is_empty() {
        return Err(Error::MalformedSignature("empty".into()));
    }
    let body = compact.trim_end_matches('=');
    if compact.len() - body.len() > 2 {
        return Err(Error::MalformedSignature("too much '=' padding".into()));
    }
    if let Some(bad) = body
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '+' || *c == '/'))
    {
        let why = match bad {
            ' ' => "contains a space (an unencoded '+' in the body?)".to_string(),
            '-' | '_' => {
                "uses the URL-safe base64 alphabet; myPOS uses the standard one".to_string()
            }
            '=' => "has '=' before the end".to_string(),
            c if c.is_ascii_graphic() => format!("contains '{c}', outside the base64 alphabet"),
            _ => "contains a character outside the base64 alphabet".to_string(),
        };
        return Err(Error::MalformedSignature(why));
    }
    SIGNATURE_BASE64
        .decode(body)
        .map_err(|_| Error::SignatureInvalid)
}

/// Verifies ordered values against a base64 Signature value.
pub fn verify_values<'a, I>(values: I, signature: &str, key: &PublicKey) -> Result<()>
where
    I: IntoIterator<Item = &'a str>,
{
    let raw = decode_signature(signature)?;
    key.verify(signing_input(values).as_bytes(), &raw)
}

/// Verifies fields holding one Signature (any case, any position). Returns the other fields.
pub fn verify_fields(fields: Fields, key: &PublicKey) -> Result<Fields> {
    let (rest, signature) = fields.split_signature()?;
    if rest.is_empty() {
        return Err(Error::MalformedBody("no fields besides Signature".into()));
    }
    verify_values(rest.values(), &signature, key)?;
    Ok(rest)
}

/// Parses and verifies a raw urlencoded body. Returns the fields without Signature, in order.
pub fn verify_form(body: &[u8], key: &PublicKey) -> Result<Fields> {
    // parse_urlencoded enforces the limits of crate::limits (bytes, fields, names).
    verify_fields(parse_urlencoded(body)?, key)
}
