<?php

/**
 * Deleting the plug-in: its jobs, options, transients and the table of myPOS messages go, on
 * every site of a network; the orders' myPOS meta stays for accounting (Lifecycle).
 */

if (!defined('WP_UNINSTALL_PLUGIN')) {
    exit;
}

require_once __DIR__ . '/includes/autoload.php';

\MyPOS\IPC\WooCommerce\Lifecycle::uninstall();
