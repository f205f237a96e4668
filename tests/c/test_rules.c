/* The protocol rules the core owns for every binding: amounts in minor units, one
 * configuration field at a time, the form that submits itself by id, the nested status
 * message verified as a message, and result codes equal to the core's error kinds. */
#include "tap.h"

#define SID "000000000000010"

static const char *data;
static char *merchant_key, *mypos_cert, *sim_cert;

static void test_amounts(void) {
  int64_t minor = -1;
  ok_code(ipc_amount_parse("12.30", "EUR", &minor), IPC_RESULT_OK, "amount_parse: 12.30 EUR");
  ok(minor == 1230, "amount_parse: 12.30 EUR is 1230 cents");
  ok_code(ipc_amount_parse("12.3", "EUR", &minor), IPC_RESULT_OK, "amount_parse: 12.3 EUR");
  ok(minor == 1230, "amount_parse: 12.3 EUR is 1230 cents");
  ok_code(ipc_amount_parse("1500", "HUF", &minor), IPC_RESULT_OK, "amount_parse: 1500 HUF");
  ok(minor == 1500, "amount_parse: HUF has no decimals");
  ok_code(ipc_amount_parse("1500.00", "JPY", &minor), IPC_RESULT_OK, "amount_parse: zero decimals beyond JPY's accepted");
  ok(minor == 1500, "amount_parse: 1500.00 JPY is 1500");
  minor = 7;
  ok_code(ipc_amount_parse("12.345", "EUR", &minor), IPC_RESULT_INVALID_REQUEST, "amount_parse: 12.345 EUR refused");
  ok(last_error_has("more decimals than EUR allows (2)"), "amount_parse: the detail names the decimals rule");
  ok(minor == 7, "amount_parse: out-parameter untouched on failure");
  ok_code(ipc_amount_parse("1e3", "EUR", &minor), IPC_RESULT_INVALID_REQUEST, "amount_parse: exponent refused");
  ok(last_error_has("not a plain decimal"), "amount_parse: the detail says why");
  ok_code(ipc_amount_parse("1500.5", "HUF", &minor), IPC_RESULT_INVALID_REQUEST, "amount_parse: decimals for HUF refused");
  ok_code(ipc_amount_parse("12.30", "eur", &minor), IPC_RESULT_INVALID_REQUEST, "amount_parse: lower-case currency refused");
  ok_code(ipc_amount_parse(NULL, "EUR", &minor), IPC_RESULT_NULL_ARGUMENT, "amount_parse: NULL text");
  ok_code(ipc_amount_parse("1", "EUR", NULL), IPC_RESULT_NULL_ARGUMENT, "amount_parse: NULL out");
}

static void test_fields(void) {
  ok_code(ipc_config_validate_field("sid", SID), IPC_RESULT_OK, "validate_field: a good SID");
  ok_code(ipc_config_validate_field("wallet", "61938166610"), IPC_RESULT_OK, "validate_field: a good wallet");
  ok_code(ipc_config_validate_field("key_index", "1"), IPC_RESULT_OK, "validate_field: key index 1");
  ok_code(ipc_config_validate_field("private_key", merchant_key), IPC_RESULT_OK, "validate_field: a good private key");
  ok_code(ipc_config_validate_field("mypos_certificate", mypos_cert), IPC_RESULT_OK, "validate_field: a good certificate");
  ok_code(ipc_config_validate_field("sid", "12345"), IPC_RESULT_INVALID_CONFIG, "validate_field: a short SID");
  ok(last_error_has("'sid'") && last_error_has("15 alphanumeric"), "validate_field: the detail names the SID rule");
  ok_code(ipc_config_validate_field("wallet", "6193816661X"), IPC_RESULT_INVALID_CONFIG, "validate_field: a wallet with a letter");
  ok_code(ipc_config_validate_field("key_index", "0"), IPC_RESULT_INVALID_CONFIG, "validate_field: key index 0");
  ok(last_error_has("'key_index'"), "validate_field: the detail names key_index");
  ok_code(ipc_config_validate_field("private_key", "not a key"), IPC_RESULT_INVALID_CONFIG, "validate_field: a private key that is no PEM");
  ok(!last_error_has("not a key"), "validate_field: the detail does not repeat the key text");
  ok_code(ipc_config_validate_field("colour", "red"), IPC_RESULT_INVALID_REQUEST, "validate_field: an unknown field");
  ok_code(ipc_config_validate_field(NULL, "x"), IPC_RESULT_NULL_ARGUMENT, "validate_field: NULL name");
}

