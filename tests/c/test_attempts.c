/* Payment attempts through the C ABI (issue 15): attempt OrderIDs, notify decisions that know
 * the attempt (with note codes and values), and refund answers checked against their request. */
#include "tap.h"

#define SID "000000000000010"

static char *merchant_key, *merchant_cert, *sim_key, *sim_cert;

static void test_attempt_ids(void) {
  char *id = NULL;
  ok_code(ipc_attempt_id_format("wp3f9a", "1234", 2, &id), IPC_RESULT_OK, "attempt_id_format");
  ok_string(id, "wp3f9a-1234-2", "attempt_id_format: <prefix>-<order>-<n>");
  id = NULL;
  ok_code(ipc_attempt_id_format("9wp", "1234", 2, &id), IPC_RESULT_INVALID_ARGUMENT, "attempt_id_format: prefix must start with a letter");
  ok(id == NULL && last_error_has("[invalid_prefix]"), "attempt_id_format: the error names the rule, out untouched");
  ok_code(ipc_attempt_id_format("wp", "1234", 0, &id), IPC_RESULT_INVALID_ARGUMENT, "attempt_id_format: attempt 0 refused");
  ok_code(ipc_attempt_id_format(NULL, "1234", 1, &id), IPC_RESULT_NULL_ARGUMENT, "attempt_id_format: NULL prefix");

  char *prefix = (char *)"untouched", *order = NULL;
  uint32_t n = 0;
  ok_code(ipc_attempt_id_parse("wp3f9a-1234-2", &prefix, &order, &n), IPC_RESULT_OK, "attempt_id_parse");
  ok_string(prefix, "wp3f9a", "attempt_id_parse: prefix");
  ok_string(order, "1234", "attempt_id_parse: order");
  ok(n == 2, "attempt_id_parse: attempt 2");
  prefix = (char *)"untouched";
  order = NULL;
  n = 0;
  ok_code(ipc_attempt_id_parse("1234", &prefix, &order, &n), IPC_RESULT_OK, "attempt_id_parse: bare order id");
  ok(prefix == NULL && n == 1, "attempt_id_parse: a bare order id is attempt 1 without a prefix");
  ok_string(order, "1234", "attempt_id_parse: bare order");
  order = NULL;
  ok_code(ipc_attempt_id_parse("wp-1234", &prefix, &order, &n), IPC_RESULT_INVALID_ARGUMENT, "attempt_id_parse: two parts refused");
  ok(order == NULL && last_error_has("[wrong_shape]"), "attempt_id_parse: wrong_shape named, outs untouched");

  struct { const char *text; ipc_attempt_id_error want; } cases[] = {
      {"wp-1234-1", IPC_ATTEMPT_ID_ERROR_NONE},
      {"1234", IPC_ATTEMPT_ID_ERROR_NONE},
      {"", IPC_ATTEMPT_ID_ERROR_EMPTY},
      {"123456789012345678901234567890123456789012345678901234567890123456789012345678901", IPC_ATTEMPT_ID_ERROR_TOO_LONG},
      {"wp-12 4-1", IPC_ATTEMPT_ID_ERROR_INVALID_CHARACTER},
      {"wp-1-2-3", IPC_ATTEMPT_ID_ERROR_WRONG_SHAPE},
      {"1wp-1-1", IPC_ATTEMPT_ID_ERROR_INVALID_PREFIX},
      {"wp-123456789012345678901234567890123-1", IPC_ATTEMPT_ID_ERROR_INVALID_ORDER},
      {"wp-1-01", IPC_ATTEMPT_ID_ERROR_INVALID_ATTEMPT_NUMBER},
      {"wp-1-100000", IPC_ATTEMPT_ID_ERROR_ATTEMPT_NUMBER_TOO_LARGE},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    ipc_attempt_id_error e = 99;
    char label[200];
    snprintf(label, sizeof label, "attempt_id_check '%.20s': %u", cases[i].text, (unsigned)cases[i].want);
    ok(ipc_attempt_id_check(cases[i].text, &e) == IPC_RESULT_OK && e == cases[i].want, label);
  }
}

static ipc_message *message(ipc_config *config, const char *body) {
  char *signed_body = NULL;
  ipc_message *m = NULL;
  if (ipc_sign_form((const uint8_t *)body, strlen(body), sim_key, &signed_body) != IPC_RESULT_OK) return NULL;
  if (ipc_message_parse((const uint8_t *)signed_body, strlen(signed_body), config, &m) != IPC_RESULT_OK) m = NULL;
  ipc_string_free(signed_body);
  return m;
}

