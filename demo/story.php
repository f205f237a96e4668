<?php
// The demo story, driving the buyer's browser with plain HTTP: php story.php SHOP_URL.
// Prints each step, then a table of orders and TAP lines; exits 0 only if every state is as expected.

declare(strict_types=1);

$shop = rtrim($argv[1] ?? '', '/');

/** @return array{int, string} status and body */
function http(string $method, string $url, array $fields = []): array
{
    $body = @file_get_contents($url, false, stream_context_create(['http' => [
        'method' => $method, 'header' => "Content-Type: application/x-www-form-urlencoded\r\n",
        'content' => http_build_query($fields), 'timeout' => 15, 'ignore_errors' => true, 'follow_location' => 0,
    ]]));
    $status = (int) (explode(' ', $http_response_header[0] ?? 'HTTP/1.1 0')[1] ?? 0);
    return [$status, (string) $body];
}

/** The first form of a page: action (made absolute against $pageUrl) and its named inputs, in order. */
function form(string $html, string $pageUrl = ''): array
{
    if (!preg_match('/<form[^>]*action="([^"]*)"/i', $html, $m)) {
        throw new RuntimeException("no form in page:\n" . substr($html, 0, 400));
    }
    $fields = [];
    preg_match_all('/<input[^>]*>/i', $html, $inputs);
    foreach ($inputs[0] as $input) {
        if (preg_match('/name="([^"]*)"/', $input, $n) && preg_match('/value="([^"]*)"/', $input, $v)) {
            $fields[html_entity_decode($n[1])] = html_entity_decode($v[1], ENT_QUOTES | ENT_HTML5);
        }
    }
    $action = html_entity_decode($m[1]);
    if (str_starts_with($action, '/')) {
        $action = (string) preg_replace('#^(https?://[^/]+).*#', '$1', $pageUrl) . $action;
    }
    return [$action, $fields];
}

function step(string $text): void
{
    echo "  -> $text\n";
}

/** Checkout in the shop, then the myPOS payment page with $action; returns the order id. */
function buy(string $shop, string $product, string $action, bool $failNotify = false): string
{
    [, $page] = http('GET', "$shop/");
    step('product page: ' . (str_contains($page, 'Add to cart') ? 'shown' : 'MISSING'));
    [$status, $page] = http('POST', "$shop/checkout", ['product' => $product, 'quantity' => 1] + ($failNotify ? ['fail_notify' => '1'] : []));
    [$url, $fields] = form($page);
    $id = $fields['OrderID'] ?? '?';
    step("checkout ($status): order $id, signed IPCPurchase form to $url");
    [$status, $page] = http('POST', $url, $fields);
    [$payUrl, $payFields] = form($page, $url);
    step("myPOS payment page ($status); buyer presses '$action'");
    [$status, $page] = http('POST', $payUrl, $payFields + ['action' => $action]);
    if ($action === 'decline') {
        step("payment page again ($status): " . (stripos($page, 'declined') !== false ? 'declined' : 'no "declined" shown'));
        return $id;
    }
    if (stripos($page, 'reversed') !== false) {
        step("myPOS: payment reversed ($status); buyer presses the button back to the shop");
    }
    [$back, $backFields] = form($page, $payUrl);
    step(($backFields['IPCmethod'] ?? '?') . " form to $back");
    [$status, $page] = http('POST', $back, $backFields);
    preg_match('/id="state">([^<]*)</', $page, $m);
    step("shop return page ($status): order is " . ($m[1] ?? '?'));
    return $id;
}

echo "demo shop at $shop\n";
$expect = [];
echo "(1) purchase paid with a test card\n";
$expect[buy($shop, 'mug', 'pay')] = ['paid', 'processing', 0];
echo "(2) purchase cancelled on the payment page\n";
$expect[buy($shop, 'mug', 'cancel')] = ['cancelled', 'pending', 0];
echo "(3) card declined\n";
$expect[buy($shop, 'mug', 'decline')] = ['declined', 'pending', 0];
echo "(4) merchant does not answer OK (demo switch: notify answers HTTP 500)\n";
$expect[buy($shop, 'mug', 'pay', true)] = ['no OK', 'failed', 0];
echo "(5) partial refund\n";
$id = buy($shop, 'tshirt', 'pay');
$expect[$id] = ['partial refund', 'processing', 1000];
[, $page] = http('GET', "$shop/orders");
step('order list: ' . (str_contains($page, 'Refund') ? 'refund button shown' : 'NO refund button'));
[$status, $page] = http('POST', "$shop/refund", ['order' => $id, 'amount' => 1000]);
step("refund of 10.00 EUR ($status): " . trim(strip_tags((string) preg_replace('/.*<h1>|<\/h1>.*/s', '', $page))));

[, $json] = http('GET', "$shop/orders?format=json");
$orders = array_column(json_decode($json, true) ?? [], null, 'id');
printf("\n%-26s %-15s %-11s %-11s %-9s %s\n", 'order', 'story', 'expected', 'state', 'refunded', 'check');
$n = 0;
$failed = 0;
$tap = [];
foreach ($expect as $id => [$story, $state, $refunded]) {
    $o = $orders[$id] ?? ['state' => 'missing', 'refunds' => []];
    $got = array_sum(array_column($o['refunds'], 'amount'));
    $ok = $o['state'] === $state && $got === $refunded;
    $failed += $ok ? 0 : 1;
    printf("%-26s %-15s %-11s %-11s %-9s %s\n", $id, $story, $state, $o['state'], sprintf('%.2f', $got / 100), $ok ? 'ok' : 'WRONG');
    $tap[] = sprintf('%s %d - %s: order %s is %s%s', $ok ? 'ok' : 'not ok', ++$n, $story, $id, $state, $refunded ? " with {$refunded} cents refunded" : '');
}
echo "\n1..$n\n", implode("\n", $tap), "\n";
exit($failed === 0 ? 0 : 1);
