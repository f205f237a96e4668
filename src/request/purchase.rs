//! Browser methods: IPCPurchase and IPCPreAuthorization (SDK field order, docs/protocol.md "Requests and field order").

use super::{check_id, clean_text, finish, prefix, SignedRequest};
use crate::amount::{Currency, Money};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::fields::Fields;
use crate::urls::check_url;

/// URL_OK, URL_Cancel and URL_Notify: https, or http on a loopback host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReturnUrls {
    /// Where the buyer returns after paying.
    pub ok: String,
    /// Where the buyer returns after cancelling.
    pub cancel: String,
    /// Where myPOS posts IPCPurchaseNotify and IPCPurchaseRollback.
    pub notify: String,
}

impl ReturnUrls {
    fn push_checked(&self, fields: &mut Fields) -> Result<()> {
        for (name, value) in [
            ("URL_OK", &self.ok),
            ("URL_Cancel", &self.cancel),
            ("URL_Notify", &self.notify),
        ] {
            check_url(name, value)?;
            fields.push(name, value.as_str());
        }
        Ok(())
    }
}

/// One cart line. Discounts are lines with a negative unit price.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CartItem {
    /// Article name (any UTF-8; line breaks become spaces).
    pub article: String,
    /// Quantity, at least 1 (myPOS refuses fractions).
    pub quantity: u32,
    /// Unit price in minor units of the order currency.
    pub unit_price: i64,
    /// Marks a delivery (shipping) line (`Delivery_N=1`).
    pub delivery: bool,
}

impl CartItem {
    /// A normal line.
    pub fn new(article: impl Into<String>, quantity: u32, unit_price: i64) -> Self {
        CartItem {
            article: article.into(),
            quantity,
            unit_price,
            delivery: false,
        }
    }

    /// A delivery line.
    pub fn delivery(article: impl Into<String>, price: i64) -> Self {
        CartItem {
            delivery: true,
            ..CartItem::new(article, 1, price)
        }
    }

    fn line_total(&self, index: usize) -> Result<i64> {
        i64::from(self.quantity)
            .checked_mul(self.unit_price)
            .ok_or_else(|| Error::request(format!("Amount_{index}"), "overflows"))
    }
}

/// Buyer details. Required in full for [`PaymentParameters::Full`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Customer {
    /// E-mail.
    pub email: String,
    /// Phone.
    pub phone: String,
    /// First name(s).
    pub first_names: String,
    /// Family name.
    pub family_name: String,
    /// ISO 3166 alpha-3 country, e.g. `DEU`.
    pub country: String,
    /// City.
    pub city: String,
    /// ZIP code.
    pub zip_code: String,
    /// Street address.
    pub address: String,
}

/// `CardTokenRequest`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CardTokenRequest {
    /// 0: no token.
    #[default]
    None,
    /// 1: store the card only, no payment (no amount, no cart).
    StoreOnly,
    /// 2: pay and store the card.
    PayAndStore,
}

/// `PaymentParametersRequired`: which buyer fields the payment page needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PaymentParameters {
    /// 1: full (names and e-mail sent, not editable).
    Full,
    /// 2: simplified (editable on the page).
    #[default]
    Simplified,
    /// 3: card details only.
    CardOnly,
}

/// `PaymentMethod`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PaymentMethod {
    /// 1: card.
    Card,
    /// 2: iDEAL.
    Ideal,
    /// 3: both (the SDK's default).
    #[default]
    All,
}

impl CardTokenRequest {
    fn wire(self) -> &'static str {
        match self {
            CardTokenRequest::None => "0",
            CardTokenRequest::StoreOnly => "1",
            CardTokenRequest::PayAndStore => "2",
        }
    }
}

impl PaymentParameters {
    /// Wire value.
    pub fn wire(self) -> &'static str {
        match self {
            PaymentParameters::Full => "1",
            PaymentParameters::Simplified => "2",
            PaymentParameters::CardOnly => "3",
        }
    }
    /// From the wire value.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "1" => Some(PaymentParameters::Full),
            "2" => Some(PaymentParameters::Simplified),
            "3" => Some(PaymentParameters::CardOnly),
            _ => None,
        }
    }
}

