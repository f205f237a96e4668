/* Error paths of libipc: NULL, invalid UTF-8, empty and huge buffers, bad keys, malformed
 * bodies, unsigned answers, bad enum values; result texts, last-error detail, version. */
#include "tap.h"

static const char *data;
static char *merchant_key, *merchant_cert, *sim_key, *sim_cert;

#define SENTINEL ((char *)0x1)

static void test_version_and_texts(void) {
  const char *want = getenv("IPC_EXPECTED_VERSION");
  ok(want != NULL && strcmp(ipc_version(), want) == 0, "ipc_version equals the crate version");
  char macro[64];
  snprintf(macro, sizeof macro, "%d.%d.%d", IPC_VERSION_MAJOR, IPC_VERSION_MINOR, IPC_VERSION_PATCH);
  ok(strcmp(ipc_version(), macro) == 0, "IPC_VERSION_* macros equal ipc_version()");
  ok(strcmp(ipc_result_str(IPC_RESULT_OK), "ok") == 0, "ipc_result_str(OK)");
  ok(strcmp(ipc_result_str(IPC_RESULT_SIGNATURE_INVALID), "signature invalid") == 0, "ipc_result_str(SIGNATURE_INVALID)");
  ok(strcmp(ipc_result_str(IPC_RESULT_BUFFER_TOO_LARGE), "buffer too large") == 0, "ipc_result_str(BUFFER_TOO_LARGE)");
  ok(strcmp(ipc_result_str(4000000000u), "unknown result code") == 0, "ipc_result_str has text for unknown codes");
  int distinct = 1;
  for (uint32_t a = 0; a <= IPC_RESULT_INTERNAL_ERROR; a++)
    for (uint32_t b = a + 1; b <= IPC_RESULT_INTERNAL_ERROR; b++)
      if (strcmp(ipc_result_str(a), ipc_result_str(b)) == 0) distinct = 0;
  ok(distinct, "every result code has its own text");
}

