<?php

// phpcs:ignoreFile -- test tool.
// Usage: php install.php WP_DIR — wp_install() into the database wp-config.php names.

define('WP_INSTALLING', true);
$_SERVER['HTTP_HOST'] = '127.0.0.1';
require $argv[1] . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
$result = wp_install('mypos-ipc test shop', 'admin', 'admin@example.invalid', false, '', wp_generate_password(24));
if (!is_array($result) || empty($result['user_id'])) {
    fwrite(STDERR, "wp_install failed\n");
    exit(1);
}
echo "installed\n";
