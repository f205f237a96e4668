/* The hostile notify bodies of tests/hostile.rs, replayed through the C ABI: the one-shot
 * ipc_verify_form and ipc_message_parse (the notify entry point with a config). Each must end
 * in the exact ipc_result the table gives, with a specific last-error detail. The table is
 * tests/data/hostile-notifies.tsv (tab-separated; see its header), copied by prepare-data.py. */
#include "tap.h"

#define SENTINEL ((ipc_message *)0x1)
#define MAX_CASES 512

static const char *data;

static int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

/* Splits `line` in place at tabs into at most `max` columns; returns how many. */
static int split_tabs(char *line, char **cols, int max) {
  int n = 0;
  cols[n++] = line;
  for (char *p = line; *p != '\0' && n < max; p++) {
    if (*p == '\t') {
      *p = '\0';
      cols[n++] = p + 1;
    }
  }
  return n;
}

/* Decodes the hex body and appends `count` padding bytes; NULL on a malformed column. */
static uint8_t *build_body(const char *hex, int pad, unsigned long count, size_t *len_out) {
  size_t hex_len = strlen(hex);
  if (hex_len % 2 != 0 || pad < 0) return NULL;
  size_t len = hex_len / 2 + count;
  uint8_t *body = malloc(len + 1); /* +1: a zero-length body still gets a valid pointer */
  if (body == NULL) return NULL;
  for (size_t i = 0; i < hex_len / 2; i++) {
    int hi = hex_value(hex[2 * i]), lo = hex_value(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) { free(body); return NULL; }
    body[i] = (uint8_t)(hi * 16 + lo);
  }
  memset(body + hex_len / 2, pad, count);
  *len_out = len;
  return body;
}

/* The last error must be NULL after success, and contain `want` otherwise ("signature
 * invalid" must be the whole detail: the one error that says nothing more). */
static int detail_matches(ipc_result got, const char *want) {
  const char *detail = ipc_last_error_message();
  if (got == IPC_RESULT_OK) return detail == NULL;
  if (detail == NULL || detail[0] == '\0') return 0;
  if (got == IPC_RESULT_SIGNATURE_INVALID) return strcmp(detail, want) == 0;
  return strstr(detail, want) != NULL;
}

static int replay(char *line, ipc_config *configs[2], const char *certs[2]) {
  char *col[8];
  if (split_tabs(line, col, 8) != 8) {
    ok(0, "table line has 8 columns");
    return 0;
  }
  const char *name = col[0], *detail = col[4];
  unsigned long want_form = strtoul(col[2], NULL, 10), want_parse = strtoul(col[3], NULL, 10);
  int pad = (int)strtol(col[5], NULL, 16);
  unsigned long count = strtoul(col[6], NULL, 10);
  int which = strcmp(col[1], certs[0]) == 0 ? 0 : strcmp(col[1], certs[1]) == 0 ? 1 : -1;
  size_t len = 0;
  uint8_t *body = build_body(col[7], pad, count, &len);
  char title[256];
  snprintf(title, sizeof title, "%s: body and certificate read", name);
  if (!ok(body != NULL && which >= 0, title)) {
    free(body);
    return 0;
  }

  char *cert = read_in(data, col[1], NULL);
  ipc_result form = ipc_verify_form(body, len, cert);
  int good = form == want_form && detail_matches(form, detail);
  snprintf(title, sizeof title, "%s: ipc_verify_form gives %lu (%s)", name, want_form, ipc_result_str((ipc_result)want_form));
  if (!ok(good, title))
    printf("# got %u (%s), want detail containing '%s'\n", (unsigned)form, ipc_result_str(form), detail);
  free(cert);

  ipc_message *message = SENTINEL;
  ipc_result parse = ipc_message_parse(body, len, configs[which], &message);
  good = parse == want_parse && detail_matches(parse, detail);
  if (parse == IPC_RESULT_OK) {
    /* a verified message reads back its method; the out-param is a real object */
    char *method = NULL;
    good = good && message != SENTINEL && message != NULL &&
           ipc_message_method(message, &method) == IPC_RESULT_OK && method != NULL && method[0] != '\0';
    ipc_string_free(method);
    ipc_message_free(message);
  } else {
    good = good && message == SENTINEL; /* out-params are written only on success */
  }
  snprintf(title, sizeof title, "%s: ipc_message_parse gives %lu (%s)", name, want_parse, ipc_result_str((ipc_result)want_parse));
  if (!ok(good, title))
    printf("# got %u (%s), want detail containing '%s'\n", (unsigned)parse, ipc_result_str(parse), detail);
  free(body);
  return 1;
}

int main(void) {
  data = getenv("IPC_TEST_DATA");
  if (data == NULL) {
    printf("not ok 1 - IPC_TEST_DATA is set\n1..1\n");
    return 1;
  }
  const char *certs[2] = {"simulated-mypos-cert.pem", "mypos-test-public-cert.pem"};
  char *key = read_in(data, "merchant_private.pem", NULL);
  ipc_config *configs[2] = {NULL, NULL};
  for (int i = 0; i < 2; i++) {
    char *cert = read_in(data, certs[i], NULL);
    ok_code(ipc_config_new("000000000000010", "61938166610", 1, key, cert, "test", &configs[i]),
            IPC_RESULT_OK, certs[i]);
    free(cert);
  }
  free(key);

  size_t table_len = 0;
  char *table = read_in(data, "hostile-notifies.tsv", &table_len);
  long declared = -1, replayed = 0;
  for (char *line = table, *next; table != NULL && line != NULL && *line != '\0'; line = next) {
    next = strchr(line, '\n');
    if (next != NULL) *next++ = '\0';
    if (strncmp(line, "# count\t", 8) == 0) declared = strtol(line + 8, NULL, 10);
    if (line[0] == '#' || line[0] == '\0') continue;
    replayed += replay(line, configs, certs);
    if (replayed > MAX_CASES) break;
  }
  char title[128];
  snprintf(title, sizeof title, "replayed %ld of %ld cases (at least 60)", replayed, declared);
  ok(declared >= 60 && replayed == declared, title);
  free(table);
  ipc_config_free(configs[0]);
  ipc_config_free(configs[1]);
  return tap_done();
}
