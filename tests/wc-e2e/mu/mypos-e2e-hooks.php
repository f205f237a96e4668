<?php

/**
 * Plugin Name: myPOS IPC e2e test hooks (tests only)
 * Description: Lets the gateway reach the local sandbox on 127.0.0.1; records when each ?wc-api
 *              request starts and ends, when the order lock is asked for and released and when a
 *              payment completes (wp-content/mypos-e2e-events.log); holds the lock for the
 *              `mypos_e2e_hold_ms` option before releasing it so that concurrent notifies overlap.
 */

// phpcs:ignoreFile -- test fixture.

if (!defined('ABSPATH')) {
    return;
}

// WP_HTTP_BLOCK_EXTERNAL is on; the sandbox shares the site's host (127.0.0.1), which WordPress
// already lets through; say so explicitly for wp_safe_remote_* too.
add_filter('http_request_host_is_external', static fn ($external, $host) => $external || $host === '127.0.0.1', 10, 2);

function mypos_e2e_event(string $what, string $detail = ''): void
{
    $line = sprintf("%.6f %d %s %s\n", microtime(true), getmypid(), $what, $detail);
    file_put_contents(WP_CONTENT_DIR . '/mypos-e2e-events.log', $line, FILE_APPEND | LOCK_EX);
}

$mypos_e2e_uri = (string) ($_SERVER['REQUEST_URI'] ?? '');
if (isset($_GET['wc-api']) || strpos($mypos_e2e_uri, '/wc-api/') !== false) {
    $mypos_e2e_request = substr(md5(uniqid('', true)), 0, 8);
    mypos_e2e_event('enter', $mypos_e2e_request);
    register_shutdown_function(static function () use ($mypos_e2e_request): void {
        mypos_e2e_event('leave', $mypos_e2e_request . ' ' . http_response_code());
    });
}

add_filter('query', static function (string $query): string {
    if (stripos($query, 'SELECT GET_LOCK(') === 0) {
        mypos_e2e_event('lock-ask');
    } elseif (stripos($query, 'SELECT RELEASE_LOCK(') === 0) {
        $hold = (int) get_option('mypos_e2e_hold_ms', 0);
        if ($hold > 0 && $hold <= 2000) {
            usleep($hold * 1000);
        }
        mypos_e2e_event('lock-release');
    }
    return $query;
});

add_action('woocommerce_payment_complete', static function ($orderId, $trnref = ''): void {
    mypos_e2e_event('payment_complete', $orderId . ' ' . $trnref);
}, 10, 2);

// Another plug-in's noisy, broken payment hook, as stores have them: it prints markup,
// whitespace and a PHP notice (display_errors on) and then throws an Error, which WooCommerce's
// payment_complete() does not catch. It runs after the order is saved: myPOS must still get
// exactly `OK` (the plug-in decides from the order read back and discards the output).
add_action('woocommerce_payment_complete', static function ($orderId): void {
    ini_set('display_errors', '1');
    echo "<div class=\"noisy\">Thank you!</div>\n \t\n";
    trigger_error('noisy plug-in: undefined index "shipping"', E_USER_NOTICE);
    mypos_e2e_event('noisy-hook-throws', (string) $orderId);
    throw new Error('noisy plug-in failed after the payment was saved');
}, 20);