static void test_sign_form_errors(void) {
  const char *body = "IPCmethod=IPCPurchaseNotify&Amount=1.00";
  size_t len = strlen(body);
  char *out = SENTINEL;

  ok_code(ipc_sign_form(NULL, 3, merchant_key, &out), IPC_RESULT_NULL_ARGUMENT, "sign_form: NULL body");
  ok(out == SENTINEL, "sign_form: out-param untouched on failure");
  ok(ipc_last_error_message() != NULL && strstr(ipc_last_error_message(), "body") != NULL, "sign_form: last error names the NULL argument");
  ok_code(ipc_sign_form((const uint8_t *)body, len, NULL, &out), IPC_RESULT_NULL_ARGUMENT, "sign_form: NULL key");
  ok_code(ipc_sign_form((const uint8_t *)body, len, merchant_key, NULL), IPC_RESULT_NULL_ARGUMENT, "sign_form: NULL out-param");
  ok_code(ipc_sign_form((const uint8_t *)body, 0, merchant_key, &out), IPC_RESULT_MALFORMED_BODY, "sign_form: empty body is malformed");
  ok_code(ipc_sign_form((const uint8_t *)body, (size_t)2 << 20, merchant_key, &out), IPC_RESULT_BUFFER_TOO_LARGE, "sign_form: length over 1 MiB");
  ok_code(ipc_sign_form((const uint8_t *)body, SIZE_MAX, merchant_key, &out), IPC_RESULT_BUFFER_TOO_LARGE, "sign_form: SIZE_MAX length");
  const char bad_utf8[] = "A=\xff\xfe";
  ok_code(ipc_sign_form((const uint8_t *)bad_utf8, strlen(bad_utf8), merchant_key, &out), IPC_RESULT_INVALID_UTF8, "sign_form: invalid UTF-8 body");
  const char *bad_pct = "A=%FF";
  ok_code(ipc_sign_form((const uint8_t *)bad_pct, strlen(bad_pct), merchant_key, &out), IPC_RESULT_INVALID_UTF8, "sign_form: percent-encoded invalid UTF-8");
  ok_code(ipc_sign_form((const uint8_t *)body, len, "\xc3\x28", &out), IPC_RESULT_INVALID_UTF8, "sign_form: invalid UTF-8 key string");
  ok_code(ipc_sign_form((const uint8_t *)body, len, "not a pem", &out), IPC_RESULT_BAD_KEY, "sign_form: key that is not PEM");
  ok_code(ipc_sign_form((const uint8_t *)body, len, merchant_cert, &out), IPC_RESULT_BAD_KEY, "sign_form: a certificate is not a private key");
  const char *with_sig = "A=1&Signature=abc";
  ok_code(ipc_sign_form((const uint8_t *)with_sig, strlen(with_sig), merchant_key, &out), IPC_RESULT_MALFORMED_BODY, "sign_form: body already holding Signature");
  const char *empty_seg = "A=1&&B=2";
  ok_code(ipc_sign_form((const uint8_t *)empty_seg, strlen(empty_seg), merchant_key, &out), IPC_RESULT_MALFORMED_BODY, "sign_form: empty segment");
  const char *no_eq = "A=1&B";
  ok_code(ipc_sign_form((const uint8_t *)no_eq, strlen(no_eq), merchant_key, &out), IPC_RESULT_MALFORMED_BODY, "sign_form: name without '='");
  const char *dup = "A=1&a=2";
  ok_code(ipc_sign_form((const uint8_t *)dup, strlen(dup), merchant_key, &out), IPC_RESULT_DUPLICATE_FIELD, "sign_form: duplicate field (case-insensitive)");
  ok(out == SENTINEL, "sign_form: out-param still untouched after every failure");
  ok_code(ipc_sign_form((const uint8_t *)body, len, merchant_key, &out), IPC_RESULT_OK, "sign_form: succeeds");
  ok(ipc_last_error_message() == NULL, "last error is NULL after a success");
  ok(out != SENTINEL && strncmp(out, body, len) == 0 && strncmp(out + len, "&Signature=", 11) == 0, "sign_form: body kept, Signature appended");
  ipc_string_free(out);
}

static void test_secrets_stay_out_of_errors(void) {
  /* A damaged private key: the detail must not echo its base64. */
  char *damaged = dup_string(merchant_key);
  char *mid = strstr(damaged, "\n") + 20;
  memcpy(mid, "!!!!", 4);
  char *out = SENTINEL;
  const char *body = "A=1";
  ipc_result r = ipc_sign_form((const uint8_t *)body, 3, damaged, &out);
  ok_code(r, IPC_RESULT_BAD_KEY, "sign_form: damaged key is BAD_KEY");
  const char *detail = ipc_last_error_message();
  char line[41];
  memcpy(line, strstr(merchant_key, "\n") + 1, 40);
  line[40] = '\0';
  ok(detail != NULL && strstr(detail, line) == NULL && strstr(detail, "MII") == NULL, "error detail holds no key material");
  free(damaged);
  ipc_result v = ipc_verify_form((const uint8_t *)"A=1&Signature=AAAA", 18, merchant_key);
  ok_code(v, IPC_RESULT_BAD_KEY, "verify_form: a private key is not a certificate");
  detail = ipc_last_error_message();
  ok(detail != NULL && strstr(detail, line) == NULL, "verify_form error detail holds no key material");
}

