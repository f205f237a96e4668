/* Minimal TAP helpers shared by the C tests of libipc. */
#ifndef IPC_TEST_TAP_H
#define IPC_TEST_TAP_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipc.h"

static int tap_n = 0;
static int tap_failed = 0;

/* Prints one TAP line and returns the condition. */
static inline int ok(int cond, const char *name) {
  tap_n++;
  if (cond) {
    printf("ok %d - %s\n", tap_n, name);
  } else {
    tap_failed++;
    printf("not ok %d - %s\n", tap_n, name);
    const char *detail = ipc_last_error_message();
    if (detail != NULL) printf("# last error: %s\n", detail);
  }
  return cond;
}

/* Asserts a result code, printing both texts on mismatch. */
static inline int ok_code(ipc_result got, ipc_result want, const char *name) {
  int good = ok(got == want, name);
  if (!good) printf("# got %u (%s), want %u (%s)\n", (unsigned)got, ipc_result_str(got), (unsigned)want, ipc_result_str(want));
  return good;
}

/* True when the last failure's detail mentions `needle`. */
static inline int last_error_has(const char *needle) {
  const char *detail = ipc_last_error_message();
  return detail != NULL && strstr(detail, needle) != NULL;
}

/* Reads a whole file into a NUL-terminated heap buffer (NULL on failure). */
static inline char *read_file(const char *path, size_t *len_out) {
  FILE *f = fopen(path, "rb");
  if (f == NULL) return NULL;
  size_t cap = 4096, len = 0;
  char *buf = malloc(cap);
  if (buf == NULL) { fclose(f); return NULL; }
  for (;;) {
    size_t n = fread(buf + len, 1, cap - len - 1, f);
    len += n;
    if (n == 0) break;
    if (cap - len - 1 == 0) {
      char *bigger = realloc(buf, cap * 2);
      if (bigger == NULL) { free(buf); fclose(f); return NULL; }
      buf = bigger;
      cap *= 2;
    }
  }
  fclose(f);
  buf[len] = '\0';
  if (len_out != NULL) *len_out = len;
  return buf;
}

/* Reads a file from a directory. */
static inline char *read_in(const char *dir, const char *name, size_t *len_out) {
  char path[4096];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  char *text = read_file(path, len_out);
  if (text == NULL) printf("# cannot read %s\n", path);
  return text;
}

/* The test data directory (IPC_TEST_DATA), or NULL after a "Bail out!" line. */
static inline const char *test_data(void) {
  const char *dir = getenv("IPC_TEST_DATA");
  if (dir == NULL) printf("Bail out! IPC_TEST_DATA is not set\n");
  return dir;
}

/* Reads files of `dir` given as (name, char **out) pairs ending with NULL. False after a
 * "Bail out!" line when one is missing (the others read stay in their out-parameters). */
static inline int read_all(const char *dir, ...) {
  va_list args;
  int all = 1;
  va_start(args, dir);
  for (const char *name = va_arg(args, const char *); name != NULL; name = va_arg(args, const char *)) {
    char **out = va_arg(args, char **);
    *out = read_in(dir, name, NULL);
    all = all && *out != NULL;
  }
  va_end(args);
  if (!all) printf("Bail out! keys missing\n");
  return all;
}

/* Compares a library string with the expected text and frees it. */
static inline int ok_string(char *got, const char *want, const char *name) {
  int good = ok(got != NULL && strcmp(got, want) == 0, name);
  if (!good) printf("# got '%s', want '%s'\n", got ? got : "(null)", want);
  ipc_string_free(got);
  return good;
}

/* Asserts that a request has field `field` (TAP line `present`) whose value is `want`
 * (TAP line `name`). */
static inline int ok_field(ipc_request *req, const char *field, const char *want, const char *present, const char *name) {
  char *value = NULL;
  if (!ok_code(ipc_request_get(req, field, &value), IPC_RESULT_OK, present)) return 0;
  return ok_string(value, want, name);
}

/* Asserts a string getter's result (TAP line `present`) and the string it gave (TAP line
 * `name`); the string is freed and `*value` reset to NULL. */
static inline int ok_out(ipc_result got, char **value, const char *want, const char *present, const char *name) {
  int good = ok_code(got, IPC_RESULT_OK, present);
  if (good) {
    good = ok_string(*value, want, name); /* frees the string */
  } else {
    ipc_string_free(*value);
  }
  *value = NULL;
  return good;
}

/* Asserts the kind of a parsed message. */
static inline int ok_kind(const ipc_message *m, ipc_message_kind want, const char *name) {
  ipc_message_kind kind = 99;
  return ok(ipc_message_get_kind(m, &kind) == IPC_RESULT_OK && kind == want, name);
}

/* Frees `n` heap buffers (NULL ones too). */
static inline void free_each(int n, ...) {
  va_list args;
  va_start(args, n);
  for (int i = 0; i < n; i++) free(va_arg(args, void *));
  va_end(args);
}

/* strdup is not C99. */
static inline char *dup_string(const char *s) {
  size_t n = strlen(s) + 1;
  char *copy = malloc(n);
  if (copy != NULL) memcpy(copy, s, n);
  return copy;
}

static inline int tap_done(void) {
  printf("1..%d\n", tap_n);
  return tap_failed == 0 ? 0 : 1;
}

#endif
