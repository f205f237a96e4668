<?php

// phpcs:ignoreFile -- test tool.
// Runs inside the e2e store (as user 1). Usage: php wp.php SITE_DIR URL COMMAND [ARGS...]
//   configure PACK_FILE ENDPOINT_URL  the gateway on, test mode, the sealed pack, the sandbox URL
//   new-order                         a pending myPOS order for TEST-1 (prints its ID)
//   latest-order                      the ID of the newest order (0 if none)
//   order ID                          the order as stored, as JSON
//   hold MS                           the test hook's lock hold time (0: off)
//   hpos                              on or off (order storage in use now)
//   rewrite                           rebuilds the rewrite rules; prints how many order-pay rules
[, $site, $url, $command] = $argv;
$args = array_slice($argv, 4);
$_SERVER['HTTP_HOST'] = parse_url($url, PHP_URL_HOST) . ':' . parse_url($url, PHP_URL_PORT);
$_SERVER['REQUEST_URI'] = '/';
$_SERVER['SERVER_PROTOCOL'] = 'HTTP/1.1';
require $site . '/wp-load.php';
wp_set_current_user(1);

use MyPOS\IPC\WooCommerce\Settings;

switch ($command) {
    case 'configure':
        $pack = trim((string) file_get_contents($args[0]));
        update_option(Settings::OPTION, [
            'enabled' => 'yes',
            'testmode' => 'yes',
            'test_config_pack' => Settings::sealPack($pack, 'test'),
            'test_endpoint_url' => $args[1],
            'logging' => 'info',
        ]);
        $ok = (new Settings())->config() !== null;
        echo $ok ? "configured\n" : "the stored settings give no usable configuration\n";
        exit($ok ? 0 : 1);
    case 'new-order':
        $product = wc_get_product(wc_get_product_id_by_sku('TEST-1'));
        $order = wc_create_order();
        $order->add_product($product, 1);
        $order->set_address(['first_name' => 'Lock', 'last_name' => 'Test', 'email' => 'lock@example.test', 'country' => 'BG'], 'billing');
        $order->set_payment_method('mypos_ipc');
        $order->calculate_totals();
        $order->set_status('pending');
        $order->save();
        echo $order->get_id(), "\n";
        break;
    case 'latest-order':
        $ids = wc_get_orders(['limit' => 1, 'orderby' => 'id', 'order' => 'DESC', 'return' => 'ids', 'type' => 'shop_order']);
        echo (int) ($ids[0] ?? 0), "\n";
        break;
    case 'order':
        global $wpdb;
        $order = wc_get_order((int) $args[0]);
        if (!$order) {
            echo "null\n";
            break;
        }
        $meta = \Automattic\WooCommerce\Utilities\OrderUtil::custom_orders_table_usage_is_enabled()
            ? $wpdb->prefix . 'wc_orders_meta' : $wpdb->postmeta;
        $idColumn = $meta === $wpdb->postmeta ? 'post_id' : 'order_id';
        echo json_encode([
            'status' => $order->get_status(),
            'total' => $order->get_total(),
            'payment_method' => $order->get_payment_method(),
            'transaction_id' => $order->get_transaction_id(),
            // rows in the meta table, not the object: a double write would show as 2
            'trnref_rows' => $wpdb->get_col($wpdb->prepare("SELECT meta_value FROM {$meta} WHERE {$idColumn} = %d AND meta_key = '_mypos_ipc_trnref'", $order->get_id())),
            'date_paid' => $order->get_date_paid() ? $order->get_date_paid()->format('c') : '',
            'refunded' => (string) $order->get_total_refunded(),
            'refunds' => array_map(static fn ($r) => ['amount' => $r->get_amount(), 'refunded_payment' => $r->get_refunded_payment()], $order->get_refunds()),
            'notes' => array_map(static fn ($n) => $n->content, array_reverse(wc_get_order_notes(['order_id' => $order->get_id()]))),
            'hpos' => \Automattic\WooCommerce\Utilities\OrderUtil::custom_orders_table_usage_is_enabled(),
        ], JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE), "\n";
        break;
    case 'hold':
        update_option('mypos_e2e_hold_ms', (int) $args[0]);
        echo "hold {$args[0]} ms\n";
        break;
    case 'hpos':
        echo \Automattic\WooCommerce\Utilities\OrderUtil::custom_orders_table_usage_is_enabled() ? "on\n" : "off\n";
        break;
    case 'rewrite':
        // WooCommerce flushes queued rewrite rules at init priority 5, before it adds its endpoints
        // (order-pay, order-received) at priority 10; the store set-up leaves such a flush queued,
        // after which /checkout/order-pay/N/ is a 404. Rebuild them once, endpoints included.
        update_option('woocommerce_queue_flush_rewrite_rules', 'no');
        flush_rewrite_rules(false);
        echo count(array_filter((array) get_option('rewrite_rules'), static fn ($v) => strpos($v, '&order-pay=') !== false)), "\n";
        break;
    default:
        fwrite(STDERR, "unknown command {$command}\n");
        exit(64);
}
