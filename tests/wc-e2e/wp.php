<?php

// phpcs:ignoreFile -- test tool.
// Runs inside the e2e store (as user 1). Usage: php wp.php SITE_DIR URL COMMAND [ARGS...]
//   configure PACK_FILE ENDPOINT_URL  the gateway on, test mode, the sealed pack, the sandbox URL
//   new-order                         a pending myPOS order for TEST-1 (prints its ID)
//   pay-page ID                       shows the order's pay page form (its payment attempt recorded
//                                     as for a buyer); prints the OrderID it sends to myPOS
//   settings                          the stored gateway settings that the owner's form sets (JSON;
//                                     never a key: only whether a plain one is stored anywhere)
//   payment-action ACTION             the setting "Payment action" (charge | authorize), as the
//                                     owner's form stores it; prints the stored value
//   user-locale LOCALE                the admin's own wp-admin language ('' : the site's)
//   latest-order                      the ID of the newest order (0 if none)
//   order ID                          the order as stored, as JSON
//   hold MS                           the test hooks' lock hold time (0: off)
//   hpos                              on or off (order storage in use now)
//   rewrite                           rebuilds the rewrite rules; prints how many order-pay rules
//   activate [--theme=SLUG] PLUGIN... activates plug-ins as wp-admin does (activation hooks run)
//   store-setup STORE_JSON            what WooCommerce's onboarding and a merchant would do, then
//                                     writes the store's facts for run.sh and browser.mjs
//   subs-setup SUBS_JSON PASSWORD     (WooCommerce Subscriptions active) a monthly subscription
//                                     product SUB-1 and a customer who can log in; facts as JSON
//   subscriptions ORDER_ID            the subscriptions the order started, with their card, and
//                                     the customer's saved myPOS cards (never a token), as JSON
//   card-tokens USER_ID               the customer's saved myPOS tokens (JSON; for a log check)
//   renew SUBSCRIPTION_ID             runs the subscription's scheduled payment action through
//                                     Action Scheduler, as its queue runner does; prints the
//                                     renewal order's ID
// Env for store-setup: WC_CHECKOUT (block|classic), WC_HPOS (1|0; unset: WooCommerce's default for
// a new store), ADMIN_PASSWORD (copied into STORE_JSON for browser.mjs).
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
            'test_pack' => \MyPOS\IPC\WooCommerce\Keyring::entryFromPack($pack, 'test'),
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
    case 'pay-page':
        $gateway = WC()->payment_gateways()->payment_gateways()['mypos_ipc'];
        $html = $gateway->paymentForm(wc_get_order((int) $args[0]));
        echo preg_match('/name="OrderID" value="([^"]+)"/', $html, $m) ? $m[1] : 'no form: ' . strip_tags($html), "\n";
        break;
    case 'settings':
        $stored = get_option(Settings::OPTION, []);
        echo json_encode([
            'enabled' => $stored['enabled'] ?? null,
            'testmode' => $stored['testmode'] ?? null,
            'order_prefix' => $stored['order_prefix'] ?? null,
            'plain_private_key_anywhere' => str_contains(serialize($stored), 'PRIVATE KEY'),
        ]), "\n";
        break;
    case 'payment-action':
        $stored = get_option(Settings::OPTION, []);
        $stored['payment_action'] = $args[0];
        update_option(Settings::OPTION, $stored);
        echo (new Settings())->get('payment_action', ''), "\n";
        break;
    case 'user-locale':
        update_user_meta(1, 'locale', $args[0] ?? '');
        echo get_user_locale(1), "\n";
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
        update_option('mypos_test_hold_ms', (int) $args[0]);
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
    case 'activate':
        require_once ABSPATH . 'wp-admin/includes/plugin.php';
        foreach ($args as $arg) {
            if (str_starts_with($arg, '--theme=')) {
                switch_theme(substr($arg, 8));
                continue;
            }
            $result = activate_plugin($arg);
            if (is_wp_error($result)) {
                fwrite(STDERR, "{$arg}: {$result->get_error_message()}\n");
                exit(1);
            }
        }
        echo "activated\n";
        break;
    case 'store-setup':
        echo json_encode(mypos_e2e_store_setup($args[0]), JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES), "\n";
        break;
    case 'subs-setup':
        $product = new WC_Product_Subscription();
        $product->set_name('Test Subscription');
        $product->set_sku('SUB-1');
        $product->set_regular_price('9.99');
        $product->set_virtual(true);
        $product->set_status('publish');
        $product->update_meta_data('_subscription_price', '9.99');
        $product->update_meta_data('_subscription_period', 'month');
        $product->update_meta_data('_subscription_period_interval', '1');
        $product->update_meta_data('_subscription_length', '0');
        $product->save();
        $user = wp_insert_user(['user_login' => 'subscriber', 'user_pass' => $args[1], 'user_email' => 'subscriber@example.test',
            'role' => 'customer', 'first_name' => 'Maria', 'last_name' => 'Ivanova']);
        if (is_wp_error($user)) {
            fwrite(STDERR, $user->get_error_message() . "\n");
            exit(1);
        }
        foreach (['billing_first_name' => 'Maria', 'billing_last_name' => 'Ivanova', 'billing_address_1' => '1 Vitosha Blvd',
            'billing_city' => 'Sofia', 'billing_postcode' => '1000', 'billing_country' => 'BG', 'billing_email' => 'subscriber@example.test'] as $k => $v) {
            update_user_meta($user, $k, $v);
        }
        $facts = ['wcs_version' => class_exists('WC_Subscriptions') ? WC_Subscriptions::$version : '',
            'product_url' => get_permalink($product->get_id()), 'login_url' => wc_get_page_permalink('myaccount'),
            'user' => 'subscriber', 'user_id' => $user, 'password' => $args[1]];
        file_put_contents($args[0], json_encode($facts, JSON_UNESCAPED_SLASHES) . "\n");
        echo json_encode($facts + ['password' => '-'], JSON_UNESCAPED_SLASHES), "\n";
        break;
    case 'subscriptions':
        $order = wc_get_order((int) $args[0]);
        $cards = static fn (int $user) => array_values(array_map(static fn ($t) => ['id' => $t->get_id(),
            'last4' => $t->get_last4(), 'expiry' => $t->get_expiry_month() . '/' . $t->get_expiry_year(),
            'type' => $t->get_card_type(), 'token_length' => strlen($t->get_token())],
            WC_Payment_Tokens::get_customer_tokens($user, 'mypos_ipc')));
        echo json_encode([
            'customer' => $order->get_customer_id(),
            'attempt_card' => \MyPOS\IPC\WooCommerce\Attempts::latest($order)['card'] ?? null,
            'cards' => $cards($order->get_customer_id()),
            'subscriptions' => array_values(array_map(static fn ($s) => ['id' => $s->get_id(), 'status' => $s->get_status(),
                'payment_method' => $s->get_payment_method(), 'total' => $s->get_total(),
                'card' => (int) $s->get_meta(\MyPOS\IPC\WooCommerce\Subscriptions::CARD_META),
                'requires_manual_renewal' => $s->is_manual()], wcs_get_subscriptions_for_order($order, ['order_type' => 'parent']))),
        ], JSON_UNESCAPED_SLASHES), "\n";
        break;
    case 'card-tokens':
        // For the log check only: the tokens stay in the test's memory.
        echo json_encode(array_values(array_map(static fn ($t) => $t->get_token(), WC_Payment_Tokens::get_customer_tokens((int) $args[0], 'mypos_ipc')))), "\n";
        break;
    case 'renew':
        $subscription = wcs_get_subscription((int) $args[0]);
        // The renewal is due now: Subscriptions reschedules its action for the new date.
        $subscription->update_dates(['next_payment' => gmdate('Y-m-d H:i:s', time() + 120)]);
        $actions = as_get_scheduled_actions(['hook' => 'woocommerce_scheduled_subscription_payment',
            'args' => ['subscription_id' => $subscription->get_id()], 'status' => ActionScheduler_Store::STATUS_PENDING], 'ids');
        if (count($actions) !== 1) {
            fwrite(STDERR, 'expected one pending renewal action, got ' . count($actions) . "\n");
            exit(1);
        }
        // The noisy payment hook threw at the first payment (the card was saved all the same);
        // here the action's own status is checked, so it is off.
        update_option('mypos_test_noisy_off', 1);
        ob_start();
        ActionScheduler_QueueRunner::instance()->process_action((int) reset($actions), 'mypos-e2e');
        ob_end_clean();
        delete_option('mypos_test_noisy_off');
        $done = ActionScheduler::store()->get_status((int) reset($actions));
        $renewal = wcs_get_subscription($subscription->get_id())->get_last_order('ids', 'renewal');
        echo (int) $renewal, ' ', $done, "\n";
        break;
    default:
        fwrite(STDERR, "unknown command {$command}\n");
        exit(64);
}

