//! `GenericRequest` and `Purchase` with arbitrary names, values and amounts: never panic; a
//! request that signs produces a body that parses back to the same fields and verifies.
#![no_main]

use arbitrary::Arbitrary;
use ipc::{CardTokenRequest, CartItem, Currency, Customer, GenericRequest, Money, PaymentMethod};
use ipc::{PaymentParameters, Purchase, ReturnUrls, SignedRequest};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Item {
    article: String,
    quantity: u32,
    unit_price: i64,
    delivery: bool,
}

#[derive(Debug, Arbitrary)]
struct Input {
    method: String,
    params: Vec<(String, String)>,
    order_id: String,
    amount: i64,
    currency: String,
    urls: (String, String, String),
    note: String,
    expires_in: Option<u32>,
    customer: (
        String,
        String,
        String,
        String,
        String,
        String,
        String,
        String,
    ),
    items: Vec<Item>,
    token: u8,
    parameters: u8,
    payment_method: u8,
}

fn check(signed: &SignedRequest) {
    let key = fuzz_common::merchant_key();
    let body = signed.body();
    let parsed = match ipc::parse_urlencoded(body.as_bytes()) {
        Ok(f) => f,
        Err(e) => panic!("signed request body does not parse: {e}"),
    };
    assert_eq!(
        &parsed,
        signed.fields(),
        "body does not carry the signed fields"
    );
    let (rest, signature) = match parsed.split_signature() {
        Ok(s) => s,
        Err(e) => panic!("no Signature: {e}"),
    };
    assert_eq!(signature, signed.signature());
    fuzz_common::assert_verifies(&body, key.public_key(), &rest);
    let _ = signed.html_form();
}

fuzz_target!(|input: Input| {
    let config = fuzz_common::config();
    let mut generic = GenericRequest::new(input.method.clone());
    for (n, v) in &input.params {
        generic = generic.param(n.clone(), v.clone());
    }
    if let Ok(signed) = generic.sign(config) {
        check(&signed);
        assert_eq!(signed.method(), input.method);
    }

    let Ok(currency) = Currency::parse(&input.currency) else {
        return;
    };
    let (ok, cancel, notify) = input.urls;
    let mut purchase = Purchase::new(
        input.order_id,
        Money::new(input.amount, currency),
        ReturnUrls { ok, cancel, notify },
    );
    purchase.note = input.note;
    purchase.expires_in = input.expires_in;
    let (email, phone, first_names, family_name, country, city, zip_code, address) = input.customer;
    purchase.customer = Customer {
        email,
        phone,
        first_names,
        family_name,
        country,
        city,
        zip_code,
        address,
    };
    purchase.card_token_request = match input.token % 3 {
        0 => CardTokenRequest::None,
        1 => CardTokenRequest::StoreOnly,
        _ => CardTokenRequest::PayAndStore,
    };
    purchase.payment_parameters = match input.parameters % 3 {
        0 => PaymentParameters::Full,
        1 => PaymentParameters::Simplified,
        _ => PaymentParameters::CardOnly,
    };
    purchase.payment_method = match input.payment_method % 3 {
        0 => PaymentMethod::Card,
        1 => PaymentMethod::Ideal,
        _ => PaymentMethod::All,
    };
    purchase.cart = input
        .items
        .into_iter()
        .map(|i| CartItem {
            article: i.article,
            quantity: i.quantity,
            unit_price: i.unit_price,
            delivery: i.delivery,
        })
        .collect();
    if let Ok(signed) = purchase.sign(config) {
        check(&signed);
        if let Some(text) = signed.fields().get("Amount") {
            assert_eq!(
                Money::parse(text, currency).ok(),
                Some(purchase.amount),
                "Amount text"
            );
            assert!(purchase.amount.minor > 0);
        }
        // The cart lines add up to the order total.
        if purchase.card_token_request != CardTokenRequest::StoreOnly {
            let sum: i64 = (1..=purchase.cart.len())
                .filter_map(|n| signed.fields().get(&format!("Amount_{n}")))
                .filter_map(|t| Money::parse(t, currency).ok())
                .map(|m| m.minor)
                .sum();
            assert_eq!(sum, purchase.amount.minor, "cart lines do not add up");
        }
    }
});
