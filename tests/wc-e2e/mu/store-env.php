<?php

/**
 * Plugin Name: e2e store environment (tests only)
 * Description: The e2e store has no mail server and no internet: e-mails are appended to the
 *              file MYPOS_WC_E2E_MAIL_LOG instead of sent; update checks, WooCommerce's
 *              remote inbox and its WooCommerce.com connect notice are off; the "first order"
 *              overlay of WooCommerce 10+ (it takes every click on the order screen) is off. No background work either (WP-Cron is
 *              off in wp-config.php, Action Scheduler's loopback runner here): each would hold
 *              one of php -S's 4 workers, and the concurrent notifies need all four at once.
 */

// phpcs:ignoreFile -- test fixture.

if (!defined('ABSPATH')) {
    return;
}

add_filter('pre_wp_mail', static function ($short, array $mail) {
    if (defined('MYPOS_WC_E2E_MAIL_LOG')) {
        $to = implode(',', (array) $mail['to']);
        file_put_contents(MYPOS_WC_E2E_MAIL_LOG, json_encode(['to' => $to, 'subject' => $mail['subject']]) . "\n", FILE_APPEND | LOCK_EX);
    }
    return true;
}, 10, 2);

add_action('init', static function (): void {
    remove_action('admin_init', '_maybe_update_core');
    remove_action('admin_init', '_maybe_update_plugins');
    remove_action('admin_init', '_maybe_update_themes');
    remove_action('wp_version_check', 'wp_version_check');
    remove_action('wp_update_plugins', 'wp_update_plugins');
    remove_action('wp_update_themes', 'wp_update_themes');
}, 0);
add_filter('woocommerce_admin_remote_inbox_notifications_enabled', '__return_false');
add_filter('wc_order_milestone_egg_enabled', '__return_false');
add_filter('action_scheduler_allow_async_request_runner', '__return_false');
// With WooCommerce Subscriptions (a WooCommerce.com product) installed, WooCommerce asks on its
// settings screens to connect the store to WooCommerce.com, as an error notice; no internet here.
add_action('admin_notices', static function (): void {
    remove_action('admin_notices', ['Automattic\WooCommerce\Admin\PluginsHelper', 'maybe_show_connect_notice_in_plugin_list']);
}, 0);
