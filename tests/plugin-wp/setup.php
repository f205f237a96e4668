<?php

// phpcs:ignoreFile -- test tool.
// Usage: php setup.php WP_DIR PACK_FILE HOLD_MS [COUNT] — stores the sealed config pack in the
// gateway settings, the lock hold time, creates COUNT (1) pending 24.45 EUR orders; prints their IDs.

$_SERVER['HTTP_HOST'] = '127.0.0.1';
require $argv[1] . '/wp-load.php';
$pack = trim((string) file_get_contents($argv[2]));
update_option(\MyPOS\IPC\WooCommerce\Settings::OPTION, [
    'enabled' => 'yes',
    'testmode' => 'yes',
    'test_pack' => \MyPOS\IPC\WooCommerce\Keyring::entryFromPack($pack, 'test'),
    'logging' => 'info',
]);
update_option('mypos_test_hold_ms', (int) $argv[3]);
if ((new \MyPOS\IPC\WooCommerce\Settings())->config() === null) {
    fwrite(STDERR, "the stored settings give no usable configuration\n");
    exit(1);
}
for ($i = 0; $i < (int) ($argv[4] ?? 1); $i++) {
    echo WC_Order::create('24.45', 'EUR', 'mypos_ipc')->get_id(), "\n";
}
// These orders stand for payments already at myPOS under their bare order id (made before the
// plug-in recorded payment attempts): attempts are recorded from the next second on. Orders made
// later pay through their recorded attempts (attempt.php).
update_option(\MyPOS\IPC\WooCommerce\Attempts::SINCE_OPTION, time() + 1);
