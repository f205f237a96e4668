<?php

/**
 * Plugin Name: Noisy payment hook (tests only)
 * Description: Another plug-in's noisy, broken payment hook, as stores have them: it prints
 *              markup, whitespace and a PHP notice (display_errors on) and then throws an Error,
 *              which WooCommerce's payment_complete() does not catch. It runs after the order is
 *              saved: myPOS must still get exactly `OK` (the plug-in decides from the order read
 *              back and discards the output).
 */

// phpcs:ignoreFile -- test fixture.

if (!defined('ABSPATH') || !function_exists('mypos_test_event')) {
    return;
}

add_action('woocommerce_payment_complete', static function ($orderId): void {
    if (get_option('mypos_test_noisy_off')) {
        return; // wp.php renew: the renewal's own checks
    }
    ini_set('display_errors', '1');
    echo "<div class=\"noisy\">Thank you!</div>\n \t\n";
    trigger_error('noisy plug-in: undefined index "shipping"', E_USER_NOTICE);
    mypos_test_event('noisy-hook-throws', (string) $orderId);
    throw new Error('noisy plug-in failed after the payment was saved');
}, 20);
