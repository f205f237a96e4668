//! How myPOS checks an incoming request: signature by KeyIndex, store, required fields.

use std::collections::HashMap;

use ipc::{Currency, Fields, Money, PrivateKey, PublicKey};

/// The sandbox's identity and the merchant certificates it trusts.
#[derive(Debug)]
pub struct Identity {
    pub sid: String,
    pub wallet: String,
    pub merchant_keys: HashMap<u32, PublicKey>,
    /// The key the sandbox signs with as myPOS; replaced by `POST /sandbox/rotate-mypos-cert`.
    pub mypos_key: std::sync::RwLock<std::sync::Arc<PrivateKey>>,
}

/// A refused request: the myPOS Status code and a message.
#[derive(Debug, Clone)]
pub struct Reject {
    pub status: u32,
    pub message: String,
}

impl Reject {
    pub fn new(status: u32, message: impl Into<String>) -> Self {
        Reject {
            status,
            message: message.into(),
        }
    }
}

pub type Checked<T> = Result<T, Reject>;

/// Methods answered in the browser with the hosted payment page.
pub fn is_browser_method(method: &str) -> bool {
    matches!(method, "IPCPurchase" | "IPCPreAuthorization")
}

/// Parses the raw body and checks the merchant's signature, store and wallet.
/// Returns the method and the fields without Signature.
pub fn authenticate(body: &[u8], id: &Identity) -> Checked<(String, Fields)> {
    let fields =
        ipc::parse_urlencoded(body).map_err(|e| Reject::new(5, format!("request body: {e}")))?;
    let method = value(&fields, "IPCmethod")?.to_string();
    let index_text = value(&fields, "KeyIndex")?;
    if !fields.has_signature() {
        return Err(Reject::new(1, "missing Signature"));
    }
    let index: u32 = index_text
        .parse()
        .map_err(|_| Reject::new(5, "KeyIndex is not a number"))?;
    let key = id
        .merchant_keys
        .get(&index)
        .ok_or_else(|| Reject::new(2, format!("no certificate registered for KeyIndex {index}")))?;
    let fields = ipc::verify_fields(fields, key).map_err(|e| match e {
        ipc::Error::SignatureInvalid | ipc::Error::MalformedSignature(_) => {
            Reject::new(2, "signature check failed")
        }
        other => Reject::new(5, format!("request body: {other}")),
    })?;
    if value(&fields, "SID")? != id.sid {
        return Err(Reject::new(4, "unknown SID"));
    }
    if value(&fields, "WalletNumber")? != id.wallet {
        return Err(Reject::new(4, "WalletNumber does not belong to the store"));
    }
    Ok((method, fields))
}

/// Required fields of each supported method (after the standard prefix), or `None` when the
/// sandbox does not support the method (Status 10).
pub fn required_fields(method: &str) -> Option<&'static [&'static str]> {
    Some(match method {
        "IPCPurchase" => &["Currency", "OrderID", "URL_OK", "URL_Cancel", "URL_Notify"],
        "IPCPreAuthorization" => &[
            "ItemName",
            "Currency",
            "Amount",
            "OrderID",
            "URL_OK",
            "URL_Cancel",
            "URL_Notify",
        ],
        "IPCRefund" => &["Currency", "Amount", "OrderID", "IPC_Trnref"],
        "IPCReversal" => &["IPC_Trnref"],
        "IPCGetTxnStatus" | "IPCGetPaymentStatus" | "IPCGetTxnLog" | "IPCPreAuthStatus" => {
            &["OrderID"]
        }
        "IPCPreAuthCompletion" | "IPCPreAuthCancellation" => &["OrderID", "Amount", "Currency"],
        "IPCIAPurchaseWithToken" => &["OrderID", "Amount", "Currency", "CardToken"],
        "IPCIAPreAuthorization" => &["OrderID", "ItemName", "Amount", "Currency", "CardToken"],
        "IPCTDSProcess" => &[
            "Amount",
            "Currency",
            "CardToken",
            "UseRedirect",
            "ReturnUrl",
        ],
        "IPCSignatureVerify" => &[],
        _ => return None,
    })
}

/// Checks that every field in `names` is present and not empty (Status 1).
pub fn require_all(fields: &Fields, names: &[&str]) -> Checked<()> {
    names.iter().try_for_each(|n| value(fields, n).map(|_| ()))
}

/// A present, non-empty value (Status 1 otherwise).
pub fn value<'a>(fields: &'a Fields, name: &str) -> Checked<&'a str> {
    match fields.get(name) {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(Reject::new(1, format!("missing required field {name}"))),
    }
}

/// Currency and a positive Amount (Status 5 when invalid).
pub fn money(fields: &Fields) -> Checked<Money> {
    let currency =
        Currency::parse(value(fields, "Currency")?).map_err(|e| Reject::new(5, e.to_string()))?;
    let money = Money::parse(value(fields, "Amount")?, currency)
        .map_err(|e| Reject::new(5, e.to_string()))?;
    if money.minor <= 0 {
        return Err(Reject::new(5, "Amount must be greater than zero"));
    }
    Ok(money)
}

/// URL_OK, URL_Cancel and URL_Notify: https, or http on loopback only (Status 5).
pub fn urls(fields: &Fields) -> Checked<()> {
    for name in ["URL_OK", "URL_Cancel", "URL_Notify"] {
        ipc::urls::check_url(name, value(fields, name)?)
            .map_err(|e| Reject::new(5, e.to_string()))?;
    }
    Ok(())
}

/// OrderID: 1 to 80 printable characters (Status 5).
pub fn order_id(fields: &Fields) -> Checked<String> {
    let id = value(fields, "OrderID")?;
    if id.chars().count() > 80 || id.chars().any(char::is_control) {
        return Err(Reject::new(
            5,
            "OrderID must be 1 to 80 printable characters",
        ));
    }
    Ok(id.to_string())
}

/// The cart of an IPCPurchase: CartItems lines whose amounts add up to Amount.
pub fn cart(fields: &Fields, total: Money) -> Checked<()> {
    let count: usize = value(fields, "CartItems")?
        .parse()
        .ok()
        .filter(|n| (1..=100).contains(n))
        .ok_or_else(|| Reject::new(5, "CartItems must be a whole number from 1 to 100"))?;
    let mut sum = 0i64;
    for i in 1..=count {
        require_all(fields, &[&format!("Article_{i}")])?;
        let quantity: i64 = value(fields, &format!("Quantity_{i}"))?
            .parse()
            .ok()
            .filter(|q| *q > 0)
            .ok_or_else(|| Reject::new(5, format!("Quantity_{i} must be a positive integer")))?;
        let price = Money::parse(value(fields, &format!("Price_{i}"))?, total.currency)
            .map_err(|_| Reject::new(5, format!("Price_{i} is not an amount")))?;
        let amount = Money::parse(value(fields, &format!("Amount_{i}"))?, total.currency)
            .map_err(|_| Reject::new(5, format!("Amount_{i} is not an amount")))?;
        if amount.minor != price.minor * quantity {
            return Err(Reject::new(
                5,
                format!("Amount_{i} is not Quantity_{i} x Price_{i}"),
            ));
        }
        sum += amount.minor;
    }
    if sum != total.minor {
        return Err(Reject::new(5, "the cart lines do not add up to Amount"));
    }
    Ok(())
}

/// The output format of the answer (xml unless the request asks for json).
pub fn output_format(fields: &Fields) -> ipc::OutputFormat {
    fields
        .get("OutputFormat")
        .and_then(ipc::OutputFormat::parse)
        .unwrap_or(ipc::OutputFormat::Xml)
}