/** Sets the fresh store up for the tests and writes its facts to $file. */
function mypos_e2e_store_setup(string $file): array
{
    // The first wp-admin visit of a new store runs this (HPOS default, coming-soon mode, ...).
    if (method_exists('WC_Install', 'newly_installed')) {
        WC_Install::newly_installed();
    }
    $hpos = (string) getenv('WC_HPOS') === '' ? version_compare(WC()->version, '8.2', '>=') : getenv('WC_HPOS') === '1';
    if ($hpos) {
        $sync = wc_get_container()->get(\Automattic\WooCommerce\Internal\DataStores\Orders\DataSynchronizer::class);
        if (!$sync->check_orders_table_exists()) {
            $sync->create_database_tables();
        }
    }
    $features = wc_get_container()->get(\Automattic\WooCommerce\Internal\Features\FeaturesController::class);
    if (method_exists($features, 'change_feature_enable')) {
        $features->change_feature_enable('custom_order_tables', $hpos);
    }
    update_option('woocommerce_custom_orders_table_enabled', $hpos ? 'yes' : 'no');

    foreach ([
        'woocommerce_coming_soon' => 'no', // a new store hides the shop from guests
        'woocommerce_store_pages_only' => 'no',
        'woocommerce_default_country' => 'BG',
        'woocommerce_currency' => 'EUR',
        'woocommerce_store_address' => '1 Test Street',
        'woocommerce_store_city' => 'Sofia',
        'woocommerce_store_postcode' => '1000',
        'woocommerce_calc_taxes' => 'no',
        'woocommerce_enable_guest_checkout' => 'yes',
        'woocommerce_allow_tracking' => 'no',
        'woocommerce_show_marketplace_suggestions' => 'no',
        'woocommerce_task_list_hidden' => 'yes',
        'woocommerce_task_list_complete' => 'yes',
        'woocommerce_admin_install_timestamp' => time(),
        'woocommerce_onboarding_profile' => ['skipped' => true, 'completed' => true],
    ] as $name => $value) {
        update_option($name, $value);
    }
    $GLOBALS['wp_rewrite']->set_permalink_structure('/%postname%/'); // tests/wp/router.php serves these
    flush_rewrite_rules(false);

    // Shortcode cart and checkout pages beside the block ones; WC_CHECKOUT=classic makes them the store's.
    $page = static function (string $slug, string $title, string $shortcode): int {
        $existing = get_page_by_path($slug);
        return $existing ? $existing->ID : (int) wp_insert_post(['post_type' => 'page', 'post_status' => 'publish',
            'post_title' => $title, 'post_name' => $slug, 'post_content' => "<!-- wp:shortcode -->[{$shortcode}]<!-- /wp:shortcode -->"]);
    };
    $classicCheckout = $page('classic-checkout', 'Classic Checkout', 'woocommerce_checkout');
    $classicCart = $page('classic-cart', 'Classic Cart', 'woocommerce_cart');
    if (getenv('WC_CHECKOUT') === 'classic') {
        update_option('woocommerce_checkout_page_id', $classicCheckout);
        update_option('woocommerce_cart_page_id', $classicCart);
    }

    // Virtual (no shipping), not downloadable: a paid order goes to "processing".
    $product = new WC_Product_Simple();
    $product->set_name('Test Product');
    $product->set_sku('TEST-1');
    $product->set_regular_price('12.34');
    $product->set_virtual(true);
    $product->set_status('publish');
    $product->save();

    $checkoutId = (int) get_option('woocommerce_checkout_page_id');
    $facts = [
        'url' => home_url('/'),
        'wp_version' => $GLOBALS['wp_version'],
        'wc_version' => WC()->version,
        'product_url' => get_permalink($product->get_id()),
        'checkout_url' => wc_get_checkout_url(),
        'checkout_is_block' => has_block('woocommerce/checkout', $checkoutId),
        'classic_checkout_url' => get_permalink($classicCheckout),
        'admin_user' => 'admin',
        'admin_password' => (string) getenv('ADMIN_PASSWORD'),
    ];
    file_put_contents($file, json_encode($facts, JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES) . "\n");
    return $facts;
}