/* Decides with an attempt context (NULL: none) and checks action, reply and note code. */
static void expect(ipc_message *m, uint32_t state, const char *paid, const ipc_attempt_context *a, ipc_action want_action,
                   ipc_reply want_reply, const char *want_code, const char *name) {
  ipc_decision *d = NULL;
  char label[240];
  snprintf(label, sizeof label, "%s: decided", name);
  if (!ok_code(ipc_decide_attempt(m, 5000, "EUR", state, paid, a, SID, &d), IPC_RESULT_OK, label)) return;
  ipc_action action = 99;
  ipc_reply reply = 99;
  char *code = NULL;
  ipc_result r1 = ipc_decision_action(d, &action), r2 = ipc_decision_reply(d, &reply), r3 = ipc_decision_note_code(d, &code);
  snprintf(label, sizeof label, "%s: action %u, reply %u, note %s", name, (unsigned)want_action, (unsigned)want_reply, want_code);
  int good = ok(r1 == IPC_RESULT_OK && r2 == IPC_RESULT_OK && r3 == IPC_RESULT_OK && action == want_action && reply == want_reply &&
                    code != NULL && strcmp(code, want_code) == 0,
                label);
  if (!good) printf("# got action %u reply %u code %s\n", (unsigned)action, (unsigned)reply, code ? code : "(null)");
  ipc_string_free(code);
  ipc_decision_free(d);
}

