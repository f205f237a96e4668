<?php

namespace MyPOS\IPC\WooCommerce;

// phpcs:disable Generic.Files.LineLength.TooLong -- a translatable sentence stays on one line

/**
 * "Check the notify URL": posts a deliberately unsigned notify to the shop's own notify URL over
 * its public address, as myPOS would reach it, and tells whether it is HTTPS, whether the request
 * got through (no HTTP login, firewall, redirect or maintenance page in the way), whether the
 * plug-in itself answered (its exact "signature invalid" 400, nothing around it) and how long
 * it took. The result is kept for the health panel and Site Health.
 */
final class NotifyCheck
{
    /** The admin-post action (and nonce action) of the button. */
    public const ACTION = 'mypos_ipc_check_notify';
    /** The last result (not autoloaded). */
    public const RESULT = 'mypos_ipc_notify_check';
    /** The token that marks the check's own request, so it is not counted as a notify. */
    private const TOKEN = 'mypos_ipc_notify_check_token';
    private const FIELD = 'MyposIpcCheck';
    private const TOKEN_SECONDS = 300;
    /** What the plug-in answers to a body whose signature does not verify (NotifyHandler). */
    private const PLUGIN_ANSWER = 'signature invalid';
    private const TIMEOUT = 10;

    /** The notify URL myPOS is given (URL_Notify, Gateway::ID's wc-api URL). */
    public static function notifyUrl(): string
    {
        return WC()->api_request_url('mypos_ipc');
    }

    /** The button's link (admin-post.php, nonce-protected). */
    public static function url(): string
    {
        return wp_nonce_url(admin_url('admin-post.php?action=' . self::ACTION), self::ACTION);
    }

    /** The admin-post action: runs the check, keeps the result, back to the settings page. */
    public function handleAdminPost(): void
    {
        if (!current_user_can('manage_woocommerce')) {
            wp_die(esc_html__('You are not allowed to do this.', 'mypos-ipc'), '', ['response' => 403]);
        }
        check_admin_referer(self::ACTION);
        self::run(self::notifyUrl());
        wp_safe_redirect(SiteHealth::settingsUrl());
        exit;
    }

    /**
     * Posts the check to $url, stores and returns the result: at, url, https, status (null: no
     * answer), error, plugin (the plug-in answered, cleanly), ms, ok, message.
     *
     * @return array<string, mixed>
     */
    public static function run(string $url): array
    {
        $token = bin2hex(random_bytes(16));
        // Kept a while after the answer: the endpoint records its counters only after sending it.
        set_transient(self::TOKEN, $token, self::TOKEN_SECONDS);
        $started = microtime(true);
        $response = wp_remote_post($url, [
            'body' => self::probeBody($token),
            'timeout' => self::TIMEOUT,
            'sslverify' => true,
            'redirection' => 0,
            'headers' => ['Content-Type' => 'application/x-www-form-urlencoded'],
        ]);
        $ms = (int) round((microtime(true) - $started) * 1000);
        $result = self::judge($url, $response, $ms) + ['at' => time()];
        update_option(self::RESULT, $result, false);
        return $result;
    }

    /**
     * The last stored result, or null.
     *
     * @return array<string, mixed>|null
     */
    public static function last(): ?array
    {
        $result = get_option(self::RESULT, null);
        return is_array($result) ? $result : null;
    }

    /** Whether $body is the check's own request (its token still live), not a notify from myPOS. */
    public static function isProbe(string $body): bool
    {
        if (!str_contains($body, self::FIELD . '=')) {
            return false;
        }
        parse_str($body, $fields);
        $token = get_transient(self::TOKEN);
        return is_string($token) && $token !== '' && is_string($fields[self::FIELD] ?? null)
            && hash_equals($token, $fields[self::FIELD]);
    }

    /**
     * A notify as myPOS would post it, with a well-formed signature that does not verify: the
     * plug-in must refuse it with its recognisable answer and change nothing.
     */
    private static function probeBody(string $token): string
    {
        return http_build_query([
            'IPCmethod' => 'IPCPurchaseNotify',
            'OrderID' => 'mypos-ipc-notify-check',
            self::FIELD => $token,
            'Signature' => base64_encode(str_repeat("\0", 256)),
        ]);
    }

