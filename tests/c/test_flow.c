/* A full integration through the C ABI: config, purchase with cart and customer, the signed
 * form; a notify signed with the simulated myPOS key, parsed and verified as a message, and
 * the decision for each order state; the server-to-server request builders. */
#include "tap.h"

#define SID "000000000000010"

static const char *data;
static char *merchant_key, *merchant_cert, *sim_key, *sim_cert;

static ipc_request *sign_purchase(ipc_config *config) {
  ipc_purchase *p = NULL;
  ipc_request *req = NULL;
  if (!ok_code(ipc_purchase_new("ORDER-0001", 2445, "EUR", "https://shop.example/ok", "https://shop.example/cancel", "https://shop.example/notify", &p), IPC_RESULT_OK, "purchase_new")) return NULL;
  ok_code(ipc_purchase_add_item(p, "HP ProBook 6360b sticker", 2, 1050, false), IPC_RESULT_OK, "purchase_add_item: sticker");
  ok_code(ipc_purchase_add_item(p, "Delivery", 1, 345, true), IPC_RESULT_OK, "purchase_add_item: delivery");
  ok_code(ipc_purchase_set_customer(p, "jane@example.com", "+35900000000", "Jane", "Doe", "BGR", "Sofia", "1000", "1 Main St"), IPC_RESULT_OK, "purchase_set_customer");
  ok_code(ipc_purchase_set_note(p, "Order & <note>"), IPC_RESULT_OK, "purchase_set_note");
  ok_code(ipc_purchase_set_options(p, 1, 4, 0), IPC_RESULT_INVALID_ARGUMENT, "purchase_set_options: PaymentMethod 4 refused");
  ok_code(ipc_purchase_set_options(p, 0, 1, 0), IPC_RESULT_INVALID_ARGUMENT, "purchase_set_options: PaymentParametersRequired 0 refused");
  ok_code(ipc_purchase_set_options(p, 1, 1, 3), IPC_RESULT_INVALID_ARGUMENT, "purchase_set_options: CardTokenRequest 3 refused");
  ok_code(ipc_purchase_set_options(p, 1, 1, 2), IPC_RESULT_OK, "purchase_set_options: full, card, pay and store");
  ok_code(ipc_purchase_sign(p, config, &req), IPC_RESULT_OK, "purchase_sign");
  ipc_purchase_free(p);
  return req;
}