static void test_decisions(ipc_config *config) {
  ipc_message *rollback1 = message(config, "IPCmethod=IPCPurchaseRollback&SID=" SID "&Amount=50.00&Currency=EUR&OrderID=wp-7-1");
  ipc_message *notify1 = message(config, "IPCmethod=IPCPurchaseNotify&SID=" SID "&Amount=50.00&Currency=EUR&OrderID=wp-7-1&IPC_Trnref=701");
  ipc_message *notify2 = message(config, "IPCmethod=IPCPurchaseNotify&SID=" SID "&Amount=50.00&Currency=EUR&OrderID=wp-7-2&IPC_Trnref=702");
  if (!ok(rollback1 && notify1 && notify2, "messages signed and parsed")) goto out;

  expect(rollback1, IPC_ORDER_STATE_PAID, "702", NULL, IPC_ACTION_MARK_FAILED, IPC_REPLY_OK, "rollback_reversed",
         "no attempt information: a rollback marks the paid order failed (old contract)");
  ipc_attempt_context late = {.attempt = 1, .known = true, .rolled_back = true, .paid_attempt = 2};
  expect(rollback1, IPC_ORDER_STATE_PAID, "702", &late, IPC_ACTION_NOTE_ONLY, IPC_REPLY_OK, "rollback_other_attempt",
         "late rollback of attempt 1 after attempt 2 paid changes nothing");
  ipc_attempt_context twice = {.attempt = 2, .known = true, .rolled_back = false, .paid_attempt = 1};
  expect(notify2, IPC_ORDER_STATE_PAID, "701", &twice, IPC_ACTION_ALREADY_PAID_OTHERWISE, IPC_REPLY_NOT_OK, "notify_paid_twice",
         "the buyer paid twice: the second attempt is refused");
  ipc_attempt_context unknown = {.attempt = 1, .known = false, .rolled_back = false, .paid_attempt = 0};
  expect(notify1, IPC_ORDER_STATE_AWAITING_PAYMENT, NULL, &unknown, IPC_ACTION_UNKNOWN_ATTEMPT, IPC_REPLY_NOT_OK, "notify_unknown_attempt",
         "notify for an unknown attempt is refused");
  expect(rollback1, IPC_ORDER_STATE_AWAITING_PAYMENT, NULL, &unknown, IPC_ACTION_UNKNOWN_ATTEMPT, IPC_REPLY_OK, "rollback_unknown_attempt",
         "rollback for an unknown attempt is answered OK");
  ipc_attempt_context replay = {.attempt = 1, .known = true, .rolled_back = true, .paid_attempt = 0};
  expect(notify1, IPC_ORDER_STATE_FAILED, NULL, &replay, IPC_ACTION_NOTE_ONLY, IPC_REPLY_NOT_OK, "notify_after_rollback",
         "notify replayed after its rollback changes nothing");
  ipc_attempt_context first = {.attempt = 1, .known = true, .rolled_back = false, .paid_attempt = 0};
  expect(notify1, IPC_ORDER_STATE_AWAITING_PAYMENT, NULL, &first, IPC_ACTION_MARK_PAID, IPC_REPLY_OK, "paid", "notify of attempt 1 pays");
  ipc_attempt_context preauth = {.attempt = 1, .known = true, .rolled_back = false, .paid_attempt = 0, .kind = IPC_ATTEMPT_KIND_PREAUTH};
  expect(notify1, IPC_ORDER_STATE_AWAITING_PAYMENT, NULL, &preauth, IPC_ACTION_AUTHORIZE, IPC_REPLY_OK, "authorized",
         "notify of a pre-authorization attempt holds the order, never pays");
  ipc_attempt_context held = {.attempt = 1, .known = true, .rolled_back = false, .paid_attempt = 1, .kind = IPC_ATTEMPT_KIND_PREAUTH};
  expect(notify1, IPC_ORDER_STATE_AUTHORIZED, "701", &held, IPC_ACTION_DUPLICATE, IPC_REPLY_OK, "notify_authorization_duplicate",
         "a repeated authorization notify changes nothing");
  ipc_attempt_context bad_kind = {.attempt = 1, .known = true, .rolled_back = false, .paid_attempt = 0, .kind = 7};
  ipc_decision *bk = NULL;
  ok_code(ipc_decide_attempt(notify1, 5000, "EUR", IPC_ORDER_STATE_AWAITING_PAYMENT, NULL, &bad_kind, SID, &bk), IPC_RESULT_INVALID_ARGUMENT,
          "decide_attempt: an unknown attempt kind is refused");
  if (ok_code(ipc_decide_attempt(notify1, 5000, "EUR", IPC_ORDER_STATE_AWAITING_PAYMENT, NULL, &preauth, SID, &bk), IPC_RESULT_OK,
              "authorization decided")) {
    char *t = NULL;
    ok(ipc_decision_trnref(bk, &t) == IPC_RESULT_OK && t && strcmp(t, "701") == 0, "authorize: the trnref to record");
    ipc_string_free(t);
    ipc_decision_free(bk);
  }

  ipc_decision *d = NULL;
  ipc_attempt_context zero = {.attempt = 0, .known = true, .rolled_back = false, .paid_attempt = 0};
  ok_code(ipc_decide_attempt(notify1, 5000, "EUR", IPC_ORDER_STATE_AWAITING_PAYMENT, NULL, &zero, SID, &d), IPC_RESULT_INVALID_ARGUMENT,
          "decide_attempt: attempt 0 refused");
  ok(d == NULL, "decide_attempt: out untouched on failure");
  if (ok_code(ipc_decide_attempt(notify2, 5000, "EUR", IPC_ORDER_STATE_PAID, "701", &twice, SID, &d), IPC_RESULT_OK, "paid twice: decided")) {
    size_t count = 0;
    ok(ipc_decision_note_param_count(d, &count) == IPC_RESULT_OK && count == 4, "note params: four values");
    const char *names[] = {"attempt", "trnref", "paid_attempt", "paid_trnref"};
    const char *values[] = {"2", "702", "1", "701"};
    for (size_t i = 0; i < 4; i++) {
      char *name = NULL, *value = NULL;
      char label[120];
      snprintf(label, sizeof label, "note param %zu is %s=%s", i, names[i], values[i]);
      ok(ipc_decision_note_param(d, i, &name, &value) == IPC_RESULT_OK && name && value && strcmp(name, names[i]) == 0 &&
             strcmp(value, values[i]) == 0,
         label);
      ipc_string_free(name);
      ipc_string_free(value);
    }
    char *name = NULL, *value = NULL;
    ok_code(ipc_decision_note_param(d, 4, &name, &value), IPC_RESULT_INVALID_ARGUMENT, "note param past the end");
    ok(name == NULL && value == NULL, "note param past the end: outs untouched");
    char *note = NULL;
    ok(ipc_decision_note(d, &note) == IPC_RESULT_OK && note && strstr(note, "paid twice") != NULL, "the English note says the buyer paid twice");
    ipc_string_free(note);
    ipc_decision_free(d);
  }
  ok_code(ipc_decision_note_code(NULL, NULL), IPC_RESULT_NULL_ARGUMENT, "decision_note_code: NULL decision");
out:
  ipc_message_free(rollback1);
  ipc_message_free(notify1);
  ipc_message_free(notify2);
}

