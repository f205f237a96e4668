<?php

/**
 * Removes the gateway settings (including the encrypted keys) and the order flags when the
 * plug-in is deleted.
 */

if (!defined('WP_UNINSTALL_PLUGIN')) {
    exit;
}

delete_option('woocommerce_mypos_ipc_settings');
delete_option('mypos_ipc_order_flags');
