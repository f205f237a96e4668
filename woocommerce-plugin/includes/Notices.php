<?php

namespace MyPOS\IPC\WooCommerce;

/**
 * The admin warnings about the gateway's setup, as plain sentences, and the result of the last
 * connection test.
 */
final class Notices
{
    /** @var \Closure(): Settings */
    private \Closure $settings;

    /**
     * @param callable(): Settings $settings reads the saved settings when notices are shown
     */
    public function __construct(callable $settings)
    {
        $this->settings = \Closure::fromCallable($settings);
    }

    /** The admin_notices action: prints the notices for users who manage WooCommerce. */
    public function show(): void
    {
        if (!current_user_can('manage_woocommerce')) {
            return;
        }
        $test = get_transient(ConnectionTest::RESULT);
        if (is_array($test)) {
            delete_transient(ConnectionTest::RESULT);
            printf(
                '<div class="notice notice-%s"><p>%s</p></div>',
                $test['ok'] ? 'success' : 'error',
                esc_html((string) $test['message'])
            );
        }
        foreach (self::collect(($this->settings)(), is_ssl()) as $notice) {
            printf(
                '<div class="notice notice-%s"><p>%s</p></div>',
                esc_attr($notice['level']),
                esc_html($notice['text'])
            );
        }
    }

    /**
     * The notice while the extension is missing or too old (the gateway is then not offered):
     * why, and what to install on this server with which command.
     *
     * @return array{level: string, text: string}
     */
    public static function extensionMissing(string $problem, InstallAdvice $advice): array
    {
        return [
            'level' => 'error',
            'text' => sprintf(
                /* translators: %s: reason */
                __('myPOS IPC payments are unavailable: %s.', 'mypos-ipc'),
                $problem
            ) . ' ' . $advice->text(),
        ];
    }

    /**
     * @return list<array{level: string, text: string}>
     */
    public static function collect(Settings $settings, bool $https): array
    {
        $notices = [];
        $problem = Extension::problem();
        if ($problem !== null) {
            return [self::extensionMissing($problem, InstallAdvice::forThisServer())];
        }
        if (!$settings->enabled()) {
            return [];
        }
        if ($settings->config() === null) {
            $mode = $settings->testMode() ? 'test' : 'live';
            $texts = [
                'test' => [
                    'pack' => __(
                        'myPOS IPC: the test configuration pack is missing or unusable; no payments.',
                        'mypos-ipc'
                    ),
                    'fields' => __(
                        'myPOS IPC: the test credentials (separate fields) are missing or unusable; no payments.',
                        'mypos-ipc'
                    ),
                ],
                'live' => [
                    'pack' => __(
                        'myPOS IPC: the live configuration pack is missing or unusable; no payments.',
                        'mypos-ipc'
                    ),
                    'fields' => __(
                        'myPOS IPC: the live credentials (separate fields) are missing or unusable; no payments.',
                        'mypos-ipc'
                    ),
                ],
            ];
            $source = $settings->usesFields($mode) ? 'fields' : 'pack';
            $notices[] = ['level' => 'error', 'text' => $texts[$mode][$source]];
        }
        $currency = get_woocommerce_currency();
        if (!Money::isSupported($currency)) {
            $notices[] = ['level' => 'error', 'text' => sprintf(
                /* translators: %s: currency code */
                __('myPOS IPC does not accept the store currency %s; the gateway is not offered.', 'mypos-ipc'),
                $currency
            )];
        }
        if ($settings->testMode()) {
            $notices[] = [
                'level' => 'warning',
                'text' => __('myPOS IPC is in test mode: no real payments are taken.', 'mypos-ipc'),
            ];
        } elseif (!$https) {
            $notices[] = [
                'level' => 'error',
                'text' => __('myPOS IPC is in live mode but the site is not served over HTTPS.', 'mypos-ipc'),
            ];
        }
        return $notices;
    }
}