/* A JSON answer with the given fields (name/value pairs, JSON-safe text), signed by myPOS. */
static ipc_response *answer(ipc_config *config, ipc_config *mypos, const char *const *pairs, size_t n) {
  ipc_generic *g = NULL;
  ipc_request *signed_req = NULL;
  ipc_response *r = NULL;
  char *sig = NULL;
  if (ipc_generic_new_raw(&g) != IPC_RESULT_OK) return NULL;
  for (size_t i = 0; i < n; i++) (void)ipc_generic_add_param(g, pairs[2 * i], pairs[2 * i + 1]);
  if (ipc_generic_sign(g, mypos, &signed_req) == IPC_RESULT_OK && ipc_request_signature(signed_req, &sig) == IPC_RESULT_OK) {
    char json[2048];
    size_t len = (size_t)snprintf(json, sizeof json, "{");
    for (size_t i = 0; i < n; i++)
      len += (size_t)snprintf(json + len, sizeof json - len, "\"%s\":\"%s\",", pairs[2 * i], pairs[2 * i + 1]);
    snprintf(json + len, sizeof json - len, "\"Signature\":\"%s\"}", sig);
    if (ipc_response_parse((const uint8_t *)json, strlen(json), IPC_OUTPUT_FORMAT_JSON, config, &r) != IPC_RESULT_OK) r = NULL;
  }
  ipc_string_free(sig);
  ipc_request_free(signed_req);
  ipc_generic_free(g);
  return r;
}

static void expect_refund(ipc_config *config, ipc_config *mypos, const char *const *pairs, size_t n, ipc_refund_verdict want,
                          const char *name) {
  ipc_response *r = answer(config, mypos, pairs, n);
  char label[200];
  snprintf(label, sizeof label, "%s: answer signed and parsed", name);
  if (!ok(r != NULL, label)) return;
  ipc_refund_verdict v = 99;
  char *trnref = NULL;
  snprintf(label, sizeof label, "%s: verdict %u", name, (unsigned)want);
  int good = ok(ipc_refund_check(r, "wp-7-2", 1000, "EUR", &v, &trnref) == IPC_RESULT_OK && v == want, label);
  if (!good) printf("# got verdict %u\n", (unsigned)v);
  if (want == IPC_REFUND_VERDICT_CONFIRMED) {
    snprintf(label, sizeof label, "%s: IPC_Trnref given", name);
    ok_string(trnref, "900123", label);
  } else {
    snprintf(label, sizeof label, "%s: no IPC_Trnref given", name);
    ok(trnref == NULL, label);
  }
  ipc_response_free(r);
}

