//! Server-to-server methods (SDK field order, docs/protocol.md "Requests and field order"). Each yields a signed body to POST.

use super::purchase::push_cart;
use super::{check_id, clean_text, finish, prefix, CartItem, OutputFormat, SignedRequest};
use crate::amount::Money;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::fields::Fields;
use crate::urls::check_url;

fn partner_tail(f: &mut Fields, config: &Config) {
    f.push("ApplicationID", config.application_id());
    f.push("PartnerID", config.partner_id());
}

fn positive(amount: &Money) -> Result<()> {
    if amount.minor <= 0 {
        return Err(Error::request("Amount", "must be greater than zero"));
    }
    Ok(())
}

/// IPCRefund: full or partial refund of a paid transaction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refund {
    /// The order the payment belongs to.
    pub order_id: String,
    /// IPC_Trnref of the payment.
    pub trnref: String,
    /// Amount to refund.
    pub amount: Money,
    /// Answer format.
    pub output: OutputFormat,
}

impl Refund {
    /// Validates and signs.
    pub fn sign(&self, config: &Config) -> Result<SignedRequest> {
        check_id("OrderID", &self.order_id, 80)?;
        check_id("IPC_Trnref", &self.trnref, 64)?;
        positive(&self.amount)?;
        let mut f = prefix(config, "IPCRefund");
        f.push("Currency", self.amount.currency.code());
        f.push("Amount", self.amount.wire());
        f.push("OrderID", self.order_id.as_str());
        f.push("IPC_Trnref", self.trnref.as_str());
        f.push("OutputFormat", self.output.as_str());
        partner_tail(&mut f, config);
        finish(config, "IPCRefund", f)
    }
}

/// IPCReversal: void a payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reversal {
    /// IPC_Trnref of the payment.
    pub trnref: String,
    /// Answer format.
    pub output: OutputFormat,
}

impl Reversal {
    /// Validates and signs.
    pub fn sign(&self, config: &Config) -> Result<SignedRequest> {
        check_id("IPC_Trnref", &self.trnref, 64)?;
        let mut f = prefix(config, "IPCReversal");
        f.push("IPC_Trnref", self.trnref.as_str());
        f.push("OutputFormat", self.output.as_str());
        partner_tail(&mut f, config);
        finish(config, "IPCReversal", f)
    }
}

macro_rules! order_query {
    ($(#[$doc:meta])* $name:ident, $method:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name {
            /// The merchant order id.
            pub order_id: String,
            /// Answer format.
            pub output: OutputFormat,
        }

        impl $name {
            /// Validates and signs.
            pub fn sign(&self, config: &Config) -> Result<SignedRequest> {
                check_id("OrderID", &self.order_id, 80)?;
                let mut f = prefix(config, $method);
                f.push("OrderID", self.order_id.as_str());
                f.push("OutputFormat", self.output.as_str());
                finish(config, $method, f)
            }
        }
    };
}

order_query!(
    /// IPCGetTxnStatus: the last message myPOS sent for an order (nested `OrderStatus`).
    GetTxnStatus,
    "IPCGetTxnStatus"
);
order_query!(
    /// IPCGetPaymentStatus: PaymentStatus 1 paid, 2 pending, 3 failed, 4 reversed.
    GetPaymentStatus,
    "IPCGetPaymentStatus"
);
order_query!(
    /// IPCGetTxnLog: the order's transaction log.
    GetTxnLog,
    "IPCGetTxnLog"
);
order_query!(
    /// IPCPreAuthStatus: the state of a pre-authorization.
    PreAuthStatus,
    "IPCPreAuthStatus"
);

macro_rules! preauth_follow_up {
    ($(#[$doc:meta])* $name:ident, $method:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name {
            /// The pre-authorized order.
            pub order_id: String,
            /// Amount.
            pub amount: Money,
            /// Answer format.
            pub output: OutputFormat,
        }

        impl $name {
            /// Validates and signs.
            pub fn sign(&self, config: &Config) -> Result<SignedRequest> {
                check_id("OrderID", &self.order_id, 80)?;
                positive(&self.amount)?;
                let mut f = prefix(config, $method);
                f.push("OrderID", self.order_id.as_str());
                f.push("Amount", self.amount.wire());
                f.push("Currency", self.amount.currency.code());
                f.push("OutputFormat", self.output.as_str());
                partner_tail(&mut f, config);
                finish(config, $method, f)
            }
        }
    };
}

preauth_follow_up!(
    /// IPCPreAuthCompletion: capture a held amount.
    PreAuthCompletion,
    "IPCPreAuthCompletion"
);
preauth_follow_up!(
    /// IPCPreAuthCancellation: release a held amount.
    PreAuthCancellation,
    "IPCPreAuthCancellation"
);

