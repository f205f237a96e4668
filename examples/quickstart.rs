// The README's Rust quick start (a test checks that the README shows this file verbatim).
use ipc::{
    decide, CartItem, Config, Currency, Endpoint, Message, Money, OrderSnapshot, OrderState,
    Purchase, ReturnUrls,
};

pub fn main() -> Result<(), Box<dyn std::error::Error>> {
    let keys = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/keys");
    let config = Config::builder()
        .sid("000000000000010")
        .wallet("61938166610")
        .key_index(1)
        .private_key_pem(&std::fs::read_to_string(format!(
            "{keys}/merchant_private.pem"
        ))?)
        .mypos_public_key_pem(&std::fs::read_to_string(format!("{keys}/mypos_cert.pem"))?)
        .endpoint(Endpoint::Test)
        .build()?;

    // 1. Send the buyer to myPOS with a signed, self-submitting form.
    let eur = Currency::parse("EUR")?;
    let purchase = Purchase::new(
        "ORDER-1001",
        Money::new(2445, eur),
        ReturnUrls {
            ok: "https://shop.example/mypos/ok".into(),
            cancel: "https://shop.example/mypos/cancel".into(),
            notify: "https://shop.example/mypos/notify".into(),
        },
    )
    .item(CartItem::new("Café \"Deluxe\" & Co", 2, 1050))
    .item(CartItem::delivery("Delivery", 345));
    let html = purchase.sign(&config)?.html_form();
    assert!(html.contains("name=\"Signature\""));

    // 2. Later, myPOS posts IPCPurchaseNotify: verify the raw body, decide, save, then answer.
    let raw_body = std::fs::read(format!("{keys}/../notify-example.txt"))?;
    let message = Message::parse_and_verify(&raw_body, config.mypos_key())?;
    let order = OrderSnapshot {
        amount: Money::new(2445, eur),
        state: OrderState::AwaitingPayment,
    };
    let decision = decide(&message, Some(&order), config.sid());
    println!(
        "{:?} -> HTTP {} {}",
        decision.action,
        decision.reply.http_status(),
        decision.reply.body()
    );
    Ok(())
}
