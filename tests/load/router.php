<?php

// php -S router for the load test: the demo shop (demo/shop/index.php) plus three endpoints
// that do the same work without the extension, for comparison in one run:
//   POST /notify-sdk  the shop's notify with a plain-PHP verifier (as the myPOS SDK verifies)
//                     and the same decisions for IPCPurchaseNotify, under the same order lock
//   POST /verify-ext  verification alone through the extension (MyPOS\IPC\verify_form)
//   POST /verify-sdk  verification alone in plain PHP
// Each answers "OK" (200) or an error (400), as /notify does.

declare(strict_types=1);

$route = (string) parse_url($_SERVER['REQUEST_URI'] ?? '/', PHP_URL_PATH);
if (!in_array($route, ['/notify-sdk', '/verify-ext', '/verify-sdk'], true)) {
    require __DIR__ . '/../../demo/shop/index.php';
    return;
}
require __DIR__ . '/../../demo/shop/lib.php';

/**
 * The SDK's way (Mypos\IPC\Response::verifySignature): $_POST-style fields, Signature removed,
 * values joined with '-', base64, openssl_verify with the certificate read and parsed per request.
 */
function sdk_verify(array $post): bool
{
    $signature = (string) ($post['Signature'] ?? '');
    unset($post['Signature']);
    $key = openssl_pkey_get_public((string) file_get_contents(env('DEMO_MYPOS_CERT')));
    return $key !== false && openssl_verify(base64_encode(implode('-', $post)), (string) base64_decode($signature), $key, OPENSSL_ALGO_SHA256) === 1;
}

/** The decisions of the core's decide_notify for IPCPurchaseNotify, in plain PHP. */
function sdk_notify(array $post): array
{
    if (($post['IPCmethod'] ?? '') !== 'IPCPurchaseNotify' || ($post['SID'] ?? '') !== env('DEMO_SID')) {
        return [400, 'unexpected message'];
    }
    $id = (string) ($post['OrderID'] ?? '');
    $trnref = (string) ($post['IPC_Trnref'] ?? '');
    $answer = [409, 'NOT OK'];
    with_orders(function (array $orders) use ($post, $id, $trnref, &$answer) {
        $order = $orders[$id] ?? null;
        if ($order === null) {
            return $orders;
        }
        if ($order['state'] === 'processing') {
            $same = $order['trnref'] === $trnref;
            $orders[$id]['notes'][] = $same ? "repeated notify for payment $trnref" : "notify for payment $trnref refused: the order is already paid by {$order['trnref']}";
            $answer = $same ? [200, 'OK'] : [409, 'NOT OK'];
        } elseif (round((float) $post['Amount'] * 100) !== (float) $order['amount'] || $post['Currency'] !== $order['currency']) {
            $orders[$id]['state'] = 'on-hold';
            $orders[$id]['notes'][] = "payment $trnref refused: amount or currency differ";
        } else {
            $orders[$id] = ['state' => 'processing', 'trnref' => $trnref] + $orders[$id];
            $orders[$id]['notes'][] = "paid through myPOS, IPC_Trnref $trnref";
            $answer = [200, 'OK'];
        }
        return $orders;
    });
    return $answer;
}

function ext_verify(string $raw): bool
{
    try {
        return MyPOS\IPC\verify_form($raw, (string) file_get_contents(env('DEMO_MYPOS_CERT')));
    } catch (MyPOS\IPC\Exception $e) {
        return false; // malformed
    }
}

$raw = (string) file_get_contents('php://input');
parse_str($raw, $post);
[$status, $body] = match ($route) {
    '/notify-sdk' => sdk_verify($post) ? sdk_notify($post) : [400, 'signature invalid'],
    '/verify-sdk' => sdk_verify($post) ? [200, 'OK'] : [400, 'signature invalid'],
    '/verify-ext' => ext_verify($raw) ? [200, 'OK'] : [400, 'signature invalid'],
};
http_response_code($status);
header('Content-Type: text/plain');
echo $body;
