//! Signing: `Signature = base64(RSA-SHA256(signing_input(values)))` (docs/protocol.md, "Signing").

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

use crate::canonical::signing_input;
use crate::error::{Error, Result};
use crate::fields::{parse_urlencoded, urlencode, Fields, SIGNATURE};
use crate::keys::PrivateKey;
use crate::limits::{MAX_BODY_BYTES, MAX_FIELDS};

/// The base64 Signature over `values` in order.
pub fn sign_values<'a, I>(values: I, key: &PrivateKey) -> Result<String>
where
    I: IntoIterator<Item = &'a str>,
{
    let input = signing_input(values);
    Ok(STANDARD.encode(key.sign(input.as_bytes())?))
}

/// The base64 Signature over the values of `fields`, which must not hold a Signature.
pub fn sign_fields(fields: &Fields, key: &PrivateKey) -> Result<String> {
    if fields.is_empty() {
        return Err(Error::MalformedBody("nothing to sign: no fields".into()));
    }
    if fields.has_signature() {
        return Err(Error::MalformedBody(
            "fields already hold a Signature".into(),
        ));
    }
    sign_values(fields.values(), key)
}

/// Signs a urlencoded body (without Signature) and returns it with `&Signature=...` appended.
/// The body's own bytes are kept as they are. The signed body must stay within the limits of
/// [`crate::limits`], so that it parses back.
pub fn sign_form(body: &[u8], key: &PrivateKey) -> Result<String> {
    let fields = parse_urlencoded(body)?;
    if fields.len() >= MAX_FIELDS {
        return Err(Error::MalformedBody(format!(
            "body has {} fields; signed it would have more than {MAX_FIELDS} (the limit)",
            fields.len()
        )));
    }
    let signature = sign_fields(&fields, key)?;
    // parse_urlencoded proved the body is UTF-8.
    let text = std::str::from_utf8(body).map_err(|_| Error::InvalidUtf8("body".into()))?;
    let signed = format!("{text}&{SIGNATURE}={}", urlencode(&signature));
    if signed.len() > MAX_BODY_BYTES {
        return Err(Error::MalformedBody(format!(
            "signed body would have {} bytes; at most {MAX_BODY_BYTES} are accepted",
            signed.len()
        )));
    }
    Ok(signed)
}
