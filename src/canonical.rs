//! The one canonical signing string (docs/protocol.md, "Signing"): `base64(join("-", values))`.
//! Signing and verification both call [`signing_input`]; nothing else builds it.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;

/// Joins the values with `-` and base64-encodes the UTF-8 bytes (standard alphabet, padded).
/// The returned ASCII text is what gets hashed and signed.
pub fn signing_input<'a, I>(values: I) -> String
where
    I: IntoIterator<Item = &'a str>,
{
    STANDARD.encode(joined(values))
}

/// The joined values before base64 (for diagnostics such as `ipc explain`).
pub fn joined<'a, I>(values: I) -> String
where
    I: IntoIterator<Item = &'a str>,
{
    let mut out = String::new();
    for (i, v) in values.into_iter().enumerate() {
        if i > 0 {
            out.push('-');
        }
        out.push_str(v);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_values_still_count() {
        assert_eq!(joined(["a", "", "b"]), "a--b");
        assert_eq!(signing_input(["a", "", "b"]), "YS0tYg==");
    }

    #[test]
    fn utf8_bytes_are_encoded() {
        assert_eq!(signing_input(["Zoë"]), "Wm/Dqw==");
    }
}