static void check_purchase(ipc_request *req) {
  ok_field(req, "Amount", "24.45", "purchase: Amount present", "purchase: Amount is 24.45 (from minor units)");
  ok_field(req, "CartItems", "2", "purchase: CartItems present", "purchase: two cart lines");
  ok_field(req, "Delivery_2", "1", "purchase: Delivery_2 present", "purchase: second line is delivery");
  ok_field(req, "customeremail", "jane@example.com", "purchase: customer e-mail present", "purchase: customer e-mail");
  ok_field(req, "PaymentMethod", "1", "purchase: PaymentMethod present", "purchase: PaymentMethod from set_options");
  ok_field(req, "CardTokenRequest", "2", "purchase: CardTokenRequest present", "purchase: CardTokenRequest from set_options");
  ok_field(req, "PaymentParametersRequired", "1", "purchase: PaymentParametersRequired present", "purchase: full customer data gives PaymentParametersRequired 1");

  size_t count = 0;
  ok_code(ipc_request_field_count(req, &count), IPC_RESULT_OK, "purchase: field count");
  char *first = NULL, *last = NULL, *first_value = NULL, *sig = NULL;
  ok_out(ipc_request_field_name(req, 0, &first), &first, "IPCmethod", "purchase: first field name", "purchase: first field is IPCmethod");
  ok_out(ipc_request_field_value(req, 0, &first_value), &first_value, "IPCPurchase", "purchase: first field value", "purchase: IPCmethod is IPCPurchase");
  ok_out(ipc_request_field_name(req, count - 1, &last), &last, "Signature", "purchase: last field name", "purchase: Signature is the last field");
  char *last_value = NULL;
  ok_code(ipc_request_field_value(req, count - 1, &last_value), IPC_RESULT_OK, "purchase: last field value");
  ok_code(ipc_request_signature(req, &sig), IPC_RESULT_OK, "purchase: signature accessor");
  ok(sig != NULL && last_value != NULL && strcmp(sig, last_value) == 0 && strlen(sig) == 344, "purchase: signature accessor equals the last field (2048-bit)");
  ipc_string_free(sig);
  ipc_string_free(last_value);

  /* The merchant certificate verifies the body we produced. */
  char *body = NULL;
  if (ok_code(ipc_request_body(req, &body), IPC_RESULT_OK, "purchase: body")) {
    ok_code(ipc_verify_form((const uint8_t *)body, strlen(body), merchant_cert), IPC_RESULT_OK, "purchase: body verifies with the merchant certificate");
    ok(strstr(body, "Note=Order+%26+%3Cnote%3E") != NULL || strstr(body, "Note=Order%20%26%20%3Cnote%3E") != NULL, "purchase: Note urlencoded in the body");
    ipc_string_free(body);
  }
  char *html = NULL, *url = NULL;
  if (ok_code(ipc_request_html_form(req, &html), IPC_RESULT_OK, "purchase: html form")) {
    ok(strstr(html, "action=\"http://127.0.0.1:9/vmp/checkout-test\"") != NULL, "purchase: form posts to the config endpoint");
    ok(strstr(html, "Order &amp; &lt;note&gt;") != NULL, "purchase: form escapes attribute values");
    ok(strstr(html, "<script>alert") == NULL && strstr(html, "<note>") == NULL, "purchase: no raw markup from values");
    ipc_string_free(html);
  }
  ok_out(ipc_request_action_url(req, &url), &url, "http://127.0.0.1:9/vmp/checkout-test", "purchase: action url", "purchase: action url is the endpoint");
}

static ipc_message *notify(ipc_config *config, const char *body_without_signature, ipc_result want, const char *name) {
  char *signed_body = NULL;
  ipc_message *m = NULL;
  if (ipc_sign_form((const uint8_t *)body_without_signature, strlen(body_without_signature), sim_key, &signed_body) != IPC_RESULT_OK) {
    ok(0, name);
    return NULL;
  }
  ok_code(ipc_message_parse((const uint8_t *)signed_body, strlen(signed_body), config, &m), want, name);
  ipc_string_free(signed_body);
  return m;
}

static void expect_decision(ipc_message *m, int64_t amount, const char *currency, uint32_t state, const char *paid, const char *sid,
                            ipc_action want_action, ipc_reply want_reply, uint16_t want_status, const char *want_body, const char *name) {
  ipc_decision *d = NULL;
  char label[200];
  snprintf(label, sizeof label, "decide %s: made", name);
  if (!ok_code(ipc_decide(m, amount, currency, state, paid, sid, &d), IPC_RESULT_OK, label)) return;
  ipc_action action = 999;
  ipc_reply reply = 999;
  uint16_t status = 0;
  char *body = NULL, *note = NULL;
  ipc_result r1 = ipc_decision_action(d, &action);
  ipc_result r2 = ipc_decision_reply(d, &reply);
  ipc_result r3 = ipc_decision_http_status(d, &status);
  ipc_result r4 = ipc_decision_body(d, &body);
  ipc_result r5 = ipc_decision_note(d, &note);
  snprintf(label, sizeof label, "decide %s: action %u, reply %u, HTTP %u, body '%s'", name, (unsigned)want_action, (unsigned)want_reply, (unsigned)want_status, want_body);
  int good = ok(r1 == IPC_RESULT_OK && r2 == IPC_RESULT_OK && r3 == IPC_RESULT_OK && r4 == IPC_RESULT_OK && r5 == IPC_RESULT_OK &&
                    action == want_action && reply == want_reply && status == want_status && body != NULL && strcmp(body, want_body) == 0 &&
                    note != NULL && note[0] != '\0',
                label);
  if (!good) printf("# got action %u reply %u status %u body '%s' note '%s'\n", (unsigned)action, (unsigned)reply, (unsigned)status, body ? body : "", note ? note : "");
  char *trnref = NULL;
  ipc_result rt = ipc_decision_trnref(d, &trnref);
  if (want_action == IPC_ACTION_MARK_PAID) {
    ok(rt == IPC_RESULT_OK, "decision_trnref for MARK_PAID");
    snprintf(label, sizeof label, "decide %s: trnref to record", name);
    ok_string(trnref, "410227", label);
  } else {
    snprintf(label, sizeof label, "decide %s: no trnref for other actions", name);
    ok(rt == IPC_RESULT_NOT_FOUND && trnref == NULL, label);
  }
  ipc_string_free(body);
  ipc_string_free(note);
  ipc_decision_free(d);
}

