/* The shared golden vectors through the C ABI: outgoing signatures (raw generic builder,
 * sign_form, configuration pack), incoming notifications with their outcome class, and
 * signed API answers. */
#include "tap.h"

static const char *data;
static char *merchant_key, *mypos_cert, *sim_cert;

/* Drops a trailing "&Signature=..." segment in place; returns 0 when there is none. */
static int strip_signature(char *body) {
  char *at = strstr(body, "&Signature=");
  if (at == NULL || strchr(at + 1, '&') != NULL) return 0;
  *at = '\0';
  return 1;
}

static void test_purchase_main(void) {
  size_t len = 0;
  char *body = read_in(data, "purchase_main.body", &len);
  char *want_sig = read_in(data, "purchase_main.signature", NULL);
  char *params = read_in(data, "purchase_main.params", NULL);
  char *pack = read_in(data, "config_pack.txt", NULL);
  if (!body || !want_sig || !params || !pack) { ok(0, "purchase_main vector files"); return; }

  /* 1. sign_form over the browser body without its Signature gives the browser body back. */
  char *unsigned_body = dup_string(body);
  ok(strip_signature(unsigned_body), "purchase_main: browser body ends with Signature");
  char *signed_body = NULL;
  ok_code(ipc_sign_form((const uint8_t *)unsigned_body, strlen(unsigned_body), merchant_key, &signed_body), IPC_RESULT_OK, "purchase_main: sign_form");
  ok_string(signed_body, body, "purchase_main: sign_form reproduces the browser body byte for byte");
  free(unsigned_body);

  /* 2. The raw generic builder over the ordered params, with the config from fields and
   *    with the config from the vector's configuration pack. */
  ipc_config *configs[2] = {NULL, NULL};
  ok_code(ipc_config_new("000000000000010", "61938166610", 1, merchant_key, mypos_cert, "test", &configs[0]), IPC_RESULT_OK, "purchase_main: config from fields");
  ok_code(ipc_config_from_pack(pack, "test", &configs[1]), IPC_RESULT_OK, "purchase_main: config from the vector's pack");
  const char *which[2] = {"fields", "pack"};
  for (int c = 0; c < 2; c++) {
    char name[160];
    ipc_generic *g = NULL;
    if (configs[c] == NULL || ipc_generic_new_raw(&g) != IPC_RESULT_OK) { ok(0, "raw generic builder"); continue; }
    char *copy = dup_string(params);
    int added = 1;
    for (char *line = strtok(copy, "\n"); line != NULL; line = strtok(NULL, "\n")) {
      char *tab = strchr(line, '\t');
      if (tab == NULL) { added = 0; break; }
      *tab = '\0';
      if (strcmp(line, "Signature") == 0) continue;
      if (ipc_generic_add_param(g, line, tab + 1) != IPC_RESULT_OK) added = 0;
    }
    free(copy);
    snprintf(name, sizeof name, "purchase_main (%s): every param added in order", which[c]);
    ok(added, name);
    ipc_request *req = NULL;
    snprintf(name, sizeof name, "purchase_main (%s): raw generic request signs", which[c]);
    if (ok_code(ipc_generic_sign(g, configs[c], &req), IPC_RESULT_OK, name)) {
      char *sig = NULL, *req_body = NULL;
      ipc_result r1 = ipc_request_signature(req, &sig);
      snprintf(name, sizeof name, "purchase_main (%s): Signature equals the vector", which[c]);
      ok(r1 == IPC_RESULT_OK, "request_signature");
      ok_string(sig, want_sig, name);
      ipc_result r2 = ipc_request_body(req, &req_body);
      ok(r2 == IPC_RESULT_OK, "request_body");
      snprintf(name, sizeof name, "purchase_main (%s): body equals the browser body", which[c]);
      ok_string(req_body, body, name);
      ok_field(req, "IPCmethod", "IPCPurchase", "request_get IPCmethod", "purchase_main: IPCmethod is IPCPurchase");
      ipc_request_free(req);
    }
    ipc_generic_free(g);
  }
  ipc_config_free(configs[0]);
  ipc_config_free(configs[1]);
  free(body);
  free(want_sig);
  free(params);
  free(pack);
}