static void test_verify_errors(void) {
  const char *body = "IPCmethod=IPCPurchaseNotify&Amount=1.00";
  char *signed_body = NULL;
  if (!ok_code(ipc_sign_form((const uint8_t *)body, strlen(body), sim_key, &signed_body), IPC_RESULT_OK, "verify: sign a body with the simulated myPOS key")) return;
  size_t len = strlen(signed_body);
  ok_code(ipc_verify_form((const uint8_t *)signed_body, len, sim_cert), IPC_RESULT_OK, "verify_form: valid");
  ok_code(ipc_verify_form((const uint8_t *)signed_body, len, merchant_cert), IPC_RESULT_SIGNATURE_INVALID, "verify_form: wrong certificate");
  char *tampered = dup_string(signed_body);
  tampered[strlen("IPCmethod=IPCPurchaseNotify&Amount=")] = '9';
  ok_code(ipc_verify_form((const uint8_t *)tampered, len, sim_cert), IPC_RESULT_SIGNATURE_INVALID, "verify_form: tampered amount");
  free(tampered);
  ok_code(ipc_verify_form(NULL, len, sim_cert), IPC_RESULT_NULL_ARGUMENT, "verify_form: NULL body");
  ok_code(ipc_verify_form((const uint8_t *)signed_body, len, NULL), IPC_RESULT_NULL_ARGUMENT, "verify_form: NULL certificate");
  ok_code(ipc_verify_form((const uint8_t *)signed_body, 0, sim_cert), IPC_RESULT_MALFORMED_BODY, "verify_form: empty body");
  ok_code(ipc_verify_form((const uint8_t *)signed_body, (size_t)IPC_MAX_BODY_BYTES + 1, sim_cert), IPC_RESULT_BUFFER_TOO_LARGE, "verify_form: IPC_MAX_BODY_BYTES + 1");
  ok_code(ipc_verify_form((const uint8_t *)body, strlen(body), sim_cert), IPC_RESULT_MISSING_SIGNATURE, "verify_form: missing Signature");
  const char *empty_sig = "A=1&Signature=";
  ok_code(ipc_verify_form((const uint8_t *)empty_sig, strlen(empty_sig), sim_cert), IPC_RESULT_MALFORMED_SIGNATURE, "verify_form: empty Signature");
  const char *junk_sig = "A=1&Signature=ab*cd";
  ok_code(ipc_verify_form((const uint8_t *)junk_sig, strlen(junk_sig), sim_cert), IPC_RESULT_MALFORMED_SIGNATURE, "verify_form: Signature outside base64");
  const char *two_sigs = "A=1&Signature=AAAA&signature=AAAA";
  ipc_result two = ipc_verify_form((const uint8_t *)two_sigs, strlen(two_sigs), sim_cert);
  ok(two != IPC_RESULT_OK && two != IPC_RESULT_SIGNATURE_INVALID, "verify_form: duplicated Signature is malformed");
  ok_code(ipc_verify_form((const uint8_t *)signed_body, len, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"), IPC_RESULT_BAD_KEY, "verify_form: certificate that does not parse");
  ipc_string_free(signed_body);
}

static ipc_config *make_config(void) {
  ipc_config *config = NULL;
  ipc_result r = ipc_config_new("000000000000010", "61938166610", 1, merchant_key, sim_cert, "test", &config);
  return r == IPC_RESULT_OK ? config : NULL;
}

static void test_config_errors(void) {
  ipc_config *config = (ipc_config *)SENTINEL;
  ok_code(ipc_config_new(NULL, "61938166610", 1, merchant_key, sim_cert, "test", &config), IPC_RESULT_NULL_ARGUMENT, "config_new: NULL sid");
  ok_code(ipc_config_new("bad sid!", "61938166610", 1, merchant_key, sim_cert, "test", &config), IPC_RESULT_INVALID_CONFIG, "config_new: invalid SID");
  ipc_result bad_key = ipc_config_new("000000000000010", "61938166610", 1, "junk", sim_cert, "test", &config);
  ok(bad_key == IPC_RESULT_INVALID_CONFIG || bad_key == IPC_RESULT_BAD_KEY, "config_new: unparsable private key is refused");
  ok_code(ipc_config_new("000000000000010", "61938166610", 1, merchant_key, sim_cert, "ftp://example.com", &config), IPC_RESULT_INVALID_CONFIG, "config_new: bad endpoint");
  ok_code(ipc_config_new("000000000000010", "61938166610", 1, merchant_key, sim_cert, "test", NULL), IPC_RESULT_NULL_ARGUMENT, "config_new: NULL out-param");
  ok_code(ipc_config_from_pack("not a pack", "test", &config), IPC_RESULT_INVALID_CONFIG_PACK, "config_from_pack: not base64");
  ok_code(ipc_config_from_pack("e30=", "test", &config), IPC_RESULT_INVALID_CONFIG_PACK, "config_from_pack: empty JSON object");
  ok(config == (ipc_config *)SENTINEL, "config: out-param untouched on failure");
  ipc_config_free(NULL);
  ok(1, "config_free(NULL) is a no-op");
}

static void test_request_errors(ipc_config *config) {
  ipc_purchase *p = NULL;
  ipc_request *req = (ipc_request *)SENTINEL;
  ok_code(ipc_purchase_new("ORDER-1", 1000, "eur", "https://s.example/ok", "https://s.example/c", "https://s.example/n", &p), IPC_RESULT_INVALID_REQUEST, "purchase_new: lower-case currency");
  ok_code(ipc_purchase_new("ORDER-1", 1000, "EUR", "https://s.example/ok", "https://s.example/c", "https://s.example/n", &p), IPC_RESULT_OK, "purchase_new: ok");
  ok_code(ipc_purchase_add_item(p, "Thing", 1, 999, false), IPC_RESULT_OK, "purchase_add_item: ok");
  ok_code(ipc_purchase_sign(p, config, &req), IPC_RESULT_INVALID_REQUEST, "purchase_sign: cart does not add up");
  ok_code(ipc_purchase_add_item(NULL, "Thing", 1, 1, false), IPC_RESULT_NULL_ARGUMENT, "purchase_add_item: NULL purchase");
  ok_code(ipc_purchase_sign(p, NULL, &req), IPC_RESULT_NULL_ARGUMENT, "purchase_sign: NULL config");
  ipc_purchase_free(p);
  p = NULL;
  ok_code(ipc_purchase_new("ORDER-2", 1000, "EUR", "http://shop.example/ok", "https://s.example/c", "https://s.example/n", &p), IPC_RESULT_OK, "purchase_new: http URL accepted until signing");
  ok_code(ipc_purchase_add_item(p, "Thing", 1, 1000, false), IPC_RESULT_OK, "purchase_add_item: matching line");
  ok_code(ipc_purchase_sign(p, config, &req), IPC_RESULT_INVALID_REQUEST, "purchase_sign: non-https URL_OK refused");
  ipc_purchase_free(p);
  ok(req == (ipc_request *)SENTINEL, "request out-param untouched on failure");

  ok_code(ipc_refund_sign(config, "ORDER-1", "410227", 100, "EUR", 7, &req), IPC_RESULT_INVALID_ARGUMENT, "refund_sign: unknown output format");
  ok_code(ipc_refund_sign(config, "ORDER-1", "410227", 100, "EUR", IPC_OUTPUT_FORMAT_AUTO, &req), IPC_RESULT_INVALID_ARGUMENT, "refund_sign: AUTO is not a request format");
  ok_code(ipc_refund_sign(config, "ORDER-1", "410227", 0, "EUR", IPC_OUTPUT_FORMAT_JSON, &req), IPC_RESULT_INVALID_REQUEST, "refund_sign: zero amount");
  ok_code(ipc_reversal_sign(config, "", IPC_OUTPUT_FORMAT_JSON, &req), IPC_RESULT_INVALID_REQUEST, "reversal_sign: empty trnref");

  ipc_generic *g = NULL;
  ok_code(ipc_generic_new("IPC-Bad", &g), IPC_RESULT_OK, "generic_new: made (checked on signing)");
  ok_code(ipc_generic_sign(g, config, &req), IPC_RESULT_INVALID_REQUEST, "generic_sign: IPCmethod with a dash");
  ipc_generic_free(g);
  g = NULL;
  ok_code(ipc_generic_new("IPCGetTxnStatus", &g), IPC_RESULT_OK, "generic_new: ok");
  ok_code(ipc_generic_add_param(g, "Signature", "x"), IPC_RESULT_OK, "generic_add_param: recorded");
  ok_code(ipc_generic_sign(g, config, &req), IPC_RESULT_INVALID_REQUEST, "generic_sign: a Signature parameter is refused");
  ipc_generic_free(g);

  ok_code(ipc_get_txn_status_sign(config, "ORDER-1", IPC_OUTPUT_FORMAT_JSON, &req), IPC_RESULT_OK, "get_txn_status_sign: ok");
  size_t count = 0;
  ok_code(ipc_request_field_count(req, &count), IPC_RESULT_OK, "request_field_count");
  char *s = SENTINEL;
  ok_code(ipc_request_field_name(req, count, &s), IPC_RESULT_INVALID_ARGUMENT, "request_field_name: index past the end");
  ok_code(ipc_request_get(req, "NoSuchField", &s), IPC_RESULT_NOT_FOUND, "request_get: absent field");
  ok(s == SENTINEL, "string out-param untouched on NOT_FOUND");
  ok_code(ipc_request_body(NULL, &s), IPC_RESULT_NULL_ARGUMENT, "request_body: NULL request");
  ok_code(ipc_request_body(req, NULL), IPC_RESULT_NULL_ARGUMENT, "request_body: NULL out-param");
  ipc_request_free(req);
  ipc_request_free(NULL);
  ipc_purchase_free(NULL);
  ipc_generic_free(NULL);
  ipc_string_free(NULL);
  ok(1, "every _free and ipc_string_free accept NULL");
}

static void test_message_and_response_errors(ipc_config *config) {
  ipc_message *m = (ipc_message *)SENTINEL;
  const char *unsigned_notify = "IPCmethod=IPCPurchaseNotify&SID=000000000000010";
  ok_code(ipc_message_parse((const uint8_t *)unsigned_notify, strlen(unsigned_notify), config, &m), IPC_RESULT_MISSING_SIGNATURE, "message_parse: unsigned notify");
  ok_code(ipc_message_parse((const uint8_t *)unsigned_notify, (size_t)3 << 20, config, &m), IPC_RESULT_BUFFER_TOO_LARGE, "message_parse: huge length");
  ok_code(ipc_message_parse((const uint8_t *)unsigned_notify, strlen(unsigned_notify), NULL, &m), IPC_RESULT_NULL_ARGUMENT, "message_parse: NULL config");

  /* A correctly signed notify with an impossible Amount. */
  const char *bad_amount = "IPCmethod=IPCPurchaseNotify&SID=000000000000010&Amount=12,50&Currency=EUR&OrderID=O-1&IPC_Trnref=1";
  char *signed_body = NULL;
  if (ok_code(ipc_sign_form((const uint8_t *)bad_amount, strlen(bad_amount), sim_key, &signed_body), IPC_RESULT_OK, "sign a notify with an impossible Amount")) {
    ok_code(ipc_message_parse((const uint8_t *)signed_body, strlen(signed_body), config, &m), IPC_RESULT_INVALID_MESSAGE, "message_parse: verified but impossible Amount");
    ipc_string_free(signed_body);
  }
  ok(m == (ipc_message *)SENTINEL, "message out-param untouched on failure");

  const char *nul_field = "IPCmethod=IPCSignatureVerify&Extra=a%00b";
  signed_body = NULL;
  if (ok_code(ipc_sign_form((const uint8_t *)nul_field, strlen(nul_field), sim_key, &signed_body), IPC_RESULT_OK, "sign a probe with a NUL byte in a field")) {
    ipc_message *probe = NULL;
    if (ok_code(ipc_message_parse((const uint8_t *)signed_body, strlen(signed_body), config, &probe), IPC_RESULT_OK, "message_parse: probe with a NUL in a field")) {
      char *v = SENTINEL;
      ok_code(ipc_message_get(probe, "Extra", &v), IPC_RESULT_NUL_IN_STRING, "message_get: value with NUL cannot be a C string");
      ok_code(ipc_message_get(probe, "Missing", &v), IPC_RESULT_NOT_FOUND, "message_get: absent field");
      ipc_decision *d = (ipc_decision *)SENTINEL;
      ok_code(ipc_decide(probe, 100, "EUR", 99, NULL, "000000000000010", &d), IPC_RESULT_INVALID_ARGUMENT, "decide: unknown order state");
      ok_code(ipc_decide(probe, 100, "EUR", IPC_ORDER_STATE_PAID, NULL, "000000000000010", &d), IPC_RESULT_NULL_ARGUMENT, "decide: paid order without paid_trnref");
      ok_code(ipc_decide(probe, 100, NULL, IPC_ORDER_STATE_AWAITING_PAYMENT, NULL, "000000000000010", &d), IPC_RESULT_NULL_ARGUMENT, "decide: known order without currency");
      ok_code(ipc_decide(probe, 100, "EUR", IPC_ORDER_STATE_AWAITING_PAYMENT, NULL, NULL, &d), IPC_RESULT_NULL_ARGUMENT, "decide: NULL store_sid");
      ok(d == (ipc_decision *)SENTINEL, "decision out-param untouched on failure");
      ipc_message_free(probe);
    }
    ipc_string_free(signed_body);
  }
  ipc_message_free(NULL);
  ipc_decision_free(NULL);

  ipc_response *r = (ipc_response *)SENTINEL;
  const char *unsigned_json = "{\"IPCmethod\":\"IPCRefund\",\"Status\":0,\"StatusMsg\":\"Success\"}";
  ok_code(ipc_response_parse((const uint8_t *)unsigned_json, strlen(unsigned_json), IPC_OUTPUT_FORMAT_AUTO, config, &r), IPC_RESULT_UNSIGNED_RESPONSE, "response_parse: unsigned answer is never trusted");
  const char *unsigned_xml = "<IPC_response><Status>3</Status></IPC_response>";
  ok_code(ipc_response_parse((const uint8_t *)unsigned_xml, strlen(unsigned_xml), IPC_OUTPUT_FORMAT_XML, config, &r), IPC_RESULT_UNSIGNED_RESPONSE, "response_parse: unsigned XML answer");
  const char *junk = "{\"Status\": ";
  ok_code(ipc_response_parse((const uint8_t *)junk, strlen(junk), IPC_OUTPUT_FORMAT_JSON, config, &r), IPC_RESULT_MALFORMED_RESPONSE, "response_parse: truncated JSON");
  ok_code(ipc_response_parse((const uint8_t *)junk, strlen(junk), 42, config, &r), IPC_RESULT_INVALID_ARGUMENT, "response_parse: unknown format value");
  ok_code(ipc_response_parse((const uint8_t *)junk, 0, IPC_OUTPUT_FORMAT_JSON, config, &r), IPC_RESULT_MALFORMED_BODY, "response_parse: empty body");
  ok(r == (ipc_response *)SENTINEL, "response out-param untouched on failure");
  ipc_response_free(NULL);
}

int main(void) {
  if ((data = test_data()) == NULL || !read_all(data, "merchant_private.pem", &merchant_key, "merchant_cert.pem", &merchant_cert,
                                                   "sim_mypos_private.pem", &sim_key, "sim_mypos_cert.pem", &sim_cert, NULL)) {
    return 1;
  }
  test_version_and_texts();
  test_sign_form_errors();
  test_secrets_stay_out_of_errors();
  test_verify_errors();
  test_config_errors();
  ipc_config *config = make_config();
  if (ok(config != NULL, "config for the error tests")) {
    test_request_errors(config);
    test_message_and_response_errors(config);
  }
  ipc_config_free(config);
  free_each(4, merchant_key, merchant_cert, sim_key, sim_cert);
  return tap_done();
}