impl PaymentMethod {
    /// Wire value.
    pub fn wire(self) -> &'static str {
        match self {
            PaymentMethod::Card => "1",
            PaymentMethod::Ideal => "2",
            PaymentMethod::All => "3",
        }
    }
    /// From the wire value.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "1" => Some(PaymentMethod::Card),
            "2" => Some(PaymentMethod::Ideal),
            "3" => Some(PaymentMethod::All),
            _ => None,
        }
    }
}

/// IPCPurchase: the hosted payment page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purchase {
    /// Merchant order id (1 to 80 characters).
    pub order_id: String,
    /// Order total; cart lines must add up to it.
    pub amount: Money,
    /// Return and notify URLs.
    pub urls: ReturnUrls,
    /// Optional note.
    pub note: String,
    /// Session lifetime in seconds (the SDK sends 86400).
    pub expires_in: Option<u32>,
    /// Buyer details.
    pub customer: Customer,
    /// Cart lines (required unless the card is stored only).
    pub cart: Vec<CartItem>,
    /// CardTokenRequest.
    pub card_token_request: CardTokenRequest,
    /// PaymentParametersRequired.
    pub payment_parameters: PaymentParameters,
    /// PaymentMethod.
    pub payment_method: PaymentMethod,
}

impl Purchase {
    /// A purchase with defaults (no note, SDK expiry, simplified page, all methods).
    pub fn new(order_id: impl Into<String>, amount: Money, urls: ReturnUrls) -> Self {
        Purchase {
            order_id: order_id.into(),
            amount,
            urls,
            note: String::new(),
            expires_in: Some(86_400),
            customer: Customer::default(),
            cart: Vec::new(),
            card_token_request: CardTokenRequest::None,
            payment_parameters: PaymentParameters::default(),
            payment_method: PaymentMethod::default(),
        }
    }

    /// Adds a cart line.
    pub fn item(mut self, item: CartItem) -> Self {
        self.cart.push(item);
        self
    }

    /// Validates and signs.
    pub fn sign(&self, config: &Config) -> Result<SignedRequest> {
        const METHOD: &str = "IPCPurchase";
        check_id("OrderID", &self.order_id, 80)?;
        let currency = self.amount.currency;
        let pays = self.card_token_request != CardTokenRequest::StoreOnly;
        let mut f = prefix(config, METHOD);
        f.push("Currency", currency.code());
        if pays {
            if self.amount.minor <= 0 {
                return Err(Error::request("Amount", "must be greater than zero"));
            }
            f.push("Amount", self.amount.wire());
        }
        f.push("OrderID", self.order_id.as_str());
        self.urls.push_checked(&mut f)?;
        f.push("Note", clean_text("Note", &self.note, 255)?);
        if let Some(exp) = self.expires_in {
            f.push("expires_in", exp.to_string());
        }
        f.push("ApplicationID", config.application_id());
        f.push("PartnerID", config.partner_id());
        self.push_customer(&mut f)?;
        if pays {
            push_cart(&mut f, &self.cart, self.amount)?;
        }
        f.push("CardTokenRequest", self.card_token_request.wire());
        f.push("PaymentParametersRequired", self.payment_parameters.wire());
        f.push("PaymentMethod", self.payment_method.wire());
        finish(config, METHOD, f)
    }

