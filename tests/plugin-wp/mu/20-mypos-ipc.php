<?php

/**
 * Plugin Name: myPOS IPC for WooCommerce (loaded as a must-use plug-in by the tests)
 */

// phpcs:ignoreFile -- test fixture.

if (defined('ABSPATH') && defined('MYPOS_WP_TEST_PLUGIN')) {
    require_once MYPOS_WP_TEST_PLUGIN;
}
