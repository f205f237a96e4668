//! Payment attempts (issue 15): one myPOS OrderID per redirect to myPOS (or server-to-server
//! charge), written `<prefix>-<order id>-<n>`, so that a late, stale or repeated message can be
//! tied to the attempt it belongs to. A bare order id (`1234`, payments made before attempts
//! existed) counts as attempt 1 without a prefix.
//!
//! The rules are strict, because the OrderID is signed and echoed by myPOS, and a message whose
//! OrderID does not parse must never be mistaken for another attempt:
//!
//! | part | rule |
//! |---|---|
//! | prefix | 1 to [`MAX_PREFIX_CHARS`] ASCII letters and digits, starting with a letter |
//! | order id | 1 to [`MAX_ORDER_CHARS`] ASCII letters and digits |
//! | attempt number | 1 to [`MAX_ATTEMPT`], decimal, no sign, no leading zero |
//! | whole OrderID | at most [`MAX_ORDER_ID_CHARS`] characters (myPOS's OrderID field) |

use std::fmt;

use crate::error::Error;

/// Longest OrderID myPOS accepts (current docs: 80; the 2015 PDF said 255).
pub const MAX_ORDER_ID_CHARS: usize = 80;
/// Longest prefix.
pub const MAX_PREFIX_CHARS: usize = 32;
/// Longest shop order id inside an attempt OrderID.
pub const MAX_ORDER_CHARS: usize = 32;
/// Highest attempt number.
pub const MAX_ATTEMPT: u32 = 99_999;

/// Why a text is not an attempt OrderID. Each kind has a stable code ([`Self::code`]) and
/// number ([`Self::number`]) that the C and PHP bindings expose.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttemptIdError {
    /// The text is empty.
    Empty,
    /// Longer than [`MAX_ORDER_ID_CHARS`] characters.
    TooLong {
        /// Its length in characters.
        chars: usize,
    },
    /// A character other than an ASCII letter, digit or `-`.
    InvalidCharacter {
        /// Its position (0-based, in characters).
        position: usize,
    },
    /// Neither a bare order id nor `<prefix>-<order id>-<n>` (two parts, four or more, or an
    /// empty part).
    WrongShape,
    /// The prefix is empty, longer than [`MAX_PREFIX_CHARS`] or does not start with a letter.
    InvalidPrefix,
    /// The order id is empty or longer than [`MAX_ORDER_CHARS`].
    InvalidOrder,
    /// The attempt number is not decimal digits, has a leading zero, or is 0.
    InvalidAttemptNumber,
    /// The attempt number is above [`MAX_ATTEMPT`].
    AttemptNumberTooLarge,
}

impl AttemptIdError {
    /// The stable code (snake case), e.g. `too_long`.
    pub fn code(&self) -> &'static str {
        match self {
            AttemptIdError::Empty => "empty",
            AttemptIdError::TooLong { .. } => "too_long",
            AttemptIdError::InvalidCharacter { .. } => "invalid_character",
            AttemptIdError::WrongShape => "wrong_shape",
            AttemptIdError::InvalidPrefix => "invalid_prefix",
            AttemptIdError::InvalidOrder => "invalid_order",
            AttemptIdError::InvalidAttemptNumber => "invalid_attempt_number",
            AttemptIdError::AttemptNumberTooLarge => "attempt_number_too_large",
        }
    }

    /// The stable number (never reused): 1 to 8, in the order of the variants.
    pub fn number(&self) -> u32 {
        match self {
            AttemptIdError::Empty => 1,
            AttemptIdError::TooLong { .. } => 2,
            AttemptIdError::InvalidCharacter { .. } => 3,
            AttemptIdError::WrongShape => 4,
            AttemptIdError::InvalidPrefix => 5,
            AttemptIdError::InvalidOrder => 6,
            AttemptIdError::InvalidAttemptNumber => 7,
            AttemptIdError::AttemptNumberTooLarge => 8,
        }
    }
}