static void test_refund_answers(ipc_config *config) {
  ipc_config *mypos = NULL;
  if (!ok_code(ipc_config_new(SID, "61938166610", 1, sim_key, merchant_cert, "http://127.0.0.1:9/vmp/checkout-test", &mypos), IPC_RESULT_OK,
               "a config holding the simulated myPOS key, to sign answers"))
    return;
  const char *good[] = {"IPCmethod", "IPCRefund", "IPC_Trnref", "900123", "Amount", "10.00", "Currency", "EUR", "Status", "0", "StatusMsg", "Success"};
  expect_refund(config, mypos, good, 6, IPC_REFUND_VERDICT_CONFIRMED, "refund confirmed");
  const char *no_trnref[] = {"IPCmethod", "IPCRefund", "Amount", "10.00", "Currency", "EUR", "Status", "0", "StatusMsg", "Success"};
  expect_refund(config, mypos, no_trnref, 5, IPC_REFUND_VERDICT_MISSING_TRNREF, "refund answer without IPC_Trnref");
  const char *other_amount[] = {"IPCmethod", "IPCRefund", "IPC_Trnref", "900123", "Amount", "100.00", "Currency", "EUR", "Status", "0"};
  expect_refund(config, mypos, other_amount, 5, IPC_REFUND_VERDICT_AMOUNT_DIFFERS, "refund answer with another amount");
  const char *other_currency[] = {"IPCmethod", "IPCRefund", "IPC_Trnref", "900123", "Amount", "10.00", "Currency", "USD", "Status", "0"};
  expect_refund(config, mypos, other_currency, 5, IPC_REFUND_VERDICT_CURRENCY_DIFFERS, "refund answer with another currency");
  const char *no_amount[] = {"IPCmethod", "IPCRefund", "IPC_Trnref", "900123", "Currency", "EUR", "Status", "0"};
  expect_refund(config, mypos, no_amount, 4, IPC_REFUND_VERDICT_MISSING_AMOUNT, "refund answer without Amount");
  const char *other_order[] = {"IPCmethod", "IPCRefund", "OrderID", "wp-7-1", "IPC_Trnref", "900123", "Amount", "10", "Currency", "EUR", "Status", "0"};
  expect_refund(config, mypos, other_order, 6, IPC_REFUND_VERDICT_ORDER_ID_DIFFERS, "refund answer for another OrderID");
  const char *refused[] = {"IPCmethod", "IPCRefund", "Status", "14", "StatusMsg", "not permitted"};
  expect_refund(config, mypos, refused, 3, IPC_REFUND_VERDICT_REFUSED, "refund refused by myPOS");
  ipc_refund_verdict v = 99;
  ok_code(ipc_refund_check(NULL, "wp-7-2", 1000, "EUR", &v, NULL), IPC_RESULT_NULL_ARGUMENT, "refund_check: NULL answer");
  ok(v == 99, "refund_check: verdict untouched on failure");
  /* Captures: Amount, Currency and OrderID checked where echoed. */
  const char *captured[] = {"IPCmethod", "IPCPreAuthCompletion", "OrderID", "wp-7-2", "Amount", "10.00", "Currency", "EUR", "Status", "0"};
  const char *captured_other[] = {"IPCmethod", "IPCPreAuthCompletion", "Amount", "12.00", "Currency", "EUR", "Status", "0"};
  const char *released[] = {"IPCmethod", "IPCPreAuthCancellation", "Amount", "10.00", "Currency", "EUR", "Status", "0"};
  struct {
    const char *const *pairs;
    size_t n;
    int release;
    ipc_capture_verdict want;
    const char *name;
  } cases[] = {
      {captured, 5, 0, IPC_CAPTURE_VERDICT_CONFIRMED, "capture confirmed"},
      {captured_other, 4, 0, IPC_CAPTURE_VERDICT_AMOUNT_DIFFERS, "capture answer for another amount"},
      {released, 4, 0, IPC_CAPTURE_VERDICT_WRONG_METHOD, "a release answer does not confirm a capture"},
      {released, 4, 1, IPC_CAPTURE_VERDICT_CONFIRMED, "release confirmed"},
      {refused, 3, 0, IPC_CAPTURE_VERDICT_REFUSED, "capture refused"},
  };
  for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    ipc_response *r = answer(config, mypos, cases[i].pairs, cases[i].n);
    ipc_capture_verdict cv = 99;
    ipc_result rc = r == NULL ? IPC_RESULT_NULL_ARGUMENT
                    : cases[i].release ? ipc_release_check(r, "wp-7-2", 1000, "EUR", &cv)
                                       : ipc_capture_check(r, "wp-7-2", 1000, "EUR", &cv);
    if (!ok(rc == IPC_RESULT_OK && cv == cases[i].want, cases[i].name)) printf("# got %u verdict %u\n", (unsigned)rc, (unsigned)cv);
    ipc_response_free(r);
  }
  ipc_config_free(mypos);
}

int main(void) {
  const char *data = getenv("IPC_TEST_DATA");
  if (data == NULL) {
    printf("Bail out! IPC_TEST_DATA is not set\n");
    return 1;
  }
  merchant_key = read_in(data, "merchant_private.pem", NULL);
  merchant_cert = read_in(data, "merchant_cert.pem", NULL);
  sim_key = read_in(data, "sim_mypos_private.pem", NULL);
  sim_cert = read_in(data, "sim_mypos_cert.pem", NULL);
  if (!merchant_key || !merchant_cert || !sim_key || !sim_cert) {
    printf("Bail out! keys missing\n");
    return 1;
  }
  test_attempt_ids();
  ipc_config *config = NULL;
  if (ok_code(ipc_config_new(SID, "61938166610", 1, merchant_key, sim_cert, "http://127.0.0.1:9/vmp/checkout-test", &config), IPC_RESULT_OK,
              "config_new with the simulated myPOS certificate")) {
    test_decisions(config);
    test_refund_answers(config);
  }
  ipc_config_free(config);
  free(merchant_key);
  free(merchant_cert);
  free(sim_key);
  free(sim_cert);
  return tap_done();
}
