//! Incoming form messages from myPOS (notify, OK, cancel, rollback, signature probe):
//! parsed from the raw body, verified, then checked field by field, because the signature
//! does not protect field boundaries (docs/protocol.md, "Field boundaries are not protected").

use crate::amount::{parse_decimal, shorten, Currency, Money};
use crate::error::{Error, Result};
use crate::fields::Fields;
use crate::keyring::Keyring;
use crate::keys::PublicKey;
use crate::verifier::verify_form;

/// What a message is, by its IPCmethod.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MessageKind {
    /// Payment made (server to server, to URL_Notify). Needs the answer `OK`.
    PurchaseNotify,
    /// Buyer returns after paying (browser, to URL_OK). Never authoritative.
    PurchaseOk,
    /// Buyer cancelled (browser, to URL_Cancel).
    PurchaseCancel,
    /// Payment reversed because the notify was not answered `OK` (to URL_Notify).
    PurchaseRollback,
    /// myPOS probing URL_Notify after a connection test.
    SignatureVerify,
    /// Any other method; its fields are kept raw.
    Other(String),
}

impl MessageKind {
    fn from_method(method: &str) -> Self {
        match method {
            "IPCPurchaseNotify" => MessageKind::PurchaseNotify,
            "IPCPurchaseOK" => MessageKind::PurchaseOk,
            "IPCPurchaseCancel" => MessageKind::PurchaseCancel,
            "IPCPurchaseRollback" => MessageKind::PurchaseRollback,
            "IPCSignatureVerify" => MessageKind::SignatureVerify,
            other => MessageKind::Other(other.to_string()),
        }
    }
}

/// A verified message whose fields passed the format checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    kind: MessageKind,
    method: String,
    fields: Fields,
}

impl Message {
    /// Parses the raw body (never PHP's `$_POST`), verifies it with the myPOS key, and checks
    /// the field formats.
    pub fn parse_and_verify(body: &[u8], mypos_key: &PublicKey) -> Result<Self> {
        // verify_form refuses bodies over the limits of crate::limits.
        let fields = verify_form(body, mypos_key)?;
        Self::from_verified_fields(fields)
    }

    /// Parses and verifies with every certificate of `keyring` (key rotation). Returns the
    /// message and the index of the certificate that matched.
    pub fn parse_and_verify_keyring(body: &[u8], keyring: &Keyring) -> Result<(Self, usize)> {
        let (fields, matched) = keyring.verify_form(body)?;
        Ok((Self::from_verified_fields(fields)?, matched))
    }

    /// Checks the formats of fields that were already verified (Signature removed).
    pub fn from_verified_fields(fields: Fields) -> Result<Self> {
        let method = fields
            .get("IPCmethod")
            .ok_or_else(|| Error::message("IPCmethod", "missing"))?
            .to_string();
        if method.is_empty() || !method.bytes().all(|b| b.is_ascii_alphanumeric()) {
            return Err(Error::message("IPCmethod", "must be letters and digits"));
        }
        let kind = MessageKind::from_method(&method);
        validate(&kind, &fields)?;
        Ok(Message {
            kind,
            method,
            fields,
        })
    }

    /// The kind of message.
    pub fn kind(&self) -> &MessageKind {
        &self.kind
    }
    /// The IPCmethod text.
    pub fn method(&self) -> &str {
        &self.method
    }
    /// All fields in received order, without Signature.
    pub fn fields(&self) -> &Fields {
        &self.fields
    }
    /// A field by name (case-insensitive).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.fields.get(name)
    }
    /// SID.
    pub fn sid(&self) -> Option<&str> {
        self.get("SID")
    }
    /// OrderID.
    pub fn order_id(&self) -> Option<&str> {
        self.get("OrderID")
    }
    /// IPC_Trnref.
    pub fn trnref(&self) -> Option<&str> {
        self.get("IPC_Trnref")
    }
    /// Currency.
    pub fn currency(&self) -> Option<&str> {
        self.get("Currency")
    }
    /// Amount as sent (`50`, `50.00`).
    pub fn amount_text(&self) -> Option<&str> {
        self.get("Amount")
    }
    /// Amount and currency as money (formats were checked when the message was built).
    pub fn money(&self) -> Option<Money> {
        let currency = Currency::parse(self.currency()?).ok()?;
        Money::parse(self.amount_text()?, currency).ok()
    }
    /// CardToken, when a token was requested.
    pub fn card_token(&self) -> Option<&str> {
        self.get("CardToken")
    }
    /// Masked PAN (last digits).
    pub fn pan(&self) -> Option<&str> {
        self.get("PAN")
    }
}

fn required<'a>(fields: &'a Fields, name: &str) -> Result<&'a str> {
    fields
        .get(name)
        .ok_or_else(|| Error::message(name, "missing"))
}

