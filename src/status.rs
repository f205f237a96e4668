//! myPOS `Status` codes (docs/protocol.md, "Status codes") with their names and usual causes.

/// A `Status` value from an API answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct StatusCode(pub u32);

impl StatusCode {
    /// 0: success.
    pub const SUCCESS: StatusCode = StatusCode(0);

    /// True for 0.
    pub fn is_success(&self) -> bool {
        self.0 == 0
    }

    /// The symbolic name, e.g. `E_SIGNATURE_FAILED`.
    pub fn name(&self) -> &'static str {
        self.info().0
    }

    /// What it means and what usually causes it.
    pub fn meaning(&self) -> &'static str {
        self.info().1
    }

    fn info(&self) -> (&'static str, &'static str) {
        match self.0 {
            0 => ("SUCCESS", "success"),
            1 => ("E_MISSING_REQ_PARAMS", "a required field is missing (e.g. CartItems)"),
            2 => ("E_SIGNATURE_FAILED", "myPOS rejected the request signature: wrong key or KeyIndex, field order, or changed values (escaping, special characters)"),
            3 => ("E_IPC_ERROR", "myPOS-side or communication error; also test credentials on the production endpoint"),
            4 => ("E_INVALID_SID", "the SID is not valid"),
            5 => ("E_INVALID_PARAMS", "a field is invalid (e.g. a fractional quantity, wrong environment)"),
            6 => ("E_INVALID_REFERER", "the request comes from a URL not approved for the store"),
            7 => ("E_PAYMENT_TRIES", "too many payment attempts"),
            8 => ("E_TRANSACTION_AUTH_FAIL", "authorisation failed"),
            9 => ("E_WRONG_AMOUNT", "the amount is wrong"),
            10 => ("E_UNSUPPORTED_CALL", "unknown IPCmethod"),
            11 => ("E_INACTIVE_MANDATE_REFERENCE", "the mandate is not active"),
            12 => ("E_INVALID_MANDATE_REFERENCE", "the mandate reference is invalid"),
            13 => ("E_NOT_SUFFICIENT_FUNDS", "not sufficient funds"),
            14 => ("E_TRANSACTION_NOT_PERMITTED", "transaction not permitted"),
            15 => ("E_EXCEEDED_LIMIT", "account or checkout limit exceeded"),
            16 => ("E_MANDATE_ALREADY_REGISTERED", "the mandate is already registered"),
            17 => ("E_INACTIVE_ACCOUNT_IDENTIFIER", "the account identifier is inactive"),
            18 => ("E_INVALID_ACCOUNT_IDENTIFIER", "the account identifier is invalid"),
            19 => ("E_EXCEEDED_ACCOUNT_LIMITS", "account limits exceeded"),
            20 => ("E_DUPLICATE_TRANSMISSION", "the OrderID is already paid"),
            21 => ("E_TRANSACTION_DECLINED", "the transaction was declined"),
            22 => ("E_WRONG_EXPIRE_DATE", "wrong card expiry date"),
            23 => ("E_INVALID_SESSION", "invalid session"),
            24 => ("E_3DS_AUTHENTICATION_FAILED", "3-D Secure authentication failed"),
            25 => ("E_STORE_RESTRICTED", "store disabled or restricted: request URL not approved (root domain only), currency not enabled, or a config pack reused across domains"),
            99 => ("E_UNDEFINED_ERROR", "undefined error"),
            _ => ("E_UNKNOWN", "a status code this library does not know"),
        }
    }
}

impl std::fmt::Display for StatusCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.0, self.name())
    }
}
