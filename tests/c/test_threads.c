/* Threads: the last-error detail is per thread, and one ipc_config is shared safely by
 * threads parsing messages at the same time. */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>

#include "tap.h"

static char *sim_key, *sim_cert, *merchant_key;
static ipc_config *shared;
static char *signed_notify;
static pthread_barrier_t barrier;

static void *failing_thread(void *arg) {
  int *result = arg;
  char *out = NULL;
  ipc_result r = ipc_sign_form(NULL, 1, "x", &out);
  pthread_barrier_wait(&barrier); /* main thread now succeeds on its side */
  pthread_barrier_wait(&barrier);
  const char *detail = ipc_last_error_message();
  *result = r == IPC_RESULT_NULL_ARGUMENT && detail != NULL && strstr(detail, "body is NULL") != NULL;
  return NULL;
}

static void *parsing_thread(void *arg) {
  int *good = arg;
  *good = 0;
  for (int i = 0; i < 10; i++) {
    ipc_message *m = NULL;
    if (ipc_message_parse((const uint8_t *)signed_notify, strlen(signed_notify), shared, &m) != IPC_RESULT_OK) continue;
    char *order = NULL;
    if (ipc_message_order_id(m, &order) == IPC_RESULT_OK && strcmp(order, "ORDER-7") == 0) (*good)++;
    ipc_string_free(order);
    ipc_message_free(m);
  }
  return NULL;
}

int main(void) {
  const char *data = test_data();
  if (data == NULL || !read_all(data, "sim_mypos_private.pem", &sim_key, "sim_mypos_cert.pem", &sim_cert,
                                "merchant_private.pem", &merchant_key, NULL)) {
    return 1;
  }

  pthread_barrier_init(&barrier, NULL, 2);
  pthread_t t;
  int thread_ok = 0;
  pthread_create(&t, NULL, failing_thread, &thread_ok);
  pthread_barrier_wait(&barrier);
  char *version_body = NULL;
  ipc_result r = ipc_sign_form((const uint8_t *)"A=1", 3, merchant_key, &version_body);
  ok(r == IPC_RESULT_OK && ipc_last_error_message() == NULL, "main thread: success leaves no last error");
  pthread_barrier_wait(&barrier);
  pthread_join(t, NULL);
  ok(thread_ok, "other thread: its own failure detail survives the main thread's success");
  ipc_string_free(version_body);
  pthread_barrier_destroy(&barrier);

  const char *notify = "IPCmethod=IPCPurchaseNotify&SID=000000000000010&Amount=5.00&Currency=EUR&OrderID=ORDER-7&IPC_Trnref=77";
  if (!ok_code(ipc_sign_form((const uint8_t *)notify, strlen(notify), sim_key, &signed_notify), IPC_RESULT_OK, "sign a notify")) return tap_done();
  if (!ok_code(ipc_config_new("000000000000010", "61938166610", 1, merchant_key, sim_cert, "test", &shared), IPC_RESULT_OK, "shared config")) return tap_done();
  enum { THREADS = 4 };
  pthread_t workers[THREADS];
  int good[THREADS];
  for (int i = 0; i < THREADS; i++) pthread_create(&workers[i], NULL, parsing_thread, &good[i]);
  int all = 1;
  for (int i = 0; i < THREADS; i++) {
    pthread_join(workers[i], NULL);
    if (good[i] != 10) all = 0;
  }
  ok(all, "4 threads x 10 messages parsed with one shared config");
  ipc_config_free(shared);
  ipc_string_free(signed_notify);
  free(sim_key);
  free(sim_cert);
  free(merchant_key);
  return tap_done();
}
