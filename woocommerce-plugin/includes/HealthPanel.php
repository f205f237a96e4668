<?php

namespace MyPOS\IPC\WooCommerce;

/**
 * The settings page's health at a glance (field type mypos_health): the notify URL myPOS must
 * reach with the "Check the notify URL" button and its last result, the last notify and what it
 * was answered, the last failure and why, this week's counts, and Health's checks.
 */
final class HealthPanel
{
    public function __construct(private Settings $settings, private int $now)
    {
    }

    /**
     * @param array<string, mixed> $data the field (title)
     */
    public function html(array $data): string
    {
        $failure = NotifyStats::failure();
        $rows = [
            [__('Notify URL', 'mypos-ipc'), '<code>' . esc_html(NotifyCheck::notifyUrl()) . '</code> '
                . sprintf(
                    '<a class="button" href="%s">%s</a>',
                    esc_url(NotifyCheck::url()),
                    esc_html__('Check the notify URL', 'mypos-ipc')
                )
                . self::checkHtml(NotifyCheck::last())],
            [__('Last notify', 'mypos-ipc'), esc_html(Health::lastText(NotifyStats::last()))],
            [__('Last failure', 'mypos-ipc'), esc_html($failure !== null ? Health::failureText($failure) : '-')],
            [__('Last 7 days', 'mypos-ipc'), esc_html(self::countsText(NotifyStats::counts($this->now)))],
        ];
        foreach ((new Health($this->settings, $this->now))->all() as $id => $check) {
            $rows[] = [$check['name'], sprintf(
                '<span class="mypos-ipc-health mypos-ipc-health-%1$s" data-check="%2$s">%3$s</span> %4$s',
                esc_attr($check['status']),
                esc_attr($id),
                esc_html(self::statusText($check['status'])),
                esc_html($check['label'] . '. ' . $check['text'])
            )];
        }
        $body = '';
        foreach ($rows as [$name, $html]) {
            $body .= '<tr><th scope="row" style="padding:4px 10px 4px 0;width:12em">' . esc_html($name) . '</th>'
                . '<td style="padding:4px 0">' . $html . '</td></tr>';
        }
        return sprintf(
            '<tr valign="top"><th scope="row" class="titledesc">%1$s</th><td class="forminp">'
            . '<table class="mypos-ipc-health-panel" id="mypos-ipc-health">%2$s</table></td></tr>',
            esc_html((string) ($data['title'] ?? '')),
            $body
        );
    }

    /**
     * @param array<string, int> $counts NotifyStats::counts()
     */
    public static function countsText(array $counts): string
    {
        return sprintf(
            /* translators: 1: paid, 2: duplicates, 3: refused (not answered OK), 4: reversed (rolled back) notifies */
            __('%1$d paid, %2$d duplicates, %3$d refused, %4$d reversed', 'mypos-ipc'),
            $counts['paid'] ?? 0,
            $counts['duplicate'] ?? 0,
            $counts['refused'] ?? 0,
            $counts['reversed'] ?? 0
        );
    }

    private static function statusText(string $status): string
    {
        return match ($status) {
            Health::GOOD => __('Good', 'mypos-ipc'),
            Health::CRITICAL => __('Critical', 'mypos-ipc'),
            default => __('Recommended', 'mypos-ipc'),
        };
    }

    /**
     * @param array<string, mixed>|null $check NotifyCheck::last()
     */
    private static function checkHtml(?array $check): string
    {
        if ($check === null) {
            return '<p class="description">' . esc_html__(
                'Posts an unsigned test message to this URL over the site\'s public address, as myPOS would.',
                'mypos-ipc'
            ) . '</p>';
        }
        $facts = sprintf(
            /* translators: 1: yes/no, 2: HTTP status or "-", 3: yes/no, 4: milliseconds */
            __('HTTPS: %1$s; HTTP status: %2$s; the plug-in answered: %3$s; %4$d ms.', 'mypos-ipc'),
            $check['https'] ? __('yes', 'mypos-ipc') : __('no', 'mypos-ipc'),
            $check['status'] !== null ? (string) $check['status'] : '-',
            $check['plugin'] ? __('yes', 'mypos-ipc') : __('no', 'mypos-ipc'),
            (int) $check['ms']
        );
        return sprintf(
            '<p class="mypos-ipc-notify-check mypos-ipc-notify-check-%s">%s<br>%s</p>',
            $check['ok'] ? 'ok' : 'failed',
            esc_html(Health::checkText($check)),
            esc_html($facts)
        );
    }
}
