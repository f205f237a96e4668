<?php

// phpcs:ignoreFile -- test tool.
// Usage: php install.php WP_DIR URL [ADMIN_PASSWORD] — wp_install() into the database wp-config.php
// names (user admin; a random password unless given). Prints "installed".

[, $dir, $url] = $argv;
define('WP_INSTALLING', true);
$_SERVER['HTTP_HOST'] = parse_url($url, PHP_URL_HOST) . ':' . parse_url($url, PHP_URL_PORT);
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
require $dir . '/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
$password = ($argv[3] ?? '') !== '' ? $argv[3] : wp_generate_password(24);
$result = wp_install('mypos-ipc test shop', 'admin', 'admin@example.invalid', false, '', wp_slash($password));
if (!is_array($result) || empty($result['user_id'])) {
    fwrite(STDERR, "wp_install failed\n");
    exit(1);
}
echo "installed\n";
