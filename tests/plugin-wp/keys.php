<?php

// phpcs:ignoreFile -- test tool.
// Usage: php keys.php WP_DIR COMMAND [ARG] — issue 16 (stored secrets that survive the salts):
//   salts          new WordPress salts in wp-config.php (as a security plug-in or a migration does)
//   stored         how the test credentials are stored (JSON; never the key itself)
//   status         whether checkout offers the gateway, and the admin notices (JSON)
//   reupload FILE  saves the settings form with the configuration pack in FILE pasted

use MyPOS\IPC\WooCommerce\Gateway;
use MyPOS\IPC\WooCommerce\Notices;
use MyPOS\IPC\WooCommerce\Settings;

[, $dir, $command] = $argv;
if ($command === 'salts') {
    $config = (string) file_get_contents($dir . '/wp-config.php');
    $changed = preg_replace("/define\\(\\\$k, '[^']*' \\. \\\$i\\);/", "define(\$k, 'rotated-" . bin2hex(random_bytes(16)) . "' . \$i);", $config, 1, $count);
    if ($count !== 1 || file_put_contents($dir . '/wp-config.php', $changed) === false) {
        fwrite(STDERR, "the salts were not found in wp-config.php\n");
        exit(1);
    }
    echo "salts changed\n";
    exit(0);
}

$_SERVER['HTTP_HOST'] = '127.0.0.1';
require $dir . '/wp-load.php';
switch ($command) {
    case 'stored':
        $stored = get_option(Settings::OPTION, []);
        $entry = $stored['test_pack'] ?? [];
        echo json_encode([
            'config_pack' => (string) ($stored['test_config_pack'] ?? ''),
            'certificate_in_clear' => str_contains((string) ($entry['certificate'] ?? ''), 'BEGIN CERTIFICATE'),
            'private_key_sealed' => substr((string) ($entry['private_key'] ?? ''), 0, 15),
            'plain_private_key_anywhere' => str_contains(serialize($stored), 'PRIVATE KEY'),
        ]), "\n";
        break;
    case 'status':
        echo json_encode([
            'available' => (new Gateway())->is_available(),
            'notices' => array_column(Notices::collect(new Settings(), true), 'text'),
        ], JSON_UNESCAPED_UNICODE), "\n";
        break;
    case 'reupload':
        $gateway = new Gateway();
        $gateway->set_post_data([
            'woocommerce_mypos_ipc_enabled' => '1',
            'woocommerce_mypos_ipc_testmode' => 'yes',
            'woocommerce_mypos_ipc_logging' => 'info',
            'woocommerce_mypos_ipc_test_config_pack' => trim((string) file_get_contents($argv[3])),
        ]);
        $gateway->process_admin_options();
        echo json_encode(WC_Admin_Settings::$errors), "\n";
        break;
    default:
        fwrite(STDERR, "unknown command $command\n");
        exit(2);
}
