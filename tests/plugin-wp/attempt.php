<?php

// phpcs:ignoreFile -- test tool.
// Usage: php attempt.php WP_DIR — a new pending 24.45 EUR order whose pay page was shown: its
// first payment attempt recorded as the gateway records it (PurchaseForm::forAttempt, the chosen
// mode). Prints "ORDER_ID OrderID-sent-to-myPOS ATTEMPTS_JSON" on one line.

use MyPOS\IPC\WooCommerce\Attempts;
use MyPOS\IPC\WooCommerce\PurchaseForm;
use MyPOS\IPC\WooCommerce\Settings;

$_SERVER['HTTP_HOST'] = '127.0.0.1';
require $argv[1] . '/wp-load.php';
$order = WC_Order::create('24.45', 'EUR', 'mypos_ipc');
$settings = new Settings();
$request = (new PurchaseForm($settings))->forAttempt($settings->config(), $order, (string) $settings->mode(), home_url('/?wc-api=mypos_ipc'));
$stored = wc_get_order($order->get_id());
echo $order->get_id(), ' ', $request->fields()['OrderID'], ' ', json_encode(Attempts::all($stored)), "\n";