static void test_notify_flow(ipc_config *config) {
  const char *body = "IPCmethod=IPCPurchaseNotify&SID=" SID "&Amount=24.45&Currency=EUR&OrderID=ORDER-0001&IPC_Trnref=410227"
                     "&RequestSTAN=083107&RequestDateTime=2026-01-15+14%3A49%3A48&PaymentMethod=1&BillingDescriptor=myPOS++%2A+TESTSTORE&PAN=4444";
  ipc_message *m = notify(config, body, IPC_RESULT_OK, "notify: signed with the simulated myPOS key, parsed and verified");
  if (m == NULL) return;
  ok_kind(m, IPC_MESSAGE_KIND_PURCHASE_NOTIFY, "message: kind PURCHASE_NOTIFY");
  char *s = NULL;
  ok_out(ipc_message_method(m, &s), &s, "IPCPurchaseNotify", "message_method", "message: method");
  ok_out(ipc_message_order_id(m, &s), &s, "ORDER-0001", "message_order_id", "message: order id");
  ok_out(ipc_message_trnref(m, &s), &s, "410227", "message_trnref", "message: trnref");
  ok_out(ipc_message_amount(m, &s), &s, "24.45", "message_amount", "message: amount text");
  ok_out(ipc_message_currency(m, &s), &s, "EUR", "message_currency", "message: currency");
  ok_out(ipc_message_get(m, "billingdescriptor", &s), &s, "myPOS  * TESTSTORE", "message_get (case-insensitive)", "message: decoded field value");

  expect_decision(m, 2445, "EUR", IPC_ORDER_STATE_AWAITING_PAYMENT, NULL, SID, IPC_ACTION_MARK_PAID, IPC_REPLY_OK, 200, "OK", "awaiting payment");
  expect_decision(m, 2445, "EUR", IPC_ORDER_STATE_PAID, "410227", SID, IPC_ACTION_DUPLICATE, IPC_REPLY_OK, 200, "OK", "repeat of the same payment");
  expect_decision(m, 2445, "EUR", IPC_ORDER_STATE_PAID, "999999", SID, IPC_ACTION_ALREADY_PAID_OTHERWISE, IPC_REPLY_NOT_OK, 409, "NOT OK", "paid by another payment");
  expect_decision(m, 2500, "EUR", IPC_ORDER_STATE_AWAITING_PAYMENT, NULL, SID, IPC_ACTION_HOLD_MISMATCH, IPC_REPLY_NOT_OK, 409, "NOT OK", "amount mismatch");
  expect_decision(m, 2445, "BGN", IPC_ORDER_STATE_AWAITING_PAYMENT, NULL, SID, IPC_ACTION_HOLD_MISMATCH, IPC_REPLY_NOT_OK, 409, "NOT OK", "currency mismatch");
  expect_decision(m, 0, NULL, IPC_ORDER_STATE_UNKNOWN_ORDER, NULL, SID, IPC_ACTION_UNKNOWN_ORDER, IPC_REPLY_NOT_OK, 409, "NOT OK", "unknown order");
  expect_decision(m, 2445, "EUR", IPC_ORDER_STATE_AWAITING_PAYMENT, NULL, "000000000000099", IPC_ACTION_IGNORE, IPC_REPLY_BAD_REQUEST, 400, "INVALID", "another store");
  ipc_message_free(m);

  /* The same notify, tampered after signing, never becomes a message. */
  char *signed_body = NULL;
  if (ipc_sign_form((const uint8_t *)body, strlen(body), sim_key, &signed_body) == IPC_RESULT_OK) {
    char *amount = strstr(signed_body, "Amount=24.45");
    amount[7] = '9';
    ipc_message *bad = NULL;
    ok_code(ipc_message_parse((const uint8_t *)signed_body, strlen(signed_body), config, &bad), IPC_RESULT_SIGNATURE_INVALID, "notify: tampered amount is SIGNATURE_INVALID");
    ok(bad == NULL, "notify: no message for a tampered body");
    ipc_string_free(signed_body);
  }
  /* Signed with the merchant key instead of myPOS's: not from myPOS. */
  signed_body = NULL;
  if (ipc_sign_form((const uint8_t *)body, strlen(body), merchant_key, &signed_body) == IPC_RESULT_OK) {
    ipc_message *bad = NULL;
    ok_code(ipc_message_parse((const uint8_t *)signed_body, strlen(signed_body), config, &bad), IPC_RESULT_SIGNATURE_INVALID, "notify: signed by a foreign key");
    ipc_string_free(signed_body);
  }

  const char *rollback = "IPCmethod=IPCPurchaseRollback&SID=" SID "&Amount=24.45&Currency=EUR&OrderID=ORDER-0001";
  m = notify(config, rollback, IPC_RESULT_OK, "rollback: parsed and verified");
  if (m != NULL) {
    ok_kind(m, IPC_MESSAGE_KIND_PURCHASE_ROLLBACK, "rollback: kind PURCHASE_ROLLBACK");
    expect_decision(m, 2445, "EUR", IPC_ORDER_STATE_PAID, "410227", SID, IPC_ACTION_MARK_FAILED, IPC_REPLY_OK, 200, "OK", "rollback of a paid order");
    char *t = NULL;
    ok_code(ipc_message_trnref(m, &t), IPC_RESULT_NOT_FOUND, "rollback: no IPC_Trnref");
    ipc_message_free(m);
  }
  const char *cancel = "IPCmethod=IPCPurchaseCancel&SID=" SID "&Amount=24.45&Currency=EUR&OrderID=ORDER-0001";
  m = notify(config, cancel, IPC_RESULT_OK, "cancel: parsed and verified");
  if (m != NULL) {
    ok_kind(m, IPC_MESSAGE_KIND_PURCHASE_CANCEL, "cancel: kind PURCHASE_CANCEL");
    expect_decision(m, 2445, "EUR", IPC_ORDER_STATE_AWAITING_PAYMENT, NULL, SID, IPC_ACTION_KEEP_PAYABLE, IPC_REPLY_REDIRECT_TO_PAYMENT, 303, "", "buyer cancelled");
    ipc_message_free(m);
  }
  const char *probe = "IPCmethod=IPCSignatureVerify";
  m = notify(config, probe, IPC_RESULT_OK, "probe: parsed and verified");
  if (m != NULL) {
    ok_kind(m, IPC_MESSAGE_KIND_SIGNATURE_VERIFY, "probe: kind SIGNATURE_VERIFY");
    expect_decision(m, 0, NULL, IPC_ORDER_STATE_UNKNOWN_ORDER, NULL, SID, IPC_ACTION_ACKNOWLEDGE, IPC_REPLY_OK, 200, "OK", "connection probe");
    ipc_message_free(m);
  }
}

