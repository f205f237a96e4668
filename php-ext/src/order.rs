//! Order arrays to the core's Purchase and PreAuthorization.

use ext_php_rs::exception::PhpResult;
use ext_php_rs::types::ZendHashTable;
use ipc::{
    CardTokenRequest, CartItem, Currency, Customer, IaPreAuthorization, IaPurchaseWithToken, Money,
    OutputFormat, PaymentMethod, PaymentParameters, PreAuthorization, Purchase, ReturnUrls,
};

use crate::errors::invalid;
use crate::input::Options;

const ORDER_KEYS: &[&str] = &[
    "order_id",
    "amount",
    "currency",
    "url_ok",
    "url_cancel",
    "url_notify",
    "note",
    "expires_in",
    "payment_parameters",
    "payment_method",
    "card_token_request",
    "customer",
    "cart",
];
const PREAUTH_KEYS: &[&str] = &[
    "order_id",
    "amount",
    "currency",
    "url_ok",
    "url_cancel",
    "url_notify",
    "note",
    "item_name",
];
const TOKEN_PREAUTH_KEYS: &[&str] = &[
    "order_id",
    "item_name",
    "amount",
    "currency",
    "card_token",
    "note",
];
const TOKEN_KEYS: &[&str] = &[
    "order_id",
    "amount",
    "currency",
    "card_token",
    "tds_reference_id",
    "allow_without_tds",
    "note",
    "cart",
];
const CUSTOMER_KEYS: &[&str] = &[
    "email",
    "phone",
    "first_names",
    "family_name",
    "country",
    "city",
    "zip_code",
    "address",
];
const CART_KEYS: &[&str] = &["article", "quantity", "unit_price", "delivery"];

fn money(what: &str, o: &Options<'_>) -> PhpResult<Money> {
    let amount = o.req_int("amount")?;
    let code = o.req_str("currency")?;
    let currency =
        Currency::parse(&code).map_err(|e| invalid(format!("{what}: 'currency': {e}")))?;
    Ok(Money::new(amount, currency))
}

fn urls(o: &Options<'_>) -> PhpResult<ReturnUrls> {
    Ok(ReturnUrls {
        ok: o.req_str("url_ok")?,
        cancel: o.req_str("url_cancel")?,
        notify: o.req_str("url_notify")?,
    })
}

fn choice(
    what: &str,
    name: &str,
    value: Option<i64>,
    min: i64,
    max: i64,
) -> PhpResult<Option<i64>> {
    match value {
        Some(v) if !(min..=max).contains(&v) => {
            Err(invalid(format!("{what}: '{name}' is out of range ({v})")))
        }
        other => Ok(other),
    }
}

fn customer(what: &str, array: &ZendHashTable) -> PhpResult<Customer> {
    let w = format!("{what}: 'customer'");
    let c = Options::new(&w, array, CUSTOMER_KEYS)?;
    let get = |k: &str| -> PhpResult<String> { Ok(c.opt_str(k)?.unwrap_or_default()) };
    Ok(Customer {
        email: get("email")?,
        phone: get("phone")?,
        first_names: get("first_names")?,
        family_name: get("family_name")?,
        country: get("country")?,
        city: get("city")?,
        zip_code: get("zip_code")?,
        address: get("address")?,
    })
}

fn cart(what: &str, array: &ZendHashTable) -> PhpResult<Vec<CartItem>> {
    let mut items = Vec::new();
    for (i, (_, line)) in array.iter().enumerate() {
        let w = format!("{what}: 'cart'[{i}]");
        let a = line
            .array()
            .ok_or_else(|| invalid(format!("{w} must be an array")))?;
        let l = Options::new(&w, a, CART_KEYS)?;
        let quantity = u32::try_from(l.req_int("quantity")?)
            .map_err(|_| invalid(format!("{w}: 'quantity' must be a positive int")))?;
        items.push(CartItem {
            article: l.req_str("article")?,
            quantity,
            unit_price: l.req_int("unit_price")?,
            delivery: l.opt_bool("delivery")?.unwrap_or(false),
        });
    }
    Ok(items)
}

