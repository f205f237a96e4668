<?php

namespace MyPOS\IPC\WooCommerce;

/**
 * The admin warnings about the gateway's setup, as plain sentences, the result of the last
 * connection test, and the orders flagged for a look (OrderFlags).
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
        foreach (OrderFlags::all() as $flag) {
            printf('<div class="notice notice-warning"><p>%s</p></div>', esc_html($flag['text']));
        }
    }

    /** A certificate this close to its end (or past it) is warned about. */
    public const EXPIRY_WARNING_SECONDS = 30 * 86400;

    /**
     * For each mode: the private key that no longer opens (error), and each accepted myPOS
     * certificate that ends within 30 days (warning; it still verifies, myPOS decides when to rotate).
     *
     * @return list<array{level: string, text: string}>
     */
    public static function keyNotices(Settings $settings, int $now): array
    {
        $notices = [];
        foreach (array_keys(Settings::MODES) as $mode) {
            // A damaged value is "missing or unusable" (collect()); a changed key gets its own notice.
            $problem = $settings->keyProblem($mode) !== 'damaged' ? $settings->keyNotice($mode) : null;
            if ($problem !== null) {
                $notices[] = ['level' => 'error', 'text' => $problem];
            }
            $entries = [$settings->usesFields($mode) ? $settings->fieldsEntry($mode) : $settings->packEntry($mode)];
            $standby = $settings->standbyEntry($mode);
            if ($standby !== null && Keyring::accepted($standby, $now)) {
                $entries[] = $standby;
            }
            foreach (array_filter($entries) as $entry) {
                $notAfter = Keyring::notAfter($entry);
                if ($notAfter === null || $notAfter - $now > self::EXPIRY_WARNING_SECONDS) {
                    continue;
                }
                $notices[] = ['level' => 'warning', 'text' => sprintf(
                    $notAfter <= $now
                        ? __(
                            /* translators: 1: "Test" or "Live", 2: key index, 3: date (YYYY-MM-DD) */
                            // phpcs:ignore Generic.Files.LineLength.TooLong -- a translatable sentence stays on one line
                            'myPOS IPC (%1$s): the myPOS certificate of key index %2$d expired on %3$s. Add the new configuration pack (Next configuration pack) and make it active.',
                            'mypos-ipc'
                        )
                        : __(
                            /* translators: 1: "Test" or "Live", 2: key index, 3: date (YYYY-MM-DD) */
                            // phpcs:ignore Generic.Files.LineLength.TooLong -- a translatable sentence stays on one line
                            'myPOS IPC (%1$s): the myPOS certificate of key index %2$d expires on %3$s. Add the new configuration pack (Next configuration pack) before then.',
                            'mypos-ipc'
                        ),
                    $mode === 'test' ? __('Test', 'mypos-ipc') : __('Live', 'mypos-ipc'),
                    (int) $entry['key_index'],
                    gmdate('Y-m-d', $notAfter)
                )];
            }
        }
        return $notices;
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
        $notices = array_merge($notices, self::keyNotices($settings, time()));
        $mode = $settings->testMode() ? 'test' : 'live';
        if ($settings->config() === null && in_array($settings->keyProblem($mode), [null, 'damaged'], true)) {
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