impl fmt::Display for AttemptIdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AttemptIdError::Empty => f.write_str("is empty"),
            AttemptIdError::TooLong { chars } => write!(
                f,
                "is {chars} characters long; myPOS takes at most {MAX_ORDER_ID_CHARS}"
            ),
            AttemptIdError::InvalidCharacter { position } => write!(
                f,
                "has a character other than an ASCII letter, digit or '-' at position {position}"
            ),
            AttemptIdError::WrongShape => {
                f.write_str("is neither a bare order id nor <prefix>-<order id>-<attempt>")
            }
            AttemptIdError::InvalidPrefix => write!(
                f,
                "has a prefix that is empty, longer than {MAX_PREFIX_CHARS} characters or does not start with a letter"
            ),
            AttemptIdError::InvalidOrder => write!(
                f,
                "has an order id that is empty or longer than {MAX_ORDER_CHARS} characters"
            ),
            AttemptIdError::InvalidAttemptNumber => f.write_str(
                "has an attempt number that is not a decimal number from 1 without leading zeros",
            ),
            AttemptIdError::AttemptNumberTooLarge => {
                write!(f, "has an attempt number above {MAX_ATTEMPT}")
            }
        }
    }
}

impl std::error::Error for AttemptIdError {}

impl From<AttemptIdError> for Error {
    fn from(e: AttemptIdError) -> Self {
        Error::InvalidRequest {
            field: "OrderID".into(),
            reason: format!("{e} [{}]", e.code()),
        }
    }
}

/// One attempt's myPOS OrderID, parsed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct AttemptId {
    prefix: Option<String>,
    order: String,
    number: u32,
}

fn is_alnum(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_alphanumeric())
}

fn check_prefix(prefix: &str) -> Result<(), AttemptIdError> {
    let starts_with_letter = prefix
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic());
    if !starts_with_letter || prefix.len() > MAX_PREFIX_CHARS || !is_alnum(prefix) {
        return Err(AttemptIdError::InvalidPrefix);
    }
    Ok(())
}

fn check_order(order: &str) -> Result<(), AttemptIdError> {
    if order.is_empty() || order.len() > MAX_ORDER_CHARS || !is_alnum(order) {
        return Err(AttemptIdError::InvalidOrder);
    }
    Ok(())
}

fn check_number(number: u32) -> Result<(), AttemptIdError> {
    match number {
        0 => Err(AttemptIdError::InvalidAttemptNumber),
        n if n > MAX_ATTEMPT => Err(AttemptIdError::AttemptNumberTooLarge),
        _ => Ok(()),
    }
}

fn parse_number(text: &str) -> Result<u32, AttemptIdError> {
    if text.is_empty() || text.starts_with('0') || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(AttemptIdError::InvalidAttemptNumber);
    }
    if text.len() > 9 {
        return Err(AttemptIdError::AttemptNumberTooLarge);
    }
    let n: u32 = text
        .parse()
        .map_err(|_| AttemptIdError::InvalidAttemptNumber)?;
    check_number(n)?;
    Ok(n)
}

impl AttemptId {
    /// Attempt `number` of shop order `order` under `prefix`: `<prefix>-<order>-<number>`.
    pub fn new(
        prefix: impl Into<String>,
        order: impl Into<String>,
        number: u32,
    ) -> Result<Self, AttemptIdError> {
        let prefix = prefix.into();
        let order = order.into();
        check_prefix(&prefix)?;
        check_order(&order)?;
        check_number(number)?;
        let id = AttemptId {
            prefix: Some(prefix),
            order,
            number,
        };
        let chars = id.to_string().len();
        if chars > MAX_ORDER_ID_CHARS {
            return Err(AttemptIdError::TooLong { chars });
        }
        Ok(id)
    }

    /// A bare order id: attempt 1 of `order`, without a prefix (payments made before
    /// attempts existed).
    pub fn bare(order: impl Into<String>) -> Result<Self, AttemptIdError> {
        let order = order.into();
        check_order(&order)?;
        Ok(AttemptId {
            prefix: None,
            order,
            number: 1,
        })
    }