/// `$order` for Config::purchase().
pub fn purchase(what: &str, order: &ZendHashTable) -> PhpResult<Purchase> {
    let o = Options::new(what, order, ORDER_KEYS)?;
    let mut p = Purchase::new(o.req_str("order_id")?, money(what, &o)?, urls(&o)?);
    if let Some(n) = o.opt_str("note")? {
        p.note = n;
    }
    if let Some(e) = o.opt_int("expires_in")? {
        p.expires_in = Some(
            u32::try_from(e)
                .map_err(|_| invalid(format!("{what}: 'expires_in' is out of range")))?,
        );
    }
    if let Some(v) = choice(
        what,
        "payment_parameters",
        o.opt_int("payment_parameters")?,
        1,
        3,
    )? {
        p.payment_parameters = PaymentParameters::parse(&v.to_string()).unwrap_or_default();
    }
    if let Some(v) = choice(what, "payment_method", o.opt_int("payment_method")?, 1, 3)? {
        p.payment_method = PaymentMethod::parse(&v.to_string()).unwrap_or_default();
    }
    if let Some(v) = choice(
        what,
        "card_token_request",
        o.opt_int("card_token_request")?,
        0,
        2,
    )? {
        p.card_token_request = match v {
            1 => CardTokenRequest::StoreOnly,
            2 => CardTokenRequest::PayAndStore,
            _ => CardTokenRequest::None,
        };
    }
    if let Some(c) = o.opt_array("customer")? {
        p.customer = customer(what, c)?;
    }
    match o.opt_array("cart")? {
        Some(c) => p.cart = cart(what, c)?,
        None if p.card_token_request != CardTokenRequest::StoreOnly => {
            return Err(invalid(format!("{what}: 'cart' is required")))
        }
        None => {}
    }
    Ok(p)
}

/// `$order` for Config::preAuthorization() (`item_name` names what is authorised).
pub fn pre_authorization(what: &str, order: &ZendHashTable) -> PhpResult<PreAuthorization> {
    let o = Options::new(what, order, PREAUTH_KEYS)?;
    Ok(PreAuthorization {
        order_id: o.req_str("order_id")?,
        item_name: o.req_str("item_name")?,
        amount: money(what, &o)?,
        urls: urls(&o)?,
        note: o.opt_str("note")?.unwrap_or_default(),
    })
}

/// `$hold` for Config::iaPreAuthorization(): a stored card's amount held, server to server.
pub fn ia_pre_authorization(what: &str, hold: &ZendHashTable) -> PhpResult<IaPreAuthorization> {
    let o = Options::new(what, hold, TOKEN_PREAUTH_KEYS)?;
    Ok(IaPreAuthorization {
        order_id: o.req_str("order_id")?,
        item_name: o.req_str("item_name")?,
        amount: money(what, &o)?,
        card_token: o.req_str("card_token")?,
        note: o.opt_str("note")?.unwrap_or_default(),
        output: OutputFormat::Json,
    })
}

/// `$charge` for Config::purchaseWithToken(): a customer-present charge names the 3-D Secure
/// check it passed (`tds_reference_id`); a merchant-initiated one sets `allow_without_tds`.
pub fn purchase_with_token(what: &str, charge: &ZendHashTable) -> PhpResult<IaPurchaseWithToken> {
    let o = Options::new(what, charge, TOKEN_KEYS)?;
    let tds_reference_id = o.opt_str("tds_reference_id")?.unwrap_or_default();
    let allow_without_tds = o.opt_bool("allow_without_tds")?.unwrap_or(false);
    if tds_reference_id.is_empty() && !allow_without_tds {
        return Err(invalid(format!(
            "{what}: give 'tds_reference_id' or set 'allow_without_tds'"
        )));
    }
    let cart = match o.opt_array("cart")? {
        Some(c) => cart(what, c)?,
        None => return Err(invalid(format!("{what}: 'cart' is required"))),
    };
    Ok(IaPurchaseWithToken {
        order_id: o.req_str("order_id")?,
        amount: money(what, &o)?,
        card_token: o.req_str("card_token")?,
        allow_without_tds,
        tds_reference_id,
        manager_sid: String::new(),
        account_settlement: String::new(),
        note: o.opt_str("note")?.unwrap_or_default(),
        cart,
        output: OutputFormat::Json,
    })
}