static void test_embedded_form(ipc_config *config) {
  ipc_request *req = NULL;
  if (!ok_code(ipc_get_txn_status_sign(config, "ORDER-1", IPC_OUTPUT_FORMAT_JSON, &req), IPC_RESULT_OK, "form: a request to show")) return;
  char *html = NULL;
  if (ok_code(ipc_request_html_form_embedded(req, "shop-pay", "Pay <now>", &html), IPC_RESULT_OK, "form: embedded")) {
    const char *start = "<form id=\"shop-pay\" method=\"post\"";
    ok(strncmp(html, start, strlen(start)) == 0, "form: starts with the form of that id");
    ok(strstr(html, "document.getElementById(\"shop-pay\").submit();") != NULL, "form: submits itself by id");
    ok(strstr(html, "forms[0]") == NULL && strstr(html, "<body") == NULL, "form: no page, no first-form submit");
    ok(strstr(html, ">Pay &lt;now&gt;</button>") != NULL, "form: the button label is escaped");
    ipc_string_free(html);
  }
  html = NULL;
  if (ok_code(ipc_request_html_form(req, &html), IPC_RESULT_OK, "form: whole page")) {
    ok(strstr(html, "document.getElementById(\"mypos-ipc\").submit();") != NULL && strstr(html, "forms[0]") == NULL,
       "form: the page's form submits itself by id too");
    ipc_string_free(html);
  }
  html = NULL;
  ok_code(ipc_request_html_form_embedded(req, "x\");alert(1);//", "Pay", &html), IPC_RESULT_INVALID_REQUEST, "form: an unsafe id refused");
  ok(html == NULL && last_error_has("form_id"), "form: nothing returned, the detail names form_id");
  ipc_request_free(req);
}

static void test_status_message(void) {
  ipc_config *config = NULL, *other = NULL;
  ok_code(ipc_config_new(SID, "61938166610", 1, merchant_key, mypos_cert, "test", &config), IPC_RESULT_OK, "status: config");
  ok_code(ipc_config_new(SID, "61938166610", 1, merchant_key, sim_cert, "test", &other), IPC_RESULT_OK, "status: config with another certificate");
  const char *names[] = {"gettxnstatus_json.response", "gettxnstatus_xml.response"};
  for (size_t i = 0; i < 2; i++) {
    size_t len = 0;
    char *body = read_in(data, names[i], &len);
    ipc_response *r = NULL;
    if (body != NULL && ok_code(ipc_response_parse((const uint8_t *)body, len, IPC_OUTPUT_FORMAT_AUTO, config, &r), IPC_RESULT_OK, names[i])) {
      ipc_message *m = NULL;
      if (ok_code(ipc_response_order_status_message(r, config, &m), IPC_RESULT_OK, "status: the nested message verifies as a message")) {
        ok_kind(m, IPC_MESSAGE_KIND_PURCHASE_NOTIFY, "status: it is a purchase notify");
        char *trnref = NULL;
        ok_out(ipc_message_trnref(m, &trnref), &trnref, "410227", "status: IPC_Trnref present", "status: IPC_Trnref of the nested message");
        ipc_message_free(m);
      }
      m = NULL;
      ok_code(ipc_response_order_status_message(r, other, &m), IPC_RESULT_SIGNATURE_INVALID, "status: another certificate does not verify it");
      ok(m == NULL, "status: nothing returned on failure");
      ipc_response_free(r);
    }
    free(body);
  }
  size_t len = 0;
  char *refund = read_in(data, "refund_json.response", &len);
  ipc_response *r = NULL;
  if (refund != NULL && ok_code(ipc_response_parse((const uint8_t *)refund, len, IPC_OUTPUT_FORMAT_AUTO, config, &r), IPC_RESULT_OK, "status: a refund answer")) {
    ipc_message *m = NULL;
    ok_code(ipc_response_order_status_message(r, config, &m), IPC_RESULT_NOT_FOUND, "status: an answer without OrderStatus is NOT_FOUND");
    ipc_response_free(r);
  }
  free(refund);
  ipc_config_free(config);
  ipc_config_free(other);
}

static void test_codes(void) {
  /* The numbers are the core's ErrorKind numbers: fixed, never reused. */
  ok(IPC_RESULT_SIGNATURE_INVALID == 1 && IPC_RESULT_BAD_KEY == 8 && IPC_RESULT_INVALID_CONFIG == 11 &&
     IPC_RESULT_INVALID_REQUEST == 13 && IPC_RESULT_INVALID_ARGUMENT == 18 && IPC_RESULT_INTERNAL_ERROR == 21,
     "codes: stable numbers");
}

int main(void) {
  if ((data = test_data()) == NULL || !read_all(data, "merchant_private.pem", &merchant_key, "mypos_cert.pem", &mypos_cert,
                                                   "sim_mypos_cert.pem", &sim_cert, NULL)) {
    return 1;
  }
  test_amounts();
  test_fields();
  ipc_config *config = NULL;
  if (ok_code(ipc_config_new(SID, "61938166610", 1, merchant_key, mypos_cert, "test", &config), IPC_RESULT_OK, "config")) {
    test_embedded_form(config);
    ipc_config_free(config);
  }
  test_status_message();
  test_codes();
  free(merchant_key);
  free(mypos_cert);
  free(sim_cert);
  return tap_done();
}
