//! The hosted pages: payment page, error page, failure page. Plain HTML, no JavaScript.

use ipc::request::html_escape as esc;
use ipc::Fields;

use super::state::Session;

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{t} - myPOS sandbox</title></head>\n\
         <body>\n<h1>{t}</h1>\n{body}</body></html>\n",
        t = esc(title)
    )
}

/// The payment page: one form with card fields, three buttons (`action=pay|decline|cancel`)
/// and the session.
pub fn payment(session_id: &str, session: &Session) -> String {
    let amount = session.amount;
    let store = session.request.get("SID").unwrap_or_default();
    let notice = if session.declined {
        "<p class=\"error\">Your card was declined. Try again or cancel.</p>\n"
    } else {
        ""
    };
    let verb = if session.preauth { "Authorize" } else { "Pay" };
    let body = format!(
        "{notice}<p>Store {store}, order <b id=\"order\">{order}</b></p>\n\
         <p>Amount: <b id=\"amount\">{amount} {currency}</b></p>\n\
         <p>Test card: 4006 0900 0000 0007, 12/30, CVC 123 (another card number is declined; none at all pays). \
         A saved 4006 0900 0000 0015 declines later charges; a saved 4006 0900 0000 0023 has expired.</p>\n\
         <form method=\"post\" action=\"/vmp/payment\">\n\
         <input type=\"hidden\" name=\"session\" value=\"{sid}\">\n\
         <p><label for=\"card\">Card number</label> <input id=\"card\" name=\"card\" \
         inputmode=\"numeric\" autocomplete=\"cc-number\"></p>\n\
         <p><label for=\"expiry\">Expiry (MM/YY)</label> <input id=\"expiry\" name=\"expiry\" \
         autocomplete=\"cc-exp\"> <label for=\"cvc\">CVC</label> <input id=\"cvc\" \
         name=\"cvc\" inputmode=\"numeric\" autocomplete=\"cc-csc\"></p>\n\
         <button type=\"submit\" name=\"action\" value=\"pay\">{verb}</button>\n\
         <button type=\"submit\" name=\"action\" value=\"decline\">Decline</button>\n\
         <button type=\"submit\" name=\"action\" value=\"cancel\">Cancel</button>\n\
         </form>\n",
        store = esc(store),
        order = esc(&session.order_id),
        amount = esc(&amount.wire()),
        currency = esc(amount.currency.code()),
        sid = esc(session_id),
    );
    page("myPOS Checkout", &body)
}

/// The generic error page for a browser request with errors (no callback is sent).
pub fn error(status: u32, message: &str) -> String {
    let body = format!(
        "<p>The store has sent a shopping cart with errors in it. Please contact the merchant.</p>\n\
         <p>Error <span id=\"status\">{status}</span>: {}</p>\n",
        esc(message)
    );
    page("Payment error", &body)
}

/// After a rollback: the payment was reversed. A button (not automatic) takes the buyer back
/// to the shop with a signed IPCPurchaseCancel.
pub fn reversed(url_cancel: &str, cancel: &Fields) -> String {
    let mut body = String::from(
        "<p>The payment could not be completed: the merchant did not confirm it, so it was reversed.\
         No money was taken.</p>\n",
    );
    body.push_str(&format!(
        "<form method=\"post\" action=\"{}\">\n",
        esc(url_cancel)
    ));
    for (n, v) in cancel.iter() {
        body.push_str(&format!(
            "<input type=\"hidden\" name=\"{}\" value=\"{}\">\n",
            esc(n),
            esc(v)
        ));
    }
    body.push_str("<button type=\"submit\">Back to the shop</button>\n</form>\n");
    page("Payment reversed", &body)
}