    /**
     * The verdict on one response of wp_remote_post() (array or WP_Error) that took $ms.
     *
     * @param array<string, mixed>|\WP_Error $response
     * @return array<string, mixed>
     */
    public static function judge(string $url, $response, int $ms): array
    {
        $result = [
            'url' => $url,
            'https' => strtolower((string) parse_url($url, PHP_URL_SCHEME)) === 'https',
            'status' => null,
            'error' => null,
            'plugin' => false,
            'ms' => $ms,
        ];
        if (is_wp_error($response)) {
            $result['error'] = $response->get_error_message();
            return $result + self::verdict(false, sprintf(
                /* translators: %s: the error (e.g. a cURL error) */
                __('The notify URL could not be reached: %s.', 'mypos-ipc'),
                $result['error']
            ));
        }
        $status = (int) wp_remote_retrieve_response_code($response);
        $body = wp_remote_retrieve_body($response);
        $result['status'] = $status;
        if ($status === 400 && $body === self::PLUGIN_ANSWER) {
            $result['plugin'] = true;
            $message = sprintf(
                /* translators: %d: milliseconds */
                __('The notify URL answered as the plug-in does (HTTP 400 "signature invalid" to an unsigned message) in %d ms.', 'mypos-ipc'),
                $ms
            );
            if (!$result['https']) {
                $message .= ' ' . __('It is not HTTPS: live payments need the shop served over HTTPS.', 'mypos-ipc');
            }
            return $result + self::verdict(true, $message);
        }
        return $result + self::verdict(false, self::whatAnswered($status, $body, $response));
    }

    /**
     * @param array<string, mixed> $response
     */
    private static function whatAnswered(int $status, string $body, array $response): string
    {
        if ($status === 400 && str_contains($body, self::PLUGIN_ANSWER)) {
            return sprintf(
                /* translators: %d: number of bytes */
                __('The plug-in answered, but with %d other bytes around its answer (another plug-in or the theme prints into the request); myPOS needs the answer alone.', 'mypos-ipc'),
                strlen($body) - strlen(self::PLUGIN_ANSWER)
            );
        }
        if ($status === 503 && in_array($body, ['not configured', 'extension missing'], true)) {
            return sprintf(
                /* translators: %s: the reason */
                __('The plug-in answered but cannot handle notifies: %s', 'mypos-ipc'),
                NotifyStats::reason(['status' => $status, 'body' => $body])
            );
        }
        if ($status === 401) {
            return __('HTTP 401: the site asks for a password (HTTP authentication, e.g. on a staging site); myPOS cannot log in, so its notifies are refused and its payments reversed.', 'mypos-ipc');
        }
        if ($status === 403) {
            return __('HTTP 403: the request was forbidden (a firewall, a security plug-in or the host blocks it); myPOS would be blocked the same way.', 'mypos-ipc');
        }
        if ($status >= 300 && $status < 400) {
            $location = self::header($response, 'location');
            return sprintf(
                /* translators: 1: HTTP status, 2: where the redirect points */
                __('HTTP %1$d: the notify URL redirects to %2$s (a login or maintenance page, or another address of the site); it must answer itself.', 'mypos-ipc'),
                $status,
                $location !== '' ? $location : '?'
            );
        }
        if ($status === 503) {
            return sprintf(
                /* translators: %s: the start of the page */
                __('HTTP 503 with a page that is not the plug-in\'s answer (a maintenance mode or an overloaded host): "%s".', 'mypos-ipc'),
                self::excerpt($body)
            );
        }
        return sprintf(
            /* translators: 1: HTTP status, 2: the start of the page */
            __('HTTP %1$d with a page that is not the plug-in\'s answer (a login page, a maintenance mode or another plug-in in the way): "%2$s".', 'mypos-ipc'),
            $status,
            self::excerpt($body)
        );
    }

    /**
     * @param array<string, mixed> $response
     */
    private static function header(array $response, string $name): string
    {
        $value = wp_remote_retrieve_header($response, $name);
        return is_array($value) ? (string) reset($value) : (string) $value;
    }

    /** The page's title, else its first words, as text. */
    private static function excerpt(string $body): string
    {
        if (preg_match('#<title[^>]*>(.*?)</title>#is', $body, $m) && trim(strip_tags($m[1])) !== '') {
            $body = $m[1];
        }
        $text = trim((string) preg_replace('/\s+/', ' ', strip_tags($body)));
        return strlen($text) > 120 ? substr($text, 0, 120) . '...' : $text;
    }

    /**
     * @return array{ok: bool, message: string}
     */
    private static function verdict(bool $ok, string $message): array
    {
        return ['ok' => $ok, 'message' => $message];
    }
}
