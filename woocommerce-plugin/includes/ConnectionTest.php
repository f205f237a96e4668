<?php

namespace MyPOS\IPC\WooCommerce;

use MyPOS\IPC\Config;

/**
 * "Test connection": a signed IPCGetTxnStatus for an order that does not exist. It proves the
 * endpoint is reachable, myPOS accepts the merchant signature (SID, wallet, key index) and its
 * answer verifies with the configured myPOS certificate; otherwise it says exactly what failed.
 */
final class ConnectionTest
{
    /**
     * @return array{ok: bool, message: string}
     */
    public static function run(?Config $config): array
    {
        if ($config === null) {
            $message = __(
                'No usable credentials (configuration pack or separate fields) are stored for this mode.',
                'mypos-ipc'
            );
            return ['ok' => false, 'message' => $message];
        }
        try {
            $request = $config->getTxnStatus('mypos-ipc-connection-test-' . time(), 'json');
        } catch (\MyPOS\IPC\Exception $e) {
            return ['ok' => false, 'message' => $e->getMessage()];
        }
        $http = wp_remote_post($request->actionUrl(), [
            'body' => $request->body(),
            'timeout' => 20,
            'sslverify' => true,
            'headers' => ['Content-Type' => 'application/x-www-form-urlencoded'],
        ]);
        if (is_wp_error($http)) {
            return ['ok' => false, 'message' => sprintf(
                /* translators: 1: endpoint URL, 2: transport error */
                __('%1$s could not be reached: %2$s', 'mypos-ipc'),
                $request->actionUrl(),
                $http->get_error_message()
            )];
        }
        try {
            $response = $config->response((string) wp_remote_retrieve_body($http), 'json');
        } catch (\MyPOS\IPC\SignatureException $e) {
            return ['ok' => false, 'message' => __(
                'The answer is not signed by the configured myPOS certificate (wrong certificate or test/live mix-up).',
                'mypos-ipc'
            )];
        } catch (\MyPOS\IPC\Exception $e) {
            return ['ok' => false, 'message' => sprintf(
                /* translators: %s: reason */
                __('The answer from myPOS is not usable: %s', 'mypos-ipc'),
                $e->getMessage()
            )];
        }
        if (in_array($response->status(), [2, 3, 4], true)) {
            return ['ok' => false, 'message' => sprintf(
                'myPOS refused the request: %s (%d %s: %s)',
                $response->statusMessage(),
                $response->status(),
                $response->statusName(),
                $response->statusMeaning()
            )];
        }
        return ['ok' => true, 'message' => sprintf(
            /* translators: %s: endpoint URL */
            __('Connection to %s works: myPOS accepted the signed request and its answer verified.', 'mypos-ipc'),
            $request->actionUrl()
        )];
    }
}
