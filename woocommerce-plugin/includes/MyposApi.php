<?php

namespace MyPOS\IPC\WooCommerce;

use MyPOS\IPC\Config;
use MyPOS\IPC\Request;
use MyPOS\IPC\Response;

/**
 * Sends a signed server-to-server request to myPOS (TLS verification on, bounded wait) and
 * returns the verified answer, or throws ApiError with a sentence that says what went wrong.
 */
final class MyposApi
{
    /** Longest wait: a call made while holding an order's gate ends before the gate is stale. */
    public const MAX_TIMEOUT = MessageClaims::STALE_SECONDS - 5;

    /** Seconds to wait for myPOS (25); the filter mypos_ipc_http_timeout changes it, up to MAX_TIMEOUT. */
    public static function timeout(): int
    {
        return max(1, min(self::MAX_TIMEOUT, (int) apply_filters('mypos_ipc_http_timeout', self::MAX_TIMEOUT)));
    }

    /**
     * @param string $format the answer's format, as the request asked for it (json or xml)
     * @throws ApiError
     */
    public static function call(Config $config, Request $request, string $format = 'json'): Response
    {
        $log = Log::configured();
        $started = microtime(true);
        $response = self::send($config, $request, $format, $log);
        $log->debug(sprintf(
            'myPOS API: %s answered Status %d %s (%s) in %d ms, verified with myPOS certificate %d',
            $request->method(),
            $response->status(),
            $response->statusName(),
            $response->statusMessage(),
            (int) round((microtime(true) - $started) * 1000),
            $response->certificateIndex()
        ));
        return $response;
    }

    /**
     * @throws ApiError
     */
    private static function send(Config $config, Request $request, string $format, Log $log): Response
    {
        $url = $request->actionUrl();
        $log->debug(sprintf(
            'myPOS API: %s to %s (%s answer, %d s timeout)',
            $request->method(),
            $url,
            $format,
            self::timeout()
        ));
        $http = wp_remote_post($url, [
            'body' => $request->body(),
            'timeout' => self::timeout(),
            'sslverify' => true,
            'headers' => ['Content-Type' => 'application/x-www-form-urlencoded'],
        ]);
        if (is_wp_error($http)) {
            throw new ApiError(sprintf(
                /* translators: 1: endpoint URL, 2: transport error (connection refused, timeout, ...) */
                __('myPOS could not be reached at %1$s: %2$s', 'mypos-ipc'),
                $url,
                $http->get_error_message()
            ));
        }
        $code = (int) wp_remote_retrieve_response_code($http);
        if ($code !== 200) {
            throw new ApiError(sprintf(
                /* translators: 1: HTTP status code, 2: endpoint URL */
                __('myPOS answered HTTP %1$d at %2$s instead of a signed answer.', 'mypos-ipc'),
                $code,
                $url
            ));
        }
        try {
            return $config->response((string) wp_remote_retrieve_body($http), $format);
        } catch (\MyPOS\IPC\Exception $e) {
            $log->debug(sprintf(
                'myPOS API: %s answer of %d bytes refused: %s',
                $request->method(),
                strlen((string) wp_remote_retrieve_body($http)),
                $e->getMessage()
            ));
            $reason = $e->getCode() === \MyPOS\IPC\Exception::SIGNATURE_INVALID
                ? __('its signature does not verify with the configured myPOS key', 'mypos-ipc')
                : $e->getMessage();
            throw new ApiError(sprintf(
                /* translators: %s: reason given by the extension */
                __('The answer from myPOS was refused: %s', 'mypos-ipc'),
                $reason
            ), $e->getCode());
        }
    }
}
