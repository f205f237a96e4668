<?php

/**
 * Plugin Name: myPOS IPC test hooks (tests only)
 * Description: For the suites on a real WordPress (tests/plugin-wp, tests/load, tests/wc-e2e):
 *              records when each wc-api request starts and ends, when the order lock is asked
 *              for and released and when a payment completes (file MYPOS_WP_TEST_EVENTS); holds
 *              the lock for the `mypos_test_hold_ms` option before releasing it, so concurrent
 *              notifies really overlap; lets the gateway reach a sandbox on 127.0.0.1.
 */

// phpcs:ignoreFile -- test fixture.

if (!defined('ABSPATH') || !defined('MYPOS_WP_TEST_EVENTS')) {
    return;
}

// WP_HTTP_BLOCK_EXTERNAL is on; wp_safe_remote_* must still reach the sandbox on 127.0.0.1.
add_filter('http_request_host_is_external', static fn ($external, $host) => $external || $host === '127.0.0.1', 10, 2);

function mypos_test_event(string $what, string $detail = ''): void
{
    $line = sprintf("%.6f %d %s %s\n", microtime(true), getmypid(), $what, $detail);
    file_put_contents(MYPOS_WP_TEST_EVENTS, $line, FILE_APPEND | LOCK_EX);
}

if (isset($_GET['wc-api']) || strpos((string) ($_SERVER['REQUEST_URI'] ?? ''), '/wc-api/') !== false) {
    $mypos_test_request = substr(md5(uniqid('', true)), 0, 8);
    mypos_test_event('enter', $mypos_test_request);
    register_shutdown_function(static function () use ($mypos_test_request): void {
        mypos_test_event('leave', $mypos_test_request . ' ' . http_response_code());
    });
}

add_filter('query', static function (string $query): string {
    if (stripos($query, 'SELECT GET_LOCK(') === 0) {
        mypos_test_event('lock-ask');
    } elseif (stripos($query, 'SELECT RELEASE_LOCK(') === 0) {
        $hold = (int) get_option('mypos_test_hold_ms', 0);
        if ($hold > 0 && $hold <= 2000) {
            usleep($hold * 1000);
        }
        mypos_test_event('lock-release');
    }
    return $query;
});

add_action('woocommerce_payment_complete', static function ($orderId, $trnref = ''): void {
    mypos_test_event('payment_complete', $orderId . ' ' . $trnref);
}, 10, 2);
