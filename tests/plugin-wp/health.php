<?php

// phpcs:ignoreFile -- test tool.
// Usage: php health.php WP_DIR COMMAND — issue 19 items 1-2 on a real WordPress (JSON out):
//   stats        what NotifyStats holds: the last notify, the last failure, the 7-day counts
//   check NONCE  "Check the notify URL" through its admin-post action as the administrator, with a
//                valid nonce ("valid") or a wrong one ("wrong"); then the stored result
//   sitehealth   WordPress's Site Health tests (WP_Site_Health::get_tests(), the site_status_tests
//                filter): ours run, with any PHP warning or notice they raise
//   panel        the settings page's health panel as the gateway renders it

use MyPOS\IPC\WooCommerce\Gateway;
use MyPOS\IPC\WooCommerce\NotifyCheck;
use MyPOS\IPC\WooCommerce\NotifyStats;

$_SERVER['HTTP_HOST'] = '127.0.0.1';
require $argv[1] . '/wp-load.php';
$problems = [];
// PHP warnings and notices anywhere, deprecations from the plug-in (WordPress 6.1 has its own on PHP 8.2).
set_error_handler(static function (int $no, string $message, string $file, int $line) use (&$problems): bool {
    if (!in_array($no, [E_DEPRECATED, E_USER_DEPRECATED], true) || str_contains($file, 'woocommerce-plugin')) {
        $problems[] = "$message at " . basename($file) . ":$line";
    }
    return true;
});
switch ($argv[2] ?? '') {
    case 'stats':
        echo json_encode(['last' => NotifyStats::last(), 'failure' => NotifyStats::failure(), 'counts' => NotifyStats::counts(time())]), "\n";
        break;
    case 'check':
        // WooCommerce's installer gives administrators manage_woocommerce; the stand-in does not install.
        get_role('administrator')->add_cap('manage_woocommerce');
        $admin = get_users(['role' => 'administrator', 'number' => 1])[0];
        wp_set_current_user($admin->ID);
        $_REQUEST['_wpnonce'] = ($argv[3] ?? '') === 'valid' ? wp_create_nonce(NotifyCheck::ACTION) : 'wrong';
        register_shutdown_function(static function () use (&$problems): void {
            echo "\n", json_encode(['result' => NotifyCheck::last(), 'problems' => $problems]), "\n";
        });
        do_action('admin_post_' . NotifyCheck::ACTION); // redirects and exits (or dies on a bad nonce)
        break;
    case 'sitehealth':
        require_once ABSPATH . 'wp-admin/includes/class-wp-site-health.php';
        $tests = WP_Site_Health::get_tests();
        $out = ['wordpress_tests_kept' => isset($tests['direct']['wordpress_version']), 'results' => []];
        foreach ($tests['direct'] as $id => $test) {
            if (str_starts_with($id, 'mypos_ipc_')) {
                $result = call_user_func($test['test']);
                $out['results'][substr($id, 10)] = [$result['status'], $result['label'], wp_strip_all_tags($result['description'])];
            }
        }
        ob_start();
        do_action('woocommerce_system_status_report');
        $out['status_report'] = wp_strip_all_tags((string) ob_get_clean());
        $out['problems'] = $problems;
        echo json_encode($out, JSON_UNESCAPED_SLASHES), "\n";
        break;
    case 'panel':
        $gateway = new Gateway();
        echo json_encode(['html' => $gateway->generate_mypos_health_html('health', $gateway->form_fields['health']), 'problems' => $problems], JSON_UNESCAPED_SLASHES), "\n";
        break;
    default:
        fwrite(STDERR, "unknown command\n");
        exit(2);
}
