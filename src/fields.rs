//! Ordered form fields. The signature covers wire order, so fields are a list of
//! `(name, value)` pairs end to end, never a map.

use std::collections::HashSet;

use crate::error::{Error, Result};
use crate::limits::{MAX_BODY_BYTES, MAX_FIELDS, MAX_FIELD_NAME_BYTES};

/// The name of the signature field.
pub const SIGNATURE: &str = "Signature";

/// An ordered list of form fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fields(Vec<(String, String)>);

impl Fields {
    /// An empty list.
    pub fn new() -> Self {
        Fields(Vec::new())
    }

    /// Appends a field.
    pub fn push(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.0.push((name.into(), value.into()));
    }

    /// The first value whose name equals `name`, ignoring ASCII case.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The pairs in order.
    pub fn pairs(&self) -> &[(String, String)] {
        &self.0
    }

    /// Iterates over `(name, value)` in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// The values in order.
    pub fn values(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(_, v)| v.as_str())
    }

    /// Number of fields.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// True when there are no fields.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Consumes the list into its pairs.
    pub fn into_pairs(self) -> Vec<(String, String)> {
        self.0
    }

    /// `application/x-www-form-urlencoded` text, encoded the way PHP's `http_build_query`
    /// does (space as `+`, everything but `A-Za-z0-9-_.` percent-encoded).
    pub fn to_urlencoded(&self) -> String {
        let mut out = String::new();
        for (i, (n, v)) in self.0.iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            urlencode_into(n, &mut out);
            out.push('=');
            urlencode_into(v, &mut out);
        }
        out
    }

    /// Splits off the one Signature field (any letter case, any position).
    /// Returns the remaining fields in order and the raw Signature value.
    pub fn split_signature(mut self) -> Result<(Fields, String)> {
        let pos = self
            .0
            .iter()
            .position(|(n, _)| n.eq_ignore_ascii_case(SIGNATURE))
            .ok_or(Error::MissingSignature)?;
        let (_, sig) = self.0.remove(pos);
        Ok((self, sig))
    }

    /// True when a field named Signature (any case) is present.
    pub fn has_signature(&self) -> bool {
        self.get(SIGNATURE).is_some()
    }
}

impl<N: Into<String>, V: Into<String>> FromIterator<(N, V)> for Fields {
    fn from_iter<T: IntoIterator<Item = (N, V)>>(iter: T) -> Self {
        Fields(
            iter.into_iter()
                .map(|(n, v)| (n.into(), v.into()))
                .collect(),
        )
    }
}

/// Percent-encodes like PHP `urlencode` (the encoding of `http_build_query`).
pub fn urlencode_into(s: &str, out: &mut String) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in s.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => out.push(b as char),
            b' ' => out.push('+'),
            _ => {
                out.push('%');
                out.push(HEX[(b >> 4) as usize] as char);
                out.push(HEX[(b & 15) as usize] as char);
            }
        }
    }
}

/// Percent-encodes one value (see [`urlencode_into`]).
pub fn urlencode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    urlencode_into(s, &mut out);
    out
}

/// Field names seen so far, compared ignoring ASCII case. A hash set, so that checking a
/// whole form for duplicates is linear in its size (a scan per name was quadratic).
#[derive(Debug, Default)]
pub struct NameSet(HashSet<Box<str>>);

impl NameSet {
    /// An empty set with room for `n` names.
    pub fn with_capacity(n: usize) -> Self {
        NameSet(HashSet::with_capacity(n))
    }

    /// Adds `name`; false when it was already there in any letter case.
    pub fn insert(&mut self, name: &str) -> bool {
        self.0.insert(name.to_ascii_lowercase().into_boxed_str())
    }
}

/// Why the body of `fields` (Signature included) would break the limits that
/// [`parse_urlencoded`] applies, if it would. Signers check it, so what they sign parses back.
pub fn limit_breach(fields: &Fields) -> Option<String> {
    if fields.len() > MAX_FIELDS {
        return Some(format!(
            "{} fields; at most {MAX_FIELDS} are accepted (the limit)",
            fields.len()
        ));
    }
    if let Some((n, _)) = fields.iter().find(|(n, _)| n.len() > MAX_FIELD_NAME_BYTES) {
        return Some(format!(
            "field name '{}' is longer than {MAX_FIELD_NAME_BYTES} bytes (the limit)",
            crate::amount::shorten(n)
        ));
    }
    let len = fields.to_urlencoded().len();
    (len > MAX_BODY_BYTES)
        .then(|| format!("the body would have {len} bytes; at most {MAX_BODY_BYTES} are accepted"))
}