static void check_request(ipc_result r, ipc_request **reqp, const char *method, const char *field, const char *value, const char *name) {
  char label[200];
  snprintf(label, sizeof label, "%s: signed", name);
  if (!ok_code(r, IPC_RESULT_OK, label)) return;
  ipc_request *req = *reqp;
  char *m = NULL, *v = NULL, *body = NULL;
  ipc_request_get(req, "IPCmethod", &m);
  snprintf(label, sizeof label, "%s: IPCmethod %s", name, method);
  ok_string(m, method, label);
  ipc_result rv = ipc_request_get(req, field, &v);
  snprintf(label, sizeof label, "%s: %s = %s", name, field, value);
  ok(rv == IPC_RESULT_OK, "request_get");
  ok_string(v, value, label);
  snprintf(label, sizeof label, "%s: body verifies with the merchant certificate", name);
  if (ipc_request_body(req, &body) == IPC_RESULT_OK) {
    ok_code(ipc_verify_form((const uint8_t *)body, strlen(body), merchant_cert), IPC_RESULT_OK, label);
    ipc_string_free(body);
  } else {
    ok(0, label);
  }
  ipc_request_free(req);
}

static void test_api_requests(ipc_config *config) {
  ipc_request *req = NULL;
  check_request(ipc_refund_sign(config, "ORDER-0001", "410227", 1000, "EUR", IPC_OUTPUT_FORMAT_JSON, &req), &req, "IPCRefund", "Amount", "10.00", "refund");
  req = NULL;
  check_request(ipc_reversal_sign(config, "410227", IPC_OUTPUT_FORMAT_XML, &req), &req, "IPCReversal", "OutputFormat", "xml", "reversal");
  req = NULL;
  check_request(ipc_get_txn_status_sign(config, "ORDER-0001", IPC_OUTPUT_FORMAT_JSON, &req), &req, "IPCGetTxnStatus", "OrderID", "ORDER-0001", "get_txn_status");
  req = NULL;
  check_request(ipc_get_payment_status_sign(config, "ORDER-0001", IPC_OUTPUT_FORMAT_JSON, &req), &req, "IPCGetPaymentStatus", "SID", SID, "get_payment_status");
  ipc_generic *g = NULL;
  req = NULL;
  if (ok_code(ipc_generic_new("IPCGetTxnLog", &g), IPC_RESULT_OK, "generic_new")) {
    ok_code(ipc_generic_add_param(g, "OrderID", "ORDER-0001"), IPC_RESULT_OK, "generic_add_param OrderID");
    ok_code(ipc_generic_add_param(g, "OutputFormat", "json"), IPC_RESULT_OK, "generic_add_param OutputFormat");
    check_request(ipc_generic_sign(g, config, &req), &req, "IPCGetTxnLog", "OutputFormat", "json", "generic");
    ipc_generic_free(g);
  }
}