/// IPCIAPurchaseWithToken: charge a stored card token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IaPurchaseWithToken {
    /// Merchant order id.
    pub order_id: String,
    /// Amount; cart lines must add up to it.
    pub amount: Money,
    /// The card token from a notify with CardTokenRequest 1/2.
    pub card_token: String,
    /// Allow without a 3-D Secure reference (`AllowWithoutTDSReferenceID`).
    pub allow_without_tds: bool,
    /// `TDSReferenceID`.
    pub tds_reference_id: String,
    /// `ManagerSID`.
    pub manager_sid: String,
    /// `AccountSettlement`.
    pub account_settlement: String,
    /// Note.
    pub note: String,
    /// Cart.
    pub cart: Vec<CartItem>,
    /// Answer format.
    pub output: OutputFormat,
}

impl IaPurchaseWithToken {
    /// Validates and signs.
    pub fn sign(&self, config: &Config) -> Result<SignedRequest> {
        const METHOD: &str = "IPCIAPurchaseWithToken";
        check_id("OrderID", &self.order_id, 80)?;
        check_id("CardToken", &self.card_token, 128)?;
        positive(&self.amount)?;
        let mut f = prefix(config, METHOD);
        f.push("OrderID", self.order_id.as_str());
        f.push("Amount", self.amount.wire());
        f.push("Currency", self.amount.currency.code());
        f.push("CardToken", self.card_token.as_str());
        f.push(
            "AllowWithoutTDSReferenceID",
            if self.allow_without_tds { "1" } else { "0" },
        );
        f.push(
            "TDSReferenceID",
            clean_text("TDSReferenceID", &self.tds_reference_id, 128)?,
        );
        f.push(
            "ManagerSID",
            clean_text("ManagerSID", &self.manager_sid, 32)?,
        );
        f.push(
            "AccountSettlement",
            clean_text("AccountSettlement", &self.account_settlement, 11)?,
        );
        f.push("Note", clean_text("Note", &self.note, 255)?);
        f.push("OutputFormat", self.output.as_str());
        partner_tail(&mut f, config);
        push_cart(&mut f, &self.cart, self.amount)?;
        finish(config, METHOD, f)
    }
}

/// IPCIAPreAuthorization: hold an amount on a stored card token, server to server (completed
/// or cancelled later like a browser pre-authorization).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IaPreAuthorization {
    /// Merchant order id.
    pub order_id: String,
    /// What is held for (`ItemName`).
    pub item_name: String,
    /// Amount to hold.
    pub amount: Money,
    /// The card token from a notify with CardTokenRequest 1/2.
    pub card_token: String,
    /// Note.
    pub note: String,
    /// Answer format.
    pub output: OutputFormat,
}

impl IaPreAuthorization {
    /// Validates and signs (SPEC field order: OrderID, ItemName, Amount, Currency, CardToken,
    /// Note, OutputFormat, ApplicationID, PartnerID).
    pub fn sign(&self, config: &Config) -> Result<SignedRequest> {
        const METHOD: &str = "IPCIAPreAuthorization";
        check_id("OrderID", &self.order_id, 80)?;
        check_id("CardToken", &self.card_token, 128)?;
        positive(&self.amount)?;
        let item = clean_text("ItemName", &self.item_name, 255)?;
        if item.trim().is_empty() {
            return Err(Error::request("ItemName", "must not be empty"));
        }
        let mut f = prefix(config, METHOD);
        f.push("OrderID", self.order_id.as_str());
        f.push("ItemName", item);
        f.push("Amount", self.amount.wire());
        f.push("Currency", self.amount.currency.code());
        f.push("CardToken", self.card_token.as_str());
        f.push("Note", clean_text("Note", &self.note, 255)?);
        f.push("OutputFormat", self.output.as_str());
        partner_tail(&mut f, config);
        finish(config, METHOD, f)
    }
}

/// IPCSignatureVerify: the connection test of the official plug-in. myPOS checks the
/// signature and key index, probes `url_notify`, and answers with signed XML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignatureVerify {
    /// The notify URL myPOS should probe.
    pub url_notify: String,
}

impl SignatureVerify {
    /// Validates and signs (field order as the official plug-in sends it).
    pub fn sign(&self, config: &Config) -> Result<SignedRequest> {
        check_url("url_notify", &self.url_notify)?;
        let mut f = Fields::new();
        f.push("IPCmethod", "IPCSignatureVerify");
        f.push("IPCVersion", config.version().as_str());
        f.push("WalletNumber", config.wallet());
        f.push("SID", config.sid());
        f.push("keyindex", config.key_index().to_string());
        f.push("Source", config.source());
        f.push("url_notify", self.url_notify.as_str());
        f.push("OutputFormat", OutputFormat::Xml.as_str());
        finish(config, "IPCSignatureVerify", f)
    }
}
