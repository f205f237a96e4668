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
        try {
            $response = MyposApi::call($config, $request);
        } catch (ApiError $e) {
            $message = $e->getCode() === \MyPOS\IPC\Exception::SIGNATURE_INVALID ? __(
                'The answer is not signed by the configured myPOS certificate (wrong certificate or test/live mix-up).',
                'mypos-ipc'
            ) : $e->getMessage();
            return ['ok' => false, 'message' => $message];
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
