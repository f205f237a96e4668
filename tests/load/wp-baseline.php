<?php

/**
 * Plugin Name: myPOS IPC load test: plain-PHP baseline (tests only)
 * Description: The plug-in's notify endpoint done without the extension, for comparison in one
 *              run: ?wc-api=mypos_load_notify_sdk verifies as the myPOS SDK does (openssl_verify,
 *              certificate read and parsed per request) and applies the same decisions for
 *              IPCPurchaseNotify under the plug-in's order lock. Verification alone:
 *              ?wc-api=mypos_load_verify_ext (the extension) and ?wc-api=mypos_load_verify_sdk.
 *              The certificate is the file named by the option mypos_load_cert.
 */

// phpcs:ignoreFile -- test fixture.

use MyPOS\IPC\WooCommerce\OrderLock;
use MyPOS\IPC\WooCommerce\Orders;

if (!defined('ABSPATH')) {
    return;
}

function mypos_load_answer(int $status, string $body): void
{
    status_header($status);
    header('Content-Type: text/plain');
    echo $body;
    exit;
}

/** The SDK's way: $_POST values without Signature joined with '-', base64, openssl_verify. */
function mypos_load_sdk_verify(array $post): bool
{
    $signature = (string) ($post['Signature'] ?? '');
    unset($post['Signature']);
    $key = openssl_pkey_get_public((string) file_get_contents((string) get_option('mypos_load_cert')));
    return $key !== false && openssl_verify(base64_encode(implode('-', $post)), (string) base64_decode($signature), $key, OPENSSL_ALGO_SHA256) === 1;
}

/** NotifyHandler's IPCPurchaseNotify path, with the core's decisions written in PHP. */
function mypos_load_sdk_notify(array $post): array
{
    if (($post['IPCmethod'] ?? '') !== 'IPCPurchaseNotify' || ($post['SID'] ?? '') !== '000000000000010') {
        return [400, 'unexpected message'];
    }
    $id = (string) ($post['OrderID'] ?? '');
    $trnref = (string) ($post['IPC_Trnref'] ?? '');
    if (Orders::find($id) === null) {
        return [409, 'NOT OK'];
    }
    $lock = new OrderLock();
    if (!$lock->acquire($id)) {
        return [503, 'busy'];
    }
    try {
        $order = Orders::findFresh($id);
        if ($order->has_status(['processing', 'completed'])) {
            return (string) $order->get_meta(Orders::META_TRNREF) === $trnref ? [200, 'OK'] : [409, 'NOT OK'];
        }
        if (round((float) $post['Amount'] * 100) !== round((float) $order->get_total() * 100) || $post['Currency'] !== $order->get_currency()) {
            $order->update_status('on-hold', "payment $trnref refused: amount or currency differ");
            return [409, 'NOT OK'];
        }
        $order->update_meta_data(Orders::META_TRNREF, $trnref);
        $order->add_order_note("paid through myPOS, IPC_Trnref $trnref");
        $order->payment_complete($trnref);
        $order->save();
        return [200, 'OK'];
    } finally {
        $lock->release($id);
    }
}

add_action('woocommerce_api_mypos_load_notify_sdk', static function (): void {
    $post = wp_unslash($_POST); // the SDK reads $_POST (WordPress adds slashes to it)
    mypos_load_answer(...(mypos_load_sdk_verify($post) ? mypos_load_sdk_notify($post) : [400, 'signature invalid']));
});

add_action('woocommerce_api_mypos_load_verify_sdk', static function (): void {
    mypos_load_answer(...(mypos_load_sdk_verify(wp_unslash($_POST)) ? [200, 'OK'] : [400, 'signature invalid']));
});

add_action('woocommerce_api_mypos_load_verify_ext', static function (): void {
    $cert = (string) file_get_contents((string) get_option('mypos_load_cert'));
    try {
        $valid = MyPOS\IPC\verify_form((string) file_get_contents('php://input'), $cert);
    } catch (MyPOS\IPC\Exception $e) {
        $valid = false; // malformed
    }
    mypos_load_answer(...($valid ? [200, 'OK'] : [400, 'signature invalid']));
});