/// Parses a raw `application/x-www-form-urlencoded` body strictly: order and exact bytes are
/// kept; bad percent-encoding, invalid UTF-8, empty segments, names without `=` and duplicate
/// names (case-insensitive) are errors, and so is a body over the limits of [`crate::limits`]
/// (bytes, fields, name length). Linear in the body's length.
pub fn parse_urlencoded(body: &[u8]) -> Result<Fields> {
    if body.is_empty() {
        return Err(Error::MalformedBody("empty body".into()));
    }
    if body.len() > MAX_BODY_BYTES {
        return Err(Error::MalformedBody(format!(
            "body has {} bytes; at most {MAX_BODY_BYTES} are accepted",
            body.len()
        )));
    }
    // Counted before anything is decoded, so a body of many tiny fields allocates nothing.
    let count = body.iter().filter(|&&b| b == b'&').count() + 1;
    if count > MAX_FIELDS {
        return Err(Error::MalformedBody(format!(
            "body has more than {MAX_FIELDS} fields (the limit)"
        )));
    }
    let mut fields = Vec::with_capacity(count);
    let mut seen = NameSet::with_capacity(count);
    for (index, segment) in body.split(|&b| b == b'&').enumerate() {
        let position = index + 1;
        if segment.is_empty() {
            return Err(Error::MalformedBody(format!(
                "empty segment at position {position} (stray '&')"
            )));
        }
        let eq = segment.iter().position(|&b| b == b'=').ok_or_else(|| {
            Error::MalformedBody(format!("segment {position} has a name without '='"))
        })?;
        let name = decode_component(&segment[..eq], || {
            format!("field name at position {position}")
        })?;
        if name.is_empty() {
            return Err(Error::MalformedBody(format!(
                "segment {position} has an empty field name"
            )));
        }
        if name.len() > MAX_FIELD_NAME_BYTES {
            return Err(Error::MalformedBody(format!(
                "field name at position {position} is longer than {MAX_FIELD_NAME_BYTES} bytes (the limit)"
            )));
        }
        let value = decode_component(&segment[eq + 1..], || format!("value of field '{name}'"))?;
        if !seen.insert(&name) {
            return Err(Error::DuplicateField(name));
        }
        fields.push((name, value));
    }
    Ok(Fields(fields))
}

fn decode_component(raw: &[u8], what: impl Fn() -> String) -> Result<String> {
    let mut bytes = Vec::with_capacity(raw.len());
    let mut i = 0;
    while i < raw.len() {
        match raw[i] {
            b'+' => bytes.push(b' '),
            b'%' => {
                let hi = raw.get(i + 1).and_then(|&c| hex_value(c));
                let lo = raw.get(i + 2).and_then(|&c| hex_value(c));
                match (hi, lo) {
                    (Some(h), Some(l)) => bytes.push(h << 4 | l),
                    _ => {
                        return Err(Error::MalformedBody(format!(
                            "invalid percent-encoding in {}",
                            what()
                        )))
                    }
                }
                i += 2;
            }
            b => bytes.push(b),
        }
        i += 1;
    }
    String::from_utf8(bytes).map_err(|_| Error::InvalidUtf8(what()))
}

fn hex_value(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_keeps_order_and_bytes() {
        let f: Fields = [("b", "x y&z"), ("a", "Зоё+%")].into_iter().collect();
        let body = f.to_urlencoded();
        assert_eq!(body, "b=x+y%26z&a=%D0%97%D0%BE%D1%91%2B%25");
        assert_eq!(parse_urlencoded(body.as_bytes()).unwrap(), f);
    }

    #[test]
    fn strictness() {
        assert!(matches!(
            parse_urlencoded(b"a=1&&b=2"),
            Err(Error::MalformedBody(_))
        ));
        assert!(matches!(
            parse_urlencoded(b"a=1&b"),
            Err(Error::MalformedBody(_))
        ));
        assert!(matches!(
            parse_urlencoded(b"a=%zz"),
            Err(Error::MalformedBody(_))
        ));
        assert!(matches!(
            parse_urlencoded(b"a=%4"),
            Err(Error::MalformedBody(_))
        ));
        assert!(matches!(
            parse_urlencoded(b"a=%ff"),
            Err(Error::InvalidUtf8(_))
        ));
        assert!(matches!(
            parse_urlencoded(b"a=1&A=2"),
            Err(Error::DuplicateField(_))
        ));
        assert!(matches!(
            parse_urlencoded(b"=1"),
            Err(Error::MalformedBody(_))
        ));
        assert!(matches!(
            parse_urlencoded(b""),
            Err(Error::MalformedBody(_))
        ));
    }
}
