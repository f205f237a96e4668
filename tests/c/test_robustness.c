/* Hostile input: random and mutated bodies, deep nesting, odd byte values. Every call must
 * return a known code (never a panic or an unclassified error) and leave out-params alone
 * on failure. */
#include "tap.h"

static uint32_t seed = 0x12345678u;
static uint32_t next_random(void) {
  seed = seed * 1664525u + 1013904223u;
  return seed >> 8;
}

static int known(ipc_result r) { return r <= IPC_RESULT_NUL_IN_STRING; }

/* `count` fields with distinct names (f1=&f2=&...), then a foreign Signature. */
static char *count_body(size_t count) {
  char *body = malloc(count * 10 + 32), *p = body;
  for (size_t i = 1; i <= count; i++) p += sprintf(p, "f%zu=&", i);
  strcpy(p, "Signature=AAAA");
  return body;
}

/* One field whose name has `len` bytes, then a foreign Signature. */
static char *name_body(size_t len) {
  char *body = malloc(len + 32);
  memset(body, 'N', len);
  strcpy(body + len, "=1&Signature=AAAA");
  return body;
}

int main(void) {
  const char *data = test_data();
  char *sim_key = NULL, *sim_cert = NULL, *merchant_key = NULL;
  if (data == NULL || !read_all(data, "sim_mypos_private.pem", &sim_key, "sim_mypos_cert.pem", &sim_cert,
                                "merchant_private.pem", &merchant_key, NULL)) {
    return 1;
  }
  ipc_config *config = NULL;
  if (!ok_code(ipc_config_new("000000000000010", "61938166610", 1, merchant_key, sim_cert, "test", &config), IPC_RESULT_OK, "config")) return tap_done();

  const char *notify = "IPCmethod=IPCPurchaseNotify&SID=000000000000010&Amount=24.45&Currency=EUR&OrderID=O-1&IPC_Trnref=410227";
  char *signed_body = NULL;
  if (!ok_code(ipc_sign_form((const uint8_t *)notify, strlen(notify), sim_key, &signed_body), IPC_RESULT_OK, "sign a notify")) return tap_done();
  size_t len = strlen(signed_body);

  /* 1. Random single-byte mutations of a valid notify. */
  int all_known = 1, untouched = 1, value_changes_caught = 1;
  char *copy = malloc(len);
  for (int i = 0; i < 200; i++) {
    memcpy(copy, signed_body, len);
    size_t at = next_random() % len;
    copy[at] = (char)(next_random() & 0xff);
    ipc_message *m = (ipc_message *)0x1;
    ipc_result r = ipc_message_parse((const uint8_t *)copy, len, config, &m);
    if (!known(r)) all_known = 0;
    if (r == IPC_RESULT_OK) {
      ipc_message_free(m);
    } else if (m != (ipc_message *)0x1) {
      untouched = 0;
    }
    /* A changed byte inside the Amount value must never verify. */
    const char *amount = strstr(signed_body, "Amount=24.45");
    size_t lo = (size_t)(amount - signed_body) + 7, hi = lo + 5;
    if (at >= lo && at < hi && copy[at] != signed_body[at] && r == IPC_RESULT_OK) value_changes_caught = 0;
  }
  free(copy);
  ok(all_known, "mutated notifies: every result is a known code");
  ok(untouched, "mutated notifies: message out-param untouched on failure");
  ok(value_changes_caught, "mutated notifies: a changed Amount never verifies");

  /* 2. Random bytes into every parser. */
  all_known = 1;
  uint8_t junk[512];
  for (int i = 0; i < 200; i++) {
    size_t n = 1 + next_random() % sizeof junk;
    for (size_t j = 0; j < n; j++) junk[j] = (uint8_t)(next_random() & 0xff);
    ipc_message *m = NULL;
    ipc_response *resp = NULL;
    char *out = NULL;
    ipc_result a = ipc_verify_form(junk, n, sim_cert);
    ipc_result b = ipc_message_parse(junk, n, config, &m);
    ipc_result c = ipc_response_parse(junk, n, IPC_OUTPUT_FORMAT_AUTO, config, &resp);
    ipc_result d = ipc_sign_form(junk, n, merchant_key, &out);
    if (!known(a) || !known(b) || !known(c) || !known(d) || a == IPC_RESULT_OK || b == IPC_RESULT_OK || c == IPC_RESULT_OK) all_known = 0;
    ipc_message_free(m);
    ipc_response_free(resp);
    ipc_string_free(out);
  }
  ok(all_known, "random bytes: known codes, never accepted as valid");

  /* 3. Deep nesting close to the 1 MiB limit. */
  size_t depth = 500000;
  char *deep = malloc(2 * depth + 1);
  memset(deep, '[', depth);
  memset(deep + depth, ']', depth);
  deep[2 * depth] = '\0';
  ipc_response *resp = NULL;
  ipc_result r = ipc_response_parse((const uint8_t *)deep, 2 * depth, IPC_OUTPUT_FORMAT_JSON, config, &resp);
  ok(r == IPC_RESULT_MALFORMED_RESPONSE, "500000 nested JSON arrays: MALFORMED_RESPONSE, no crash");
  memset(deep, 0, 2 * depth);
  for (size_t i = 0; i + 3 <= 2 * depth; i += 3) memcpy(deep + i, "<a>", 3);
  r = ipc_response_parse((const uint8_t *)deep, strlen(deep), IPC_OUTPUT_FORMAT_XML, config, &resp);
  ok(known(r) && r != IPC_RESULT_OK, "333333 nested XML elements: refused, no crash");
  free(deep);

  /* 4. A body of exactly IPC_MAX_BODY_BYTES is read; one byte more is refused up front. */
  ok(IPC_MAX_BODY_BYTES == 1048576 && IPC_MAX_FIELDS == 4096 && IPC_MAX_FIELD_NAME_BYTES == 64,
     "the header's limits: 1048576 bytes, 4096 fields, 64-byte names");
  size_t mib = IPC_MAX_BODY_BYTES;
  char *big = malloc(mib);
  memset(big, 'a', mib);
  memcpy(big, "A=", 2);
  r = ipc_verify_form((const uint8_t *)big, mib, sim_cert);
  ok(r == IPC_RESULT_MISSING_SIGNATURE, "a body of IPC_MAX_BODY_BYTES without Signature is read and classed");
  r = ipc_verify_form((const uint8_t *)big, mib + 1, sim_cert);
  ok(r == IPC_RESULT_BUFFER_TOO_LARGE, "IPC_MAX_BODY_BYTES + 1 is BUFFER_TOO_LARGE");
  free(big);

  /* 5. Fields and names at and past their limits; duplicates in any letter case. The bodies
   * carry a foreign Signature: within the limits they reach the RSA check and fail it. */
  big = count_body(IPC_MAX_FIELDS - 1);
  r = ipc_verify_form((const uint8_t *)big, strlen(big), sim_cert);
  ok_code(r, IPC_RESULT_SIGNATURE_INVALID, "IPC_MAX_FIELDS fields (Signature included) reach the RSA check");
  free(big);
  big = count_body(IPC_MAX_FIELDS);
  r = ipc_verify_form((const uint8_t *)big, strlen(big), sim_cert);
  ok(r == IPC_RESULT_MALFORMED_BODY && last_error_has("more than 4096 fields (the limit)"),
     "IPC_MAX_FIELDS + 1 fields: MALFORMED_BODY naming the limit");
  free(big);
  big = count_body(108000);
  ipc_message *message = NULL;
  r = ipc_message_parse((const uint8_t *)big, strlen(big), config, &message);
  ok(r == IPC_RESULT_MALFORMED_BODY && message == NULL && last_error_has("more than 4096 fields (the limit)"),
     "108000 fields (issue 13): MALFORMED_BODY, too many fields");
  free(big);
  big = name_body(IPC_MAX_FIELD_NAME_BYTES);
  r = ipc_verify_form((const uint8_t *)big, strlen(big), sim_cert);
  ok_code(r, IPC_RESULT_SIGNATURE_INVALID, "a 64-byte name reaches the RSA check");
  free(big);
  big = name_body(IPC_MAX_FIELD_NAME_BYTES + 1);
  r = ipc_verify_form((const uint8_t *)big, strlen(big), sim_cert);
  ok(r == IPC_RESULT_MALFORMED_BODY && last_error_has("field name at position 1 is longer than 64 bytes (the limit)"),
     "a 65-byte name: MALFORMED_BODY naming the limit");
  free(big);
  const char *dup = "Amount=1&b=2&AMOUNT=3&Signature=AAAA";
  r = ipc_verify_form((const uint8_t *)dup, strlen(dup), sim_cert);
  ok(r == IPC_RESULT_DUPLICATE_FIELD && last_error_has("AMOUNT"), "duplicate names in another letter case: DUPLICATE_FIELD");

  ipc_string_free(signed_body);
  ipc_config_free(config);
  free(sim_key);
  free(sim_cert);
  free(merchant_key);
  return tap_done();
}
