<?php

/**
 * Plugin Name: myPOS IPC concurrency test hooks (tests only)
 * Description: Records when each ?wc-api request starts and ends, when payment_complete really
 *              completes a payment, and when the order lock is asked for and released; holds the
 *              lock for the `mypos_wp_test_hold_ms` option before releasing it so that concurrent
 *              notifications really overlap.
 */

// phpcs:ignoreFile -- test fixture.

if (!defined('ABSPATH') || !defined('MYPOS_WP_TEST_EVENTS')) {
    return;
}

function mypos_wp_test_event(string $what, string $detail = ''): void
{
    $line = sprintf("%.6f %d %s %s\n", microtime(true), getmypid(), $what, $detail);
    file_put_contents(MYPOS_WP_TEST_EVENTS, $line, FILE_APPEND | LOCK_EX);
}

if (isset($_GET['wc-api'])) {
    $mypos_wp_test_request = substr(md5(uniqid('', true)), 0, 8);
    mypos_wp_test_event('enter', $mypos_wp_test_request);
    register_shutdown_function(static function () use ($mypos_wp_test_request): void {
        mypos_wp_test_event('leave', $mypos_wp_test_request . ' ' . http_response_code());
    });
}

add_filter('query', static function (string $query): string {
    if (stripos($query, 'SELECT GET_LOCK(') === 0) {
        mypos_wp_test_event('lock-ask');
    } elseif (stripos($query, 'SELECT RELEASE_LOCK(') === 0) {
        $hold = (int) get_option('mypos_wp_test_hold_ms', 0);
        if ($hold > 0 && $hold <= 2000) {
            usleep($hold * 1000);
        }
        mypos_wp_test_event('lock-release');
    }
    return $query;
});

add_action('woocommerce_payment_complete', static function ($orderId, $trnref = ''): void {
    mypos_wp_test_event('payment_complete', $orderId . ' ' . $trnref);
}, 10, 2);
