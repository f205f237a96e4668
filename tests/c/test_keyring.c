/* Key rotation through the C ABI (issue 16): two myPOS certificates accepted at once and the
 * one that matched; retiring the old one; a second merchant key made active; a certificate's
 * notAfter. The rotation keys are made by run.sh at test time. */
#include "tap.h"
#include <time.h>

#define SID "000000000000010"
#define NOTIFY "IPCmethod=IPCPurchaseNotify&SID=000000000000010&Amount=24.45&Currency=EUR&OrderID=ORD-1&IPC_Trnref=410227&RequestSTAN=083107&RequestDateTime=2026-11-23+10%3A15%3A00&PaymentMethod=1&BillingDescriptor=myPOS&PAN=0007"

static char *merchant_key, *old_key, *old_cert, *new_key, *new_cert, *m2_key, *m2_cert;

static char *signed_by(const char *key) {
  char *out = NULL;
  ok_code(ipc_sign_form((const uint8_t *)NOTIFY, strlen(NOTIFY), key, &out), IPC_RESULT_OK, "sign a notify as myPOS");
  return out;
}

static void expect_match(const ipc_config *config, const char *body, ipc_result want, size_t index, const char *name) {
  ipc_message *m = NULL;
  ipc_result got = ipc_message_parse((const uint8_t *)body, strlen(body), config, &m);
  char label[256];
  snprintf(label, sizeof label, "%s: result", name);
  ok_code(got, want, label);
  if (got == IPC_RESULT_OK) {
    size_t i = 99;
    snprintf(label, sizeof label, "%s: certificate index %zu", name, index);
    ok(ipc_message_certificate_index(m, &i) == IPC_RESULT_OK && i == index, label);
  } else {
    ok(m == NULL, "message_out untouched on failure");
  }
  ipc_message_free(m);
}