static void test_public_test_pack(void) {
  char *pack = read_in(data, "mypos_test_pack.txt", NULL);
  if (pack == NULL) { ok(0, "public myPOS test configuration pack"); return; }
  ipc_config *config = NULL;
  if (ok_code(ipc_config_from_pack(pack, "test", &config), IPC_RESULT_OK, "public myPOS test pack (1024-bit key) loads")) {
    char *sid = NULL, *url = NULL;
    ok_out(ipc_config_sid(config, &sid), &sid, "000000000000010", "test pack: SID", "test pack: SID is 000000000000010");
    ok_out(ipc_config_endpoint_url(config, &url), &url, "https://www.mypos.com/vmp/checkout-test", "test pack: endpoint url", "test pack: test endpoint URL");
    ipc_request *req = NULL;
    if (ok_code(ipc_get_txn_status_sign(config, "ORDER-1", IPC_OUTPUT_FORMAT_JSON, &req), IPC_RESULT_OK, "test pack: signs with the 1024-bit key")) {
      char *sig = NULL;
      ok(ipc_request_signature(req, &sig) == IPC_RESULT_OK && sig != NULL && strlen(sig) == 172, "test pack: 1024-bit Signature (172 base64 characters)");
      ipc_string_free(sig);
      ipc_request_free(req);
    }
    ipc_config_free(config);
  }
  free(pack);
}

static void test_refund_request(void) {
  char *raw = read_in(data, "refund_json.request", NULL);
  if (raw == NULL) { ok(0, "refund request vector"); return; }
  char *unsigned_body = dup_string(raw);
  ok(strip_signature(unsigned_body), "refund_json request: ends with Signature");
  char *signed_body = NULL;
  ok_code(ipc_sign_form((const uint8_t *)unsigned_body, strlen(unsigned_body), merchant_key, &signed_body), IPC_RESULT_OK, "refund_json request: sign_form");
  ok_string(signed_body, raw, "refund_json request: sign_form reproduces the recorded body");
  free(unsigned_body);
  free(raw);
}

/* Vectors whose "invalid" verdict is the malformed class (docs/architecture.md, "Verification outcomes"); every other
 * invalid vector must be IPC_RESULT_SIGNATURE_INVALID. */
static const char *const MALFORMED[] = {
    "notify-missing-signature", "notify-empty-signature", "notify-bad-base64-urlsafe",
    "notify-bad-base64-not-base64", "notify-base64-with-junk-chars",
    "notify-unencoded-plus-in-signature", "notify-duplicate-field-same-value",
    "notify-duplicate-field-other-value", "rollback-missing-signature", "cancel-missing-signature",
};

static int is_malformed(const char *id) {
  for (size_t i = 0; i < sizeof MALFORMED / sizeof MALFORMED[0]; i++)
    if (strcmp(MALFORMED[i], id) == 0) return 1;
  return 0;
}

static void test_incoming(void) {
  char *index = read_in(data, "incoming/index", NULL);
  if (index == NULL) { ok(0, "incoming index"); return; }
  int seen = 0, malformed_seen = 0;
  char *cursor = index;
  while (*cursor != '\0') {
    char *end = strchr(cursor, '\n');
    if (end == NULL) break;
    *end = '\0';
    char id[128], verdict[32];
    if (sscanf(cursor, "%127s %31s", id, verdict) == 2) {
      char file[200];
      snprintf(file, sizeof file, "incoming/%s", id);
      size_t len = 0;
      char *body = read_in(data, file, &len);
      if (body != NULL) {
        ipc_result r = ipc_verify_form((const uint8_t *)body, len, sim_cert);
        char name[256];
        if (strcmp(verdict, "valid") == 0) {
          snprintf(name, sizeof name, "incoming %s: valid", id);
          ok_code(r, IPC_RESULT_OK, name);
        } else if (is_malformed(id)) {
          malformed_seen++;
          snprintf(name, sizeof name, "incoming %s: malformed (specific code %u: %s)", id, (unsigned)r, ipc_result_str(r));
          ok(r != IPC_RESULT_OK && r != IPC_RESULT_SIGNATURE_INVALID && r < IPC_RESULT_INTERNAL_PANIC, name);
        } else {
          snprintf(name, sizeof name, "incoming %s: signature invalid", id);
          ok_code(r, IPC_RESULT_SIGNATURE_INVALID, name);
        }
        free(body);
        seen++;
      }
    }
    cursor = end + 1;
  }
  ok(seen >= 30, "incoming: all POST vectors were checked");
  ok(malformed_seen == (int)(sizeof MALFORMED / sizeof MALFORMED[0]), "incoming: every malformed vector was present");
  free(index);
}

