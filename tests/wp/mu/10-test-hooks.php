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

/*
 * Faults one request asks for with the X-Mypos-Test header (comma-separated):
 *   noisy      another plug-in prints a notice and whitespace inside the wc-api request, with
 *              display_errors on, before the notify is handled and in the payment hook;
 *   throw      a woocommerce_payment_complete hook (it runs after the save) throws an Error;
 *   throw-exc  ... throws an Exception (WooCommerce's payment_complete() catches that kind);
 *   stall      the payment stalls 5.5 s before it is saved, holding the order lock;
 *   hold       the order lock is kept 4.5 s after the save;
 *   lock-null  GET_LOCK answers NULL; lock-error: the GET_LOCK query fails;
 *   no-defer   WooCommerce's transactional e-mails are not deferred (its default).
 * X-Mypos-Mail-Ms: how long the mail transport takes per message (instant by default).
 */
function mypos_test_fault(string $name): bool
{
    $faults = array_map('trim', explode(',', (string) ($_SERVER['HTTP_X_MYPOS_TEST'] ?? '')));
    return in_array($name, $faults, true);
}

if (mypos_test_fault('no-defer')) {
    add_filter('woocommerce_defer_transactional_emails', '__return_false', 1000);
}

add_action('woocommerce_api_request', static function (): void {
    if (mypos_test_fault('noisy')) {
        ini_set('display_errors', '1');
        echo "\n  \t";
        trigger_error('Undefined array key "shipping" in another plug-in', E_USER_WARNING);
    }
});

add_action('woocommerce_pre_payment_complete', static function (): void {
    if (mypos_test_fault('stall')) {
        mypos_test_event('stall');
        usleep(5500000);
    }
});

add_action('woocommerce_payment_complete', static function (): void {
    if (mypos_test_fault('noisy')) {
        echo "<p>Thanks!</p>\n";
        trigger_error('payment hook notice', E_USER_WARNING);
    }
    if (mypos_test_fault('throw')) {
        throw new Error('a payment hook of another plug-in failed');
    }
    if (mypos_test_fault('throw-exc')) {
        throw new RuntimeException('a payment hook of another plug-in failed');
    }
}, 20);

add_filter('query', static function (string $query): string {
    if (stripos($query, 'SELECT GET_LOCK(') === 0) {
        if (mypos_test_fault('lock-null')) {
            return 'SELECT NULL';
        }
        if (mypos_test_fault('lock-error')) {
            return 'SELECT GET_LOCK_BROKEN()';
        }
    }
    if (stripos($query, 'SELECT RELEASE_LOCK(') === 0 && mypos_test_fault('hold')) {
        mypos_test_event('hold');
        usleep(4500000);
    }
    return $query;
}, 5);

// A custom status that another plug-in counts as paid.
add_action('init', static function (): void {
    register_post_status('wc-shipped', ['internal' => true, 'label' => 'shipped']);
});
add_filter('woocommerce_order_is_paid_statuses', static fn (array $statuses): array => [...$statuses, 'shipped']);

// A mail transport that takes X-Mypos-Mail-Ms per message, at most 10 s.
add_filter('pre_wp_mail', static function ($short, array $atts) {
    $ms = min(10000, max(0, (int) ($_SERVER['HTTP_X_MYPOS_MAIL_MS'] ?? 0)));
    mypos_test_event('mail-start', (string) ($atts['subject'] ?? ''));
    usleep($ms * 1000);
    mypos_test_event('mail-end', (string) ($atts['subject'] ?? ''));
    return true;
}, 10, 2);