int main(void) {
  const char *data = test_data();
  if (data == NULL || !read_all(data, "merchant_private.pem", &merchant_key, "rot_old_private.pem", &old_key, "rot_old_cert.pem", &old_cert,
                                "rot_new_private.pem", &new_key, "rot_new_cert.pem", &new_cert, "rot_merchant2_private.pem", &m2_key,
                                "rot_merchant2_cert.pem", &m2_cert, NULL)) {
    return 1;
  }
  char *by_old = signed_by(old_key), *by_new = signed_by(new_key);
  ipc_config *before = NULL, *overlap = NULL, *after = NULL, *dup = NULL, *none = NULL;
  ok_code(ipc_config_new(SID, "61938166610", 1, merchant_key, old_cert, "test", &before), IPC_RESULT_OK, "config with the old certificate");
  size_t n = 0;
  ok(ipc_config_certificate_count(before, &n) == IPC_RESULT_OK && n == 1, "one certificate");
  expect_match(before, by_old, IPC_RESULT_OK, 0, "before: old notify");
  expect_match(before, by_new, IPC_RESULT_SIGNATURE_INVALID, 0, "before: new notify refused");

  ok_code(ipc_config_add_certificate(before, new_cert, &overlap), IPC_RESULT_OK, "add the new certificate");
  ok(ipc_config_certificate_count(overlap, &n) == IPC_RESULT_OK && n == 2, "two certificates");
  expect_match(overlap, by_old, IPC_RESULT_OK, 0, "overlap: old notify");
  expect_match(overlap, by_new, IPC_RESULT_OK, 1, "overlap: new notify");
  ok_code(ipc_config_add_certificate(overlap, new_cert, &dup), IPC_RESULT_INVALID_CONFIG, "the same certificate twice is refused");
  ok(dup == NULL && last_error_has("same key"), "duplicate: detail names it, config_out untouched");
  ok_code(ipc_config_add_certificate(overlap, "junk", &dup), IPC_RESULT_INVALID_CONFIG, "a certificate that does not parse is refused");
  ok_code(ipc_config_add_certificate(NULL, new_cert, &dup), IPC_RESULT_NULL_ARGUMENT, "NULL config");
  ok_code(ipc_config_add_certificate(overlap, new_cert, NULL), IPC_RESULT_NULL_ARGUMENT, "NULL config_out");

  ok_code(ipc_config_retire_certificate(overlap, old_cert, &after), IPC_RESULT_OK, "retire the old certificate");
  expect_match(after, by_old, IPC_RESULT_SIGNATURE_INVALID, 0, "after: old notify refused");
  expect_match(after, by_new, IPC_RESULT_OK, 0, "after: new notify");
  ok_code(ipc_config_retire_certificate(after, new_cert, &none), IPC_RESULT_INVALID_CONFIG, "the last certificate cannot be retired");
  ok_code(ipc_config_retire_certificate(after, old_cert, &none), IPC_RESULT_INVALID_CONFIG, "a certificate not accepted cannot be retired");
  ok(none == NULL, "config_out untouched");

  /* A second merchant key, KeyIndex 2, made active. */
  ipc_config *two = NULL, *active = NULL;
  uint32_t index = 0;
  ok_code(ipc_config_add_key(after, 2, m2_key, &two), IPC_RESULT_OK, "add merchant key 2");
  ok(ipc_config_key_index(two, &index) == IPC_RESULT_OK && index == 1, "still signing with KeyIndex 1");
  ok_code(ipc_config_add_key(two, 2, m2_key, &none), IPC_RESULT_INVALID_CONFIG, "KeyIndex 2 twice is refused");
  ok_code(ipc_config_add_key(two, 3, "not a key", &none), IPC_RESULT_INVALID_CONFIG, "a key that does not parse is refused");
  ok(!last_error_has("PRIVATE KEY-----"), "the detail holds no key material");
  ok_code(ipc_config_use_key(two, 3, &none), IPC_RESULT_INVALID_CONFIG, "KeyIndex 3 is not held");
  ok_code(ipc_config_use_key(two, 2, &active), IPC_RESULT_OK, "use KeyIndex 2");
  ok(ipc_config_key_index(active, &index) == IPC_RESULT_OK && index == 2, "signing with KeyIndex 2");
  ipc_request *req = NULL;
  if (ok_code(ipc_get_txn_status_sign(active, "ORD-1", IPC_OUTPUT_FORMAT_JSON, &req), IPC_RESULT_OK, "sign with KeyIndex 2")) {
    ok_field(req, "KeyIndex", "2", "KeyIndex present", "KeyIndex is 2");
    char *body = NULL;
    if (ok_code(ipc_request_body(req, &body), IPC_RESULT_OK, "request body")) {
      ok_code(ipc_verify_form((const uint8_t *)body, strlen(body), m2_cert), IPC_RESULT_OK, "verifies with merchant certificate 2");
      ipc_string_free(body);
    }
  }
  ipc_request_free(req);

  /* notAfter: about 30 days from now (openssl -days 30); none for a bare public key. */
  int64_t end = 0;
  int64_t now = (int64_t)time(NULL);
  ok_code(ipc_certificate_not_after(new_cert, &end), IPC_RESULT_OK, "certificate_not_after");
  ok(end > now + 29 * 86400 && end <= now + 30 * 86400 + 60, "notAfter is 30 days from now");
  ok_code(ipc_certificate_not_after("junk", &end), IPC_RESULT_BAD_KEY, "not_after: junk is a bad key");
  ok_code(ipc_certificate_not_after(new_cert, NULL), IPC_RESULT_NULL_ARGUMENT, "not_after: NULL out");

  ipc_config_free(active);
  ipc_config_free(two);
  ipc_config_free(after);
  ipc_config_free(overlap);
  ipc_config_free(before);
  ipc_string_free(by_old);
  ipc_string_free(by_new);
  free_each(7, merchant_key, old_key, old_cert, new_key, new_cert, m2_key, m2_cert);
  return tap_done();
}
