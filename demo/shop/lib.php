<?php
// Demo shop helpers: configuration from the environment, the order store (a JSON file under
// flock), and small HTML helpers. Everything protocol-related goes through the mypos_ipc extension.

declare(strict_types=1);

use MyPOS\IPC\Config;
use MyPOS\IPC\WooCommerce\OrderState;

// The plug-in's map between WooCommerce order statuses and the core's order states: the shop
// keeps WooCommerce's status names (pending, processing, on-hold, failed, refunded).
require_once __DIR__ . '/../../woocommerce-plugin/includes/OrderState.php';

const PRODUCTS = [
    'mug' => ['name' => 'myPOS mug', 'price' => 1250],
    'tshirt' => ['name' => 'myPOS T-shirt', 'price' => 2445],
];
const CURRENCY = 'EUR';

function env(string $name): string
{
    $value = getenv($name);
    if ($value === false || $value === '') {
        throw new RuntimeException("environment variable $name is not set");
    }
    return $value;
}

/**
 * The store configuration: a configuration pack (DEMO_CONFIG_PACK, the public myPOS test pack for
 * MYPOS=test), else the merchant key from `ipc keygen` and the myPOS certificate from the sandbox.
 */
function shop_config(): Config
{
    $pack = getenv('DEMO_CONFIG_PACK');
    if ($pack !== false && $pack !== '') {
        return Config::fromPack(trim((string) file_get_contents($pack)), env('DEMO_ENDPOINT'));
    }
    return Config::fromArray([
        'sid' => env('DEMO_SID'),
        'wallet' => env('DEMO_WALLET'),
        'key_index' => (int) env('DEMO_KEY_INDEX'),
        'private_key' => (string) file_get_contents(env('DEMO_MERCHANT_KEY')),
        'mypos_certificate' => (string) file_get_contents(env('DEMO_MYPOS_CERT')),
        'endpoint' => env('DEMO_ENDPOINT'),
    ]);
}

function shop_url(string $path): string
{
    return rtrim(env('DEMO_SHOP_URL'), '/') . $path;
}

/**
 * Runs $change on the orders under an exclusive lock and saves what it returns.
 *
 * @param callable(array<string, array<string, mixed>>): array<string, array<string, mixed>> $change
 */
function with_orders(callable $change): void
{
    $fh = fopen(env('DEMO_DATA') . '/orders.json', 'c+');
    if ($fh === false || !flock($fh, LOCK_EX)) {
        throw new RuntimeException('cannot lock the order store');
    }
    try {
        $text = stream_get_contents($fh);
        $orders = $text === '' || $text === false ? [] : json_decode($text, true, 16, JSON_THROW_ON_ERROR);
        $orders = $change($orders);
        ftruncate($fh, 0);
        rewind($fh);
        fwrite($fh, json_encode($orders, JSON_PRETTY_PRINT | JSON_THROW_ON_ERROR));
        fflush($fh);
    } finally {
        flock($fh, LOCK_UN);
        fclose($fh);
    }
}

/** @return array<string, array<string, mixed>> */
function load_orders(): array
{
    $orders = [];
    with_orders(function (array $all) use (&$orders) {
        $orders = $all;
        return $all;
    });
    return $orders;
}

/** The order snapshot Notification::decide() expects, mapped as the plug-in maps it. */
function snapshot(array $order): array
{
    return OrderState::snapshot($order['amount'], $order['currency'], $order['state'], $order['trnref']);
}

/** Applies a decision to an order, as the plug-in does (NotifyHandler::apply). */
function apply_decision(array $order, \MyPOS\IPC\Decision $decision): array
{
    $order['notes'][] = $decision->note();
    $order['state'] = OrderState::after($decision->action()) ?? $order['state'];
    if ($decision->action() === 'mark_paid') {
        $order['trnref'] = $decision->trnref();
    }
    return $order;
}

function money(int $minor): string
{
    return sprintf('%d.%02d %s', intdiv($minor, 100), $minor % 100, CURRENCY);
}

function h(string $text): string
{
    return htmlspecialchars($text, ENT_QUOTES | ENT_HTML5, 'UTF-8');
}

function page(string $title, string $body): void
{
    header('Content-Type: text/html; charset=utf-8');
    echo "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>", h($title), "</title></head><body>\n",
        '<p><a href="/">Products</a> | <a href="/orders">Orders</a></p>', "\n<h1>", h($title), "</h1>\n", $body, "\n</body></html>\n";
}
