//! Money as integer minor units with an ISO 4217 currency (docs/architecture.md, "Principles"). Wire text is
//! made in one place ([`Money::wire`]) and amounts echoed by myPOS are parsed and compared
//! numerically ([`parse_decimal`]), never as strings.

use std::fmt;

use crate::error::{Error, Result};

/// An ISO 4217 alphabetic currency code (three upper-case ASCII letters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Currency([u8; 3]);

impl Currency {
    /// Parses `EUR`, `BGN`, ... Lower case is refused: myPOS expects upper case.
    pub fn parse(code: &str) -> Result<Self> {
        let b = code.as_bytes();
        if b.len() != 3 || !b.iter().all(u8::is_ascii_uppercase) {
            return Err(Error::request(
                "Currency",
                format!(
                    "'{}' is not an ISO 4217 code (three upper-case letters)",
                    shorten(code)
                ),
            ));
        }
        Ok(Currency([b[0], b[1], b[2]]))
    }

    /// The code as text.
    pub fn code(&self) -> &str {
        // Constructed from ASCII letters only.
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }

    /// Decimal places myPOS uses for this currency: 0 for HUF, JPY and TWD, otherwise 2.
    pub fn decimals(&self) -> u32 {
        match &self.0 {
            b"HUF" | b"JPY" | b"TWD" => 0,
            _ => 2,
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// An amount in minor units of a currency (cents for EUR, forints for HUF).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    /// Minor units; negative for discounts.
    pub minor: i64,
    /// The currency.
    pub currency: Currency,
}

impl Money {
    /// Makes an amount.
    pub fn new(minor: i64, currency: Currency) -> Self {
        Money { minor, currency }
    }

    /// Wire text with the currency's myPOS decimals: `24.45`, `-3.00`, `1500` (HUF).
    pub fn wire(&self) -> String {
        format_minor(self.minor, self.currency.decimals())
    }

    /// Parses wire text such as `50`, `50.00` or `50.5` into this currency's minor units.
    pub fn parse(text: &str, currency: Currency) -> Result<Self> {
        let minor = parse_decimal(text, currency.decimals()).ok_or_else(|| {
            Error::message(
                "Amount",
                format!("'{}' is not a {currency} amount", shorten(text)),
            )
        })?;
        Ok(Money { minor, currency })
    }
}

impl Money {
    /// Decimal text from a shop (`12.30`, `12.3`, `12`, `1500` for HUF) as minor units of
    /// `currency`, strictly: no floats, no exponent, sign `+`, spaces or thousands separators;
    /// more fraction digits than the currency's myPOS decimals only when they are zeros
    /// (`12.300` is 1230 cents, `12.345` is refused, `1500.00` HUF is 1500). Errors are
    /// [`Error::InvalidRequest`] for the field `amount` and say which rule the text broke.
    pub fn parse_decimal(text: &str, currency: Currency) -> Result<Self> {
        let bad = |why: String| Error::request("amount", format!("'{}' {why}", shorten(text)));
        let decimals = currency.decimals();
        let digits = text.strip_prefix('-').unwrap_or(text);
        let (int_part, frac) = digits.split_once('.').unwrap_or((digits, ""));
        let plain = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
        if text.is_empty() {
            return Err(Error::request("amount", "is empty"));
        }
        if int_part.is_empty()
            || !plain(int_part)
            || !plain(frac)
            || (digits.contains('.') && frac.is_empty())
        {
            return Err(bad(
                "is not a plain decimal number (digits, an optional '-' and one '.')".into(),
            ));
        }
        if frac.len() > decimals as usize && !frac[decimals as usize..].bytes().all(|b| b == b'0') {
            return Err(bad(format!(
                "has more decimals than {currency} allows ({decimals})"
            )));
        }
        let minor = parse_decimal(text, decimals)
            .ok_or_else(|| bad(format!("is too large for a {currency} amount")))?;
        Ok(Money { minor, currency })
    }
}

/// Formats minor units with `decimals` places.
pub fn format_minor(minor: i64, decimals: u32) -> String {
    if decimals == 0 {
        return minor.to_string();
    }
    let scale = 10u64.pow(decimals);
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    format!(
        "{sign}{}.{:0width$}",
        abs / scale,
        abs % scale,
        width = decimals as usize
    )
}

/// Parses a plain decimal (`-?digits(.digits)?`, no exponent, hex or spaces) into minor units
/// with `decimals` places. Extra fraction digits are accepted only when they are zeros
/// (`12.340` is 1234 cents; `12.345` is refused). Returns `None` for anything else.
pub fn parse_decimal(text: &str, decimals: u32) -> Option<i64> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (int_part, frac_part) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    if int_part.is_empty() || !int_part.bytes().all(|b| b.is_ascii_digit()) || int_part.len() > 15 {
        return None;
    }
    let frac = frac_part.unwrap_or("");
    if frac_part.is_some() && frac.is_empty() {
        return None;
    }
    if !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (kept, extra) = frac.split_at(frac.len().min(decimals as usize));
    if !extra.bytes().all(|b| b == b'0') {
        return None;
    }
    let mut value: i64 = int_part.parse().ok()?;
    for _ in 0..decimals {
        value = value.checked_mul(10)?;
    }
    let mut frac_value: i64 = 0;
    for (i, b) in kept.bytes().enumerate() {
        frac_value += i64::from(b - b'0') * 10i64.pow(decimals - 1 - i as u32);
    }
    value = value.checked_add(frac_value)?;
    Some(if negative { -value } else { value })
}

pub(crate) fn shorten(s: &str) -> String {
    const MAX: usize = 40;
    if s.chars().count() <= MAX {
        s.to_string()
    } else {
        let head: String = s.chars().take(MAX).collect();
        format!("{head}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cur(c: &str) -> Currency {
        Currency::parse(c).unwrap()
    }

    #[test]
    fn formats_with_currency_decimals() {
        assert_eq!(Money::new(2445, cur("EUR")).wire(), "24.45");
        assert_eq!(Money::new(2100, cur("EUR")).wire(), "21.00");
        assert_eq!(Money::new(-300, cur("EUR")).wire(), "-3.00");
        assert_eq!(Money::new(5, cur("EUR")).wire(), "0.05");
        assert_eq!(Money::new(1500, cur("HUF")).wire(), "1500");
        assert_eq!(Money::new(1500, cur("JPY")).wire(), "1500");
    }

    #[test]
    fn parses_numerically() {
        assert_eq!(parse_decimal("50", 2), Some(5000));
        assert_eq!(parse_decimal("50.00", 2), Some(5000));
        assert_eq!(parse_decimal("50.5", 2), Some(5050));
        assert_eq!(parse_decimal("12.340", 2), Some(1234));
        assert_eq!(parse_decimal("1500", 0), Some(1500));
        assert_eq!(parse_decimal("1500.00", 0), Some(1500));
        for bad in [
            "1e3", "0x10", "12.345", "", ".5", "5.", " 5", "+5", "1,5", "--1", "1500.5",
        ] {
            assert_eq!(
                parse_decimal(bad, if bad == "1500.5" { 0 } else { 2 }),
                None,
                "{bad}"
            );
        }
    }

    #[test]
    fn parse_decimal_is_strict_and_says_why() {
        let eur = cur("EUR");
        let ok = |t: &str, c: Currency| Money::parse_decimal(t, c).map(|m| m.minor);
        assert_eq!(ok("12.30", eur), Ok(1230));
        assert_eq!(ok("12.3", eur), Ok(1230));
        assert_eq!(ok("12", eur), Ok(1200));
        assert_eq!(ok("0.05", eur), Ok(5));
        assert_eq!(ok("-3.00", eur), Ok(-300));
        assert_eq!(ok("12.300", eur), Ok(1230));
        assert_eq!(ok("1500", cur("HUF")), Ok(1500));
        assert_eq!(ok("1500.00", cur("JPY")), Ok(1500));
        let why = |t: &str, c: Currency| Money::parse_decimal(t, c).unwrap_err().to_string();
        assert!(why("12.345", eur).contains("more decimals than EUR allows (2)"));
        assert!(why("1500.5", cur("HUF")).contains("more decimals than HUF allows (0)"));
        assert!(why("", eur).contains("'amount': is empty"));
        for bad in [
            "1e3", "0x10", ".5", "5.", " 5", "+5", "1,5", "--1", "12.3.4", "NaN",
        ] {
            assert!(why(bad, eur).contains("not a plain decimal"), "{bad}");
        }
        assert!(why("9999999999999999", eur).contains("too large"));
        let e = Money::parse_decimal("1.234", eur).unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::InvalidRequest);
    }

    #[test]
    fn currency_rules() {
        assert!(Currency::parse("eur").is_err());
        assert!(Currency::parse("EU").is_err());
        assert!(Currency::parse("EUR-ORD").is_err());
        assert_eq!(cur("HUF").decimals(), 0);
    }
}
