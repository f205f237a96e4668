<?php

/**
 * Removes the gateway settings (including the encrypted keys) when the plug-in is deleted.
 */

if (!defined('WP_UNINSTALL_PLUGIN')) {
    exit;
}

delete_option('woocommerce_mypos_ipc_settings');
