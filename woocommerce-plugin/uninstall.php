<?php

/**
 * Deleting the plug-in: its jobs, options and transients go, on every site of a network; the
 * orders' myPOS meta stays for accounting (Lifecycle).
 */

if (!defined('WP_UNINSTALL_PLUGIN')) {
    exit;
}

require_once __DIR__ . '/includes/autoload.php';

\MyPOS\IPC\WooCommerce\Lifecycle::uninstall();