    fn push_customer(&self, f: &mut Fields) -> Result<()> {
        let c = &self.customer;
        if self.payment_parameters == PaymentParameters::Full {
            for (name, value) in [
                ("customeremail", &c.email),
                ("customerfirstnames", &c.first_names),
                ("customerfamilyname", &c.family_name),
            ] {
                if value.trim().is_empty() {
                    return Err(Error::request(
                        name,
                        "is required when PaymentParametersRequired is 1 (full)",
                    ));
                }
            }
        }
        if !c.email.is_empty()
            && (!c.email.contains('@') || c.email.chars().any(|ch| ch.is_whitespace()))
        {
            return Err(Error::request("customeremail", "is not an e-mail address"));
        }
        if !c.country.is_empty()
            && (c.country.len() != 3 || !c.country.bytes().all(|b| b.is_ascii_uppercase()))
        {
            return Err(Error::request(
                "customercountry",
                "must be an ISO 3166 alpha-3 code such as DEU",
            ));
        }
        for (name, value) in [
            ("customeremail", &c.email),
            ("customerphone", &c.phone),
            ("customerfirstnames", &c.first_names),
            ("customerfamilyname", &c.family_name),
            ("customercountry", &c.country),
            ("customercity", &c.city),
            ("customerzipcode", &c.zip_code),
            ("customeraddress", &c.address),
        ] {
            f.push(name, clean_text(name, value, 255)?);
        }
        Ok(())
    }
}

/// `CartItems` and the numbered lines; the line totals must add up to `total`.
pub(crate) fn push_cart(f: &mut Fields, cart: &[CartItem], total: Money) -> Result<()> {
    if cart.is_empty() {
        return Err(Error::request("CartItems", "the cart is empty"));
    }
    let currency: Currency = total.currency;
    f.push("CartItems", cart.len().to_string());
    let mut sum: i64 = 0;
    for (i, item) in cart.iter().enumerate() {
        let n = i + 1;
        if item.quantity == 0 {
            return Err(Error::request(
                format!("Quantity_{n}"),
                "must be at least 1",
            ));
        }
        let article = clean_text(&format!("Article_{n}"), &item.article, 255)?;
        if article.trim().is_empty() {
            return Err(Error::request(format!("Article_{n}"), "must not be empty"));
        }
        let line = item.line_total(n)?;
        sum = sum
            .checked_add(line)
            .ok_or_else(|| Error::request("Amount", "cart total overflows"))?;
        f.push(format!("Article_{n}"), article);
        f.push(format!("Quantity_{n}"), item.quantity.to_string());
        f.push(
            format!("Price_{n}"),
            Money::new(item.unit_price, currency).wire(),
        );
        f.push(format!("Amount_{n}"), Money::new(line, currency).wire());
        f.push(format!("Currency_{n}"), currency.code());
        if item.delivery {
            f.push(format!("Delivery_{n}"), "1");
        }
    }
    if sum != total.minor {
        return Err(Error::request(
            "Amount",
            format!(
                "cart lines add up to {} but the order amount is {} {currency}",
                Money::new(sum, currency).wire(),
                total.wire()
            ),
        ));
    }
    Ok(())
}

/// IPCPreAuthorization: hold an amount on the buyer's card (browser flow).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreAuthorization {
    /// Merchant order id.
    pub order_id: String,
    /// What is being authorised.
    pub item_name: String,
    /// Amount to hold.
    pub amount: Money,
    /// Return and notify URLs.
    pub urls: ReturnUrls,
    /// Optional note.
    pub note: String,
}

impl PreAuthorization {
    /// Validates and signs.
    pub fn sign(&self, config: &Config) -> Result<SignedRequest> {
        const METHOD: &str = "IPCPreAuthorization";
        check_id("OrderID", &self.order_id, 80)?;
        if self.amount.minor <= 0 {
            return Err(Error::request("Amount", "must be greater than zero"));
        }
        let item = clean_text("ItemName", &self.item_name, 255)?;
        if item.trim().is_empty() {
            return Err(Error::request("ItemName", "must not be empty"));
        }
        let mut f = prefix(config, METHOD);
        f.push("ItemName", item);
        f.push("Currency", self.amount.currency.code());
        f.push("Amount", self.amount.wire());
        f.push("OrderID", self.order_id.as_str());
        self.urls.push_checked(&mut f)?;
        f.push("Note", clean_text("Note", &self.note, 255)?);
        f.push("ApplicationID", config.application_id());
        f.push("PartnerID", config.partner_id());
        finish(config, METHOD, f)
    }
}