static void test_responses(void) {
  ipc_config *config = NULL;
  if (!ok_code(ipc_config_new("000000000000010", "61938166610", 1, merchant_key, mypos_cert, "test", &config), IPC_RESULT_OK, "responses: config with the rsa2048 myPOS certificate")) return;
  const char *names[] = {"refund_json", "refund_xml", "reversal_xml", "getpaymentstatus_xml", "gettxnstatus_json", "gettxnstatus_xml"};
  for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
    char file[64], name[160];
    snprintf(file, sizeof file, "%s.response", names[i]);
    size_t len = 0;
    char *body = read_in(data, file, &len);
    if (body == NULL) { ok(0, file); continue; }
    ipc_response *r = NULL;
    snprintf(name, sizeof name, "%s: answer verifies", names[i]);
    if (ok_code(ipc_response_parse((const uint8_t *)body, len, IPC_OUTPUT_FORMAT_AUTO, config, &r), IPC_RESULT_OK, name)) {
      uint32_t status = 99;
      char *status_name = NULL;
      snprintf(name, sizeof name, "%s: Status 0", names[i]);
      ok(ipc_response_status(r, &status) == IPC_RESULT_OK && status == 0, name);
      ok(ipc_response_status_name(r, &status_name) == IPC_RESULT_OK, "response_status_name");
      ok_string(status_name, "SUCCESS", "status name SUCCESS");
      if (strncmp(names[i], "gettxnstatus", 12) == 0) {
        char *trnref = NULL;
        ok_out(ipc_response_order_status_get(r, "IPC_Trnref", &trnref), &trnref, "410227", "gettxnstatus: OrderStatus IPC_Trnref present", "gettxnstatus: OrderStatus IPC_Trnref is 410227");
      }
      if (strcmp(names[i], "getpaymentstatus_xml") == 0) {
        uint8_t ps = 0;
        ok(ipc_response_payment_status(r, &ps) == IPC_RESULT_OK && ps == 1, "getpaymentstatus: PaymentStatus 1 (paid)");
      }
      if (strcmp(names[i], "refund_json") == 0) {
        char *method = NULL;
        ok_out(ipc_response_get(r, "IPCmethod", &method), &method, "IPCRefund", "refund_json: IPCmethod present", "refund_json: IPCmethod is IPCRefund");
        uint8_t ps = 0;
        ok_code(ipc_response_payment_status(r, &ps), IPC_RESULT_NOT_FOUND, "refund_json: no PaymentStatus");
      }
      ipc_response_free(r);
    }
    /* Change one value byte: the same answer must no longer verify. */
    char *at = strstr(body, "410227");
    if (at != NULL) {
      at[0] = '5';
      r = NULL;
      snprintf(name, sizeof name, "%s: tampered answer is SIGNATURE_INVALID", names[i]);
      ok_code(ipc_response_parse((const uint8_t *)body, len, IPC_OUTPUT_FORMAT_AUTO, config, &r), IPC_RESULT_SIGNATURE_INVALID, name);
      ipc_response_free(r);
    }
    free(body);
  }
  ipc_config_free(config);
}

int main(void) {
  if ((data = test_data()) == NULL || !read_all(data, "merchant_private.pem", &merchant_key, "mypos_cert.pem", &mypos_cert,
                                                   "sim_mypos_cert.pem", &sim_cert, NULL)) {
    return 1;
  }
  test_purchase_main();
  test_refund_request();
  test_public_test_pack();
  test_incoming();
  test_responses();
  free(merchant_key);
  free(mypos_cert);
  free(sim_cert);
  return tap_done();
}