    /// Parses an OrderID: `<prefix>-<order id>-<n>`, or a bare order id (attempt 1).
    pub fn parse(text: &str) -> Result<Self, AttemptIdError> {
        if text.is_empty() {
            return Err(AttemptIdError::Empty);
        }
        let chars = text.chars().count();
        if chars > MAX_ORDER_ID_CHARS {
            return Err(AttemptIdError::TooLong { chars });
        }
        if let Some(position) = text
            .chars()
            .position(|c| !(c.is_ascii_alphanumeric() || c == '-'))
        {
            return Err(AttemptIdError::InvalidCharacter { position });
        }
        let parts: Vec<&str> = text.split('-').collect();
        match parts.as_slice() {
            [order] => AttemptId::bare(*order),
            [prefix, order, number] if !prefix.is_empty() && !order.is_empty() => {
                check_prefix(prefix)?;
                check_order(order)?;
                Ok(AttemptId {
                    prefix: Some((*prefix).to_string()),
                    order: (*order).to_string(),
                    number: parse_number(number)?,
                })
            }
            _ => Err(AttemptIdError::WrongShape),
        }
    }

    /// The prefix (None for a bare order id).
    pub fn prefix(&self) -> Option<&str> {
        self.prefix.as_deref()
    }

    /// The shop's order id.
    pub fn order(&self) -> &str {
        &self.order
    }

    /// The attempt number (1 for a bare order id).
    pub fn number(&self) -> u32 {
        self.number
    }

    /// True for a bare order id.
    pub fn is_bare(&self) -> bool {
        self.prefix.is_none()
    }

    /// The next attempt of the same order under `prefix` (a bare id's next attempt is 2).
    pub fn next(&self, prefix: &str) -> Result<Self, AttemptIdError> {
        AttemptId::new(prefix, self.order.clone(), self.number.saturating_add(1))
    }

    /// The OrderID text to send to myPOS.
    pub fn order_id(&self) -> String {
        self.to_string()
    }
}

impl fmt::Display for AttemptId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.prefix {
            Some(prefix) => write!(f, "{prefix}-{}-{}", self.order, self.number),
            None => f.write_str(&self.order),
        }
    }
}

impl std::str::FromStr for AttemptId {
    type Err = AttemptIdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        AttemptId::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_bare() {
        let a = AttemptId::new("shop1", "1234", 2).unwrap();
        assert_eq!(a.to_string(), "shop1-1234-2");
        assert_eq!(AttemptId::parse("shop1-1234-2").unwrap(), a);
        let b = AttemptId::parse("1234").unwrap();
        assert_eq!((b.prefix(), b.order(), b.number()), (None, "1234", 1));
        assert_eq!(b.next("shop1").unwrap().to_string(), "shop1-1234-2");
    }

    #[test]
    fn named_errors() {
        use AttemptIdError as E;
        let cases: &[(&str, AttemptIdError)] = &[
            ("", E::Empty),
            ("a-1-1 ", E::InvalidCharacter { position: 5 }),
            ("a_b-1-1", E::InvalidCharacter { position: 1 }),
            ("a-1", E::WrongShape),
            ("a-1-2-3", E::WrongShape),
            ("-1-1", E::WrongShape),
            ("a--1", E::WrongShape),
            ("1a-1-1", E::InvalidPrefix),
            ("a-1-0", E::InvalidAttemptNumber),
            ("a-1-01", E::InvalidAttemptNumber),
            ("a-1-", E::InvalidAttemptNumber),
            ("a-1-x", E::InvalidAttemptNumber),
            ("a-1-100000", E::AttemptNumberTooLarge),
            ("a-1-99999999999", E::AttemptNumberTooLarge),
        ];
        for (text, want) in cases {
            assert_eq!(AttemptId::parse(text).as_ref(), Err(want), "{text:?}");
        }
        let long = "1".repeat(81);
        assert_eq!(
            AttemptId::parse(&long),
            Err(E::TooLong { chars: 81 }),
            "the whole OrderID is limited first"
        );
        assert_eq!(AttemptId::parse(&"1".repeat(33)), Err(E::InvalidOrder));
        assert_eq!(
            AttemptId::new("a".repeat(33), "1", 1),
            Err(E::InvalidPrefix)
        );
        assert_eq!(AttemptId::new("a", "1", 0), Err(E::InvalidAttemptNumber));
        let longest = AttemptId::new("a".repeat(32), "1".repeat(32), MAX_ATTEMPT).unwrap();
        assert_eq!(longest.to_string().len(), 32 + 32 + 5 + 2);
        assert_eq!(AttemptId::parse(&longest.to_string()).unwrap(), longest);
        let e: Error = E::WrongShape.into();
        assert!(e.to_string().contains("OrderID") && e.to_string().contains("[wrong_shape]"));
    }
}
