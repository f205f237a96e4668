<?php

namespace MyPOS\IPC\WooCommerce;

use MyPOS\IPC\Config;

/**
 * "Test connection": a signed IPCSignatureVerify, what the official myPOS plug-in's "test setup"
 * sends (docs/notify-decisions.md). It passes only when myPOS answers Status 0 and the answer
 * verifies with the configured myPOS certificate; otherwise it says what failed: the endpoint,
 * the answer's signature, or myPOS's own error by number and name (25: store restricted).
 */
final class ConnectionTest
{
    /** The admin-post action (and nonce action) of the "Test connection" button. */
    public const ACTION = 'mypos_ipc_test_connection';
    /** Where the result waits for the next admin page (shown once by Notices). */
    public const RESULT = 'mypos_ipc_connection_test';

    /** @var \Closure(): Settings */
    private \Closure $settings;

    /**
     * @param callable(): Settings $settings reads the saved settings when the test runs
     */
    public function __construct(callable $settings)
    {
        $this->settings = \Closure::fromCallable($settings);
    }

    /** The "Test connection" link of the settings page (admin-post.php, nonce-protected). */
    public static function url(): string
    {
        return wp_nonce_url(admin_url('admin-post.php?action=' . self::ACTION), self::ACTION);
    }

    /** The admin-post action: runs the test and shows its result on the settings page. */
    public function handleAdminPost(): void
    {
        if (!current_user_can('manage_woocommerce')) {
            wp_die(esc_html__('You are not allowed to do this.', 'mypos-ipc'), '', ['response' => 403]);
        }
        check_admin_referer(self::ACTION);
        $settings = ($this->settings)();
        $problem = Extension::problem() ?? $settings->keyNotice();
        $result = $problem === null
            ? self::run($settings->signingConfig(), WC()->api_request_url(Gateway::ID))
            : ['ok' => false, 'message' => $problem];
        set_transient(self::RESULT, $result, 300);
        wp_safe_redirect(admin_url('admin.php?page=wc-settings&tab=checkout&section=' . Gateway::ID));
        exit;
    }

    /**
     * @param string $notifyUrl the shop's notify URL, sent as url_notify (myPOS may probe it)
     * @return array{ok: bool, message: string}
     */
    public static function run(?Config $config, string $notifyUrl): array
    {
        if ($config === null) {
            $message = __(
                'No usable credentials (configuration pack or separate fields) are stored for this mode.',
                'mypos-ipc'
            );
            return ['ok' => false, 'message' => $message];
        }
        try {
            $request = $config->signatureVerify($notifyUrl);
        } catch (\MyPOS\IPC\Exception $e) {
            return ['ok' => false, 'message' => $e->getMessage()];
        }
        try {
            // IPCSignatureVerify asks for (and myPOS answers) signed XML.
            $response = MyposApi::call($config, $request, 'xml');
        } catch (ApiError $e) {
            $message = $e->getCode() === \MyPOS\IPC\Exception::SIGNATURE_INVALID ? __(
                'The answer is not signed by the configured myPOS certificate (wrong certificate or test/live mix-up).',
                'mypos-ipc'
            ) : $e->getMessage();
            return ['ok' => false, 'message' => $message];
        }
        if ($response->status() !== 0) {
            return ['ok' => false, 'message' => sprintf(
                /* translators: 1: myPOS message, 2: status number, 3: status name (E_STORE_RESTRICTED), 4: meaning */
                __('myPOS refused the connection test: %1$s (Status %2$d %3$s: %4$s).', 'mypos-ipc'),
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