/* ipc_config_with derives a variant and leaves the original as it was. */
static void test_config_options(ipc_config *config) {
  ipc_config *bg = NULL, *partner = NULL, *bad = NULL;
  ipc_request *req = NULL;
  if (ok_code(ipc_config_with(config, "language", "BG", &bg), IPC_RESULT_OK, "config_with: language BG")) {
    ipc_config *bg_src = NULL;
    if (ok_code(ipc_config_with(bg, "source", "my-shop/1.0", &bg_src), IPC_RESULT_OK, "config_with: source")) {
      if (ok_code(ipc_get_payment_status_sign(bg_src, "ORDER-0001", IPC_OUTPUT_FORMAT_JSON, &req), IPC_RESULT_OK, "config_with: a request signs with the derived config")) {
        ok_field(req, "IPCLanguage", "BG", "config_with: IPCLanguage present", "config_with: IPCLanguage is the derived language");
        ok_field(req, "Source", "my-shop/1.0", "config_with: Source present", "config_with: Source is the derived source");
        ipc_request_free(req);
      }
      ipc_config_free(bg_src);
    }
    ipc_config_free(bg);
  }
  req = NULL;
  if (ok_code(ipc_get_payment_status_sign(config, "ORDER-0001", IPC_OUTPUT_FORMAT_JSON, &req), IPC_RESULT_OK, "config_with: the original still signs")) {
    ok_field(req, "IPCLanguage", "en", "config_with: original IPCLanguage present", "config_with: the original keeps its language");
    ipc_request_free(req);
  }
  ok_code(ipc_config_with(config, "version", "1.4.1", &bad), IPC_RESULT_INVALID_CONFIG, "config_with: 1.4.1 without ApplicationID/PartnerID refused");
  ok(bad == NULL, "config_with: nothing returned on error");
  ok(last_error_has("ApplicationID"), "config_with: the error names ApplicationID");
  ok_code(ipc_config_with(config, "language", "Bulgarian", &bad), IPC_RESULT_INVALID_CONFIG, "config_with: a bad language refused");
  ok(last_error_has("language"), "config_with: the error names the language");
  ok_code(ipc_config_with(config, "colour", "red", &bad), IPC_RESULT_INVALID_ARGUMENT, "config_with: an unknown option refused");
  ok(last_error_has("colour"), "config_with: the error names the option");
  ok_code(ipc_config_with(NULL, "language", "BG", &bad), IPC_RESULT_NULL_ARGUMENT, "config_with: NULL config");
  ok_code(ipc_config_with(config, "language", "BG", NULL), IPC_RESULT_NULL_ARGUMENT, "config_with: NULL config_out");
  ipc_config *a = NULL, *b = NULL;
  if (ok_code(ipc_config_with(config, "application_id", "APP-1", &a), IPC_RESULT_OK, "config_with: application_id") &&
      ok_code(ipc_config_with(a, "partner_id", "PARTNER-1", &b), IPC_RESULT_OK, "config_with: partner_id") &&
      ok_code(ipc_config_with(b, "version", "1.4.1", &partner), IPC_RESULT_OK, "config_with: version 1.4.1 with partner ids")) {
    req = NULL;
      if (ok_code(ipc_get_payment_status_sign(partner, "ORDER-0001", IPC_OUTPUT_FORMAT_JSON, &req), IPC_RESULT_OK, "config_with: 1.4.1 request signs")) {
      ok_field(req, "IPCVersion", "1.4.1", "config_with: IPCVersion present", "config_with: IPCVersion is 1.4.1");
      ipc_request_free(req);
    }
  }
  ipc_config_free(a);
  ipc_config_free(b);
  ipc_config_free(partner);
}

int main(void) {
  if ((data = test_data()) == NULL || !read_all(data, "merchant_private.pem", &merchant_key, "merchant_cert.pem", &merchant_cert,
                                                   "sim_mypos_private.pem", &sim_key, "sim_mypos_cert.pem", &sim_cert, NULL)) {
    return 1;
  }
  ipc_config *config = NULL;
  if (ok_code(ipc_config_new(SID, "61938166610", 1, merchant_key, sim_cert, "http://127.0.0.1:9/vmp/checkout-test", &config), IPC_RESULT_OK, "config_new with the simulated myPOS certificate")) {
    char *sid = NULL;
    ok_code(ipc_config_sid(config, &sid), IPC_RESULT_OK, "config_sid");
    ok_string(sid, SID, "config: SID");
    ipc_request *req = sign_purchase(config);
    if (req != NULL) {
      check_purchase(req);
      ipc_request_free(req);
    }
    test_notify_flow(config);
    test_api_requests(config);
    test_config_options(config);
  }
  ipc_config_free(config);
  free_each(4, merchant_key, merchant_cert, sim_key, sim_cert);
  return tap_done();
}
