<?php

/**
 * Plugin Name: myPOS IPC load test: verification alone (tests only)
 * Description: ?wc-api=mypos_load_verify_ext verifies the raw body through the extension,
 *              ?wc-api=mypos_load_verify_sdk in plain PHP as the myPOS SDK does (certificate
 *              read and parsed per request); both answer OK (200) or 400. The certificate is the
 *              file named by the option mypos_load_cert.
 */

// phpcs:ignoreFile -- test fixture.

if (!defined('ABSPATH')) {
    return;
}

function mypos_load_answer(bool $valid): void
{
    status_header($valid ? 200 : 400);
    header('Content-Type: text/plain');
    echo $valid ? 'OK' : 'signature invalid';
    exit;
}

add_action('woocommerce_api_mypos_load_verify_ext', static function (): void {
    $cert = (string) file_get_contents((string) get_option('mypos_load_cert'));
    try {
        mypos_load_answer(MyPOS\IPC\verify_form((string) file_get_contents('php://input'), $cert));
    } catch (MyPOS\IPC\Exception $e) {
        mypos_load_answer(false);
    }
});

add_action('woocommerce_api_mypos_load_verify_sdk', static function (): void {
    $post = wp_unslash($_POST); // the SDK reads $_POST
    $signature = (string) ($post['Signature'] ?? '');
    unset($post['Signature']);
    $key = openssl_pkey_get_public((string) file_get_contents((string) get_option('mypos_load_cert')));
    mypos_load_answer($key !== false && openssl_verify(base64_encode(implode('-', $post)), (string) base64_decode($signature), $key, OPENSSL_ALGO_SHA256) === 1);
});
