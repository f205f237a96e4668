<?php

/**
 * Removes the gateway settings (including the encrypted keys), the order flags and the table of
 * myPOS messages (MessageClaims) when the plug-in is deleted.
 */

if (!defined('WP_UNINSTALL_PLUGIN')) {
    exit;
}

delete_option('woocommerce_mypos_ipc_settings');
delete_option('mypos_ipc_order_flags');
// MessageClaims::TABLE (the plug-in's classes are not loaded here).
$GLOBALS['wpdb']->query('DROP TABLE IF EXISTS ' . $GLOBALS['wpdb']->prefix . 'mypos_ipc_messages');
