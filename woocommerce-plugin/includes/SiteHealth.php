<?php

namespace MyPOS\IPC\WooCommerce;

/**
 * Health's checks in WordPress's Site Health (direct tests, filter site_status_tests) and the
 * gateway's section of WooCommerce > Status (action woocommerce_system_status_report).
 */
final class SiteHealth
{
    /** Health's checks, each a Site Health test "mypos_ipc_<id>". */
    public const TESTS = ['extension', 'keys', 'mode', 'https', 'notify', 'jobs'];
    private const BADGE_COLOR = ['good' => 'blue', 'recommended' => 'orange', 'critical' => 'red'];

    /** @var \Closure(): Settings */
    private \Closure $settings;

    /**
     * @param callable(): Settings $settings reads the saved settings when a check runs
     */
    public function __construct(callable $settings)
    {
        $this->settings = \Closure::fromCallable($settings);
    }

    /**
     * The site_status_tests filter: adds the direct tests.
     *
     * @param array<string, mixed> $tests
     * @return array<string, mixed>
     */
    public function tests($tests): array
    {
        $tests = is_array($tests) ? $tests : [];
        foreach (self::TESTS as $id) {
            $tests['direct']['mypos_ipc_' . $id] = [
                /* translators: %s: what is checked (e.g. "Keys") */
                'label' => sprintf(__('myPOS IPC: %s', 'mypos-ipc'), Health::names()[$id]),
                'test' => fn (): array => $this->run($id),
            ];
        }
        return $tests;
    }

    /**
     * One test's result in Site Health's form.
     *
     * @return array<string, mixed>
     */
    public function run(string $id): array
    {
        $check = $this->health()->{$id}();
        return [
            'label' => $check['label'],
            'status' => $check['status'],
            'badge' => ['label' => 'myPOS IPC', 'color' => self::BADGE_COLOR[$check['status']] ?? 'blue'],
            'description' => '<p>' . esc_html($check['text']) . '</p>',
            'actions' => sprintf(
                '<p><a href="%s">%s</a></p>',
                esc_url(self::settingsUrl()),
                esc_html__('myPOS IPC settings', 'mypos-ipc')
            ),
            'test' => 'mypos_ipc_' . $id,
        ];
    }

    /** The woocommerce_system_status_report action: the gateway's table, like other plug-ins'. */
    public function statusReport(): void
    {
        $rows = [];
        foreach ($this->health()->all() as $check) {
            $rows[] = [$check['name'], $check['status'] === Health::GOOD, $check['label'] . '. ' . $check['text']];
        }
        $rows[] = [__('Notify URL', 'mypos-ipc'), null, NotifyCheck::notifyUrl()];
        $rows[] = [__('Last notify', 'mypos-ipc'), null, Health::lastText(NotifyStats::last())];
        $failure = NotifyStats::failure();
        $rows[] = [__('Last failure', 'mypos-ipc'), null, $failure !== null ? Health::failureText($failure) : '-'];
        $rows[] = [__('Last 7 days', 'mypos-ipc'), null, HealthPanel::countsText(NotifyStats::counts(time()))];
        echo '<table class="wc_status_table widefat" cellspacing="0" id="status-mypos-ipc"><thead><tr>'
            . '<th colspan="3" data-export-label="myPOS IPC"><h2>myPOS IPC</h2></th></tr></thead><tbody>';
        foreach ($rows as [$name, $good, $text]) {
            $mark = $good === null ? esc_html($text) : sprintf(
                '<mark class="%s"><span class="dashicons dashicons-%s"></span></mark> %s',
                $good ? 'yes' : 'error',
                $good ? 'yes' : 'warning',
                esc_html($text)
            );
            printf(
                '<tr><td data-export-label="%1$s">%1$s:</td><td class="help">&nbsp;</td><td>%2$s</td></tr>',
                esc_html($name),
                $mark
            );
        }
        echo '</tbody></table>';
    }

    /** The gateway's settings page. */
    public static function settingsUrl(): string
    {
        return admin_url('admin.php?page=wc-settings&tab=checkout&section=mypos_ipc');
    }

    private function health(): Health
    {
        return new Health(($this->settings)(), time());
    }
}
