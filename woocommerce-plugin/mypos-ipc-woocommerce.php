<?php

/**
 * Plugin Name:          myPOS IPC for WooCommerce
 * Plugin URI:           https://github.com/mypos-ipc/mypos-ipc
 * Description:          Accept card payments through myPOS Checkout (IPC), with signing and
 *                       verification done by the native mypos_ipc PHP extension.
 * Version:              0.1.0
 * Requires at least:    6.1
 * Requires PHP:         8.2
 * WC requires at least: 11.0
 * WC tested up to:      11.0
 * Requires Plugins:     woocommerce
 * Author:               mypos-ipc contributors
 * Text Domain:          mypos-ipc
 * Domain Path:          /languages
 * License:              GPL-2.0-or-later
 * License URI:          https://www.gnu.org/licenses/gpl-2.0.html
 */

if (!defined('ABSPATH')) {
    exit;
}


require_once __DIR__ . '/includes/autoload.php';

\MyPOS\IPC\WooCommerce\Plugin::boot(__FILE__);
