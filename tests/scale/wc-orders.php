<?php

// phpcs:ignoreFile -- test tool.
// Runs inside the real WooCommerce store (tests/wc-e2e/store.sh): COUNT pending myPOS orders of
// TEST-1, each with the payment attempt its pay page records for a buyer. Prints one line per
// order: "ID OrderID TOTAL" (OrderID: what the pay page sends to myPOS, hence what a notify names).
// Usage: php wc-orders.php SITE_DIR URL COUNT
[, $site, $url, $count] = $argv;
$_SERVER['HTTP_HOST'] = parse_url($url, PHP_URL_HOST) . ':' . parse_url($url, PHP_URL_PORT);
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
require $site . '/wp-load.php';
wp_set_current_user(1);

$product = wc_get_product(wc_get_product_id_by_sku('TEST-1'));
$gateway = WC()->payment_gateways()->payment_gateways()['mypos_ipc'] ?? null;
if (!$product || !$gateway) {
    fwrite(STDERR, "no TEST-1 product or no mypos_ipc gateway\n");
    exit(1);
}
for ($i = 0; $i < (int) $count; $i++) {
    $order = wc_create_order();
    $order->add_product($product, 1);
    $order->set_address(['first_name' => 'Scale', 'last_name' => 'Test', 'email' => 'scale@example.test', 'country' => 'BG'], 'billing');
    $order->set_payment_method('mypos_ipc');
    $order->calculate_totals();
    $order->set_status('pending');
    $order->save();
    $html = $gateway->paymentForm(wc_get_order($order->get_id()));
    if (!preg_match('/name="OrderID" value="([^"]+)"/', $html, $m)) {
        fwrite(STDERR, 'no pay-page form: ' . strip_tags($html) . "\n");
        exit(1);
    }
    echo $order->get_id(), ' ', $m[1], ' ', $order->get_total(), "\n";
}
