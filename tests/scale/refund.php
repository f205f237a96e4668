<?php

// phpcs:ignoreFile -- test tool.
// Usage: php refund.php WP_DIR endpoint URL        the test mode's myPOS API URL
//        php refund.php WP_DIR refund ORDER AMOUNT AT
// The second waits until the Unix time AT (so two processes on two nodes start together), then
// refunds as WooCommerce's refund button does; prints "refunded" or "refused: <why>".
$_SERVER['HTTP_HOST'] = '127.0.0.1';
require $argv[1] . '/wp-load.php';
if ($argv[2] === 'endpoint') {
    $settings = get_option(\MyPOS\IPC\WooCommerce\Settings::OPTION, []);
    $settings['test_endpoint_url'] = $argv[3];
    update_option(\MyPOS\IPC\WooCommerce\Settings::OPTION, $settings);
    echo (new \MyPOS\IPC\WooCommerce\Settings())->endpoint('test'), "\n";
    exit;
}
if ((float) $argv[5] > microtime(true)) {
    time_sleep_until((float) $argv[5]);
} else {
    fwrite(STDERR, "started late: the two refunds may not overlap\n");
}
$result = (new \MyPOS\IPC\WooCommerce\Gateway())->process_refund((int) $argv[3], $argv[4]);
echo $result === true ? 'refunded' : 'refused: ' . (is_wp_error($result) ? $result->get_error_message() : var_export($result, true)), "\n";
