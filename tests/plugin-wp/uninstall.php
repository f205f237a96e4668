<?php

// phpcs:ignoreFile -- test tool.
// Usage: php uninstall.php WP_DIR ORDER_ID — adds an option and a transient under the plug-in's
// prefix, runs the plug-in's uninstall.php as WordPress does (WP_UNINSTALL_PLUGIN) and prints,
// as JSON, what the database holds afterwards: the plug-in's rows, another option, the order's meta.

$_SERVER['HTTP_HOST'] = '127.0.0.1';
require $argv[1] . '/wp-load.php';
global $wpdb;
$order = (int) $argv[2];
update_option('mypos_ipc_probe', 'x');
set_transient('mypos_ipc_probe', 'x', 600);
$rows = static fn (): array => $wpdb->get_col(
    "SELECT option_name FROM {$wpdb->options} WHERE option_name LIKE '%mypos\\_ipc%' ORDER BY option_name"
);
$before = $rows();
define('WP_UNINSTALL_PLUGIN', plugin_basename(MYPOS_WP_TEST_PLUGIN));
include dirname(MYPOS_WP_TEST_PLUGIN) . '/uninstall.php';
wp_cache_flush();
echo json_encode([
    'before' => $before,
    'after' => $rows(),
    'siteurl_kept' => get_option('siteurl') !== false,
    'trnref' => (string) get_post_meta($order, '_mypos_ipc_trnref', true),
]), "\n";