fn check_chars(name: &str, value: &str, ok: impl Fn(char) -> bool, rule: &str) -> Result<()> {
    if value.is_empty() || !value.chars().all(ok) {
        return Err(Error::message(name, format!("'{}' {rule}", shorten(value))));
    }
    Ok(())
}

fn validate(kind: &MessageKind, fields: &Fields) -> Result<()> {
    let payment = matches!(
        kind,
        MessageKind::PurchaseNotify
            | MessageKind::PurchaseOk
            | MessageKind::PurchaseCancel
            | MessageKind::PurchaseRollback
    );
    if payment {
        required(fields, "SID")?;
        required(fields, "OrderID")?;
        required(fields, "Currency")?;
    }
    if matches!(kind, MessageKind::PurchaseNotify | MessageKind::PurchaseOk) {
        required(fields, "IPC_Trnref")?;
    }
    if let Some(sid) = fields.get("SID") {
        check_chars(
            "SID",
            sid,
            |c| c.is_ascii_alphanumeric(),
            "is not 15 letters or digits",
        )?;
        if sid.len() != 15 {
            return Err(Error::message("SID", "must be 15 characters"));
        }
    }
    if let Some(order) = fields.get("OrderID") {
        if order.is_empty() || order.chars().count() > 255 || order.chars().any(char::is_control) {
            return Err(Error::message(
                "OrderID",
                "must be 1 to 255 printable characters",
            ));
        }
    }
    let currency = match fields.get("Currency") {
        Some(c) => Some(Currency::parse(c).map_err(|_| {
            Error::message(
                "Currency",
                format!("'{}' is not an ISO 4217 code", shorten(c)),
            )
        })?),
        None => None,
    };
    if let Some(amount) = fields.get("Amount") {
        let currency = currency
            .ok_or_else(|| Error::message("Currency", "missing while Amount is present"))?;
        let parsed = if amount.starts_with('-') {
            None
        } else {
            parse_decimal(amount, currency.decimals())
        };
        if parsed.is_none() {
            return Err(Error::message(
                "Amount",
                format!(
                    "'{}' is not a non-negative {currency} amount",
                    shorten(amount)
                ),
            ));
        }
    }
    if let Some(t) = fields.get("IPC_Trnref") {
        check_chars(
            "IPC_Trnref",
            t,
            |c| c.is_ascii_alphanumeric(),
            "is not letters and digits",
        )?;
    }
    for digits in ["RequestSTAN", "PaymentMethod", "CardType", "ExpDate"] {
        if let Some(v) = fields.get(digits) {
            check_chars(digits, v, |c| c.is_ascii_digit(), "is not digits")?;
        }
    }
    if let Some(pan) = fields.get("PAN") {
        check_chars(
            "PAN",
            pan,
            |c| c.is_ascii_digit() || c == '*' || c == ' ',
            "is not a masked card number",
        )?;
    }
    if let Some(dt) = fields.get("RequestDateTime") {
        if !is_datetime(dt) {
            return Err(Error::message(
                "RequestDateTime",
                format!("'{}' is not YYYY-MM-DD HH:MM:SS", shorten(dt)),
            ));
        }
    }
    Ok(())
}

fn is_datetime(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 19
        && b.iter().enumerate().all(|(i, &c)| match i {
            4 | 7 => c == b'-',
            10 => c == b' ',
            13 | 16 => c == b':',
            _ => c.is_ascii_digit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn msg(pairs: &[(&str, &str)]) -> Result<Message> {
        Message::from_verified_fields(pairs.iter().copied().collect())
    }

    #[test]
    fn dash_moved_across_a_boundary_is_caught() {
        let base = [
            ("IPCmethod", "IPCPurchaseNotify"),
            ("SID", "000000000000010"),
            ("Amount", "23.45"),
            ("Currency", "EUR"),
            ("OrderID", "ORDER"),
            ("IPC_Trnref", "0001-410227"),
        ];
        assert!(
            matches!(msg(&base), Err(Error::InvalidMessage { field, .. }) if field == "IPC_Trnref")
        );
        let mut cur = base;
        cur[3] = ("Currency", "EUR-ORDER");
        assert!(msg(&cur).is_err());
    }

    #[test]
    fn amounts_are_plain_decimals() {
        for bad in ["1e3", "-0", "0x10", "12.345", "-5.00", ""] {
            let r = msg(&[
                ("IPCmethod", "IPCPurchaseRollback"),
                ("SID", "000000000000010"),
                ("Amount", bad),
                ("Currency", "EUR"),
                ("OrderID", "1"),
            ]);
            assert!(
                matches!(r, Err(Error::InvalidMessage { ref field, .. }) if field == "Amount"),
                "{bad}"
            );
        }
    }
}
