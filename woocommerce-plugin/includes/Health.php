<?php

namespace MyPOS\IPC\WooCommerce;

// phpcs:disable Generic.Files.LineLength.TooLong -- a translatable sentence stays on one line

/**
 * The gateway's health as a few checks, each good, recommended (works, but look at it) or
 * critical (payments fail or are at risk): the extension, the keys, the mode, HTTPS, whether
 * myPOS reaches the notify URL, and the Action Scheduler jobs. Site Health, the WooCommerce
 * status report and the settings page's panel show the same results.
 */
final class Health
{
    public const GOOD = 'good';
    public const RECOMMENDED = 'recommended';
    public const CRITICAL = 'critical';
    /** Failed jobs of the plug-in in the last 7 days from which they are "piling up". */
    public const FAILED_JOBS_WARNING = 3;
    /** A pending job this late means Action Scheduler (WP-Cron) is not running. */
    public const OVERDUE_SECONDS = 3600;
    private const WEEK = 7 * 86400;

    public function __construct(private Settings $settings, private int $now)
    {
    }

    /**
     * Every check by id: its short name, status, headline and detail.
     *
     * @return array<string, array{name: string, status: string, label: string, text: string}>
     */
    public function all(): array
    {
        return [
            'extension' => $this->extension(),
            'keys' => $this->keys(),
            'mode' => $this->mode(),
            'https' => $this->https(),
            'notify' => $this->notify(),
            'jobs' => $this->jobs(),
        ];
    }

    /**
     * The checks' short names by id.
     *
     * @return array<string, string>
     */
    public static function names(): array
    {
        return [
            'extension' => __('PHP extension', 'mypos-ipc'),
            'keys' => __('Keys', 'mypos-ipc'),
            'mode' => __('Mode', 'mypos-ipc'),
            'https' => __('HTTPS', 'mypos-ipc'),
            'notify' => __('Notify reachability', 'mypos-ipc'),
            'jobs' => __('Scheduled jobs', 'mypos-ipc'),
        ];
    }

    /** The PHP this request runs on, in the extension's BUILD_TARGET form. */
    public static function phpTarget(): string
    {
        return sprintf('php%d.%d-%s-%s', PHP_MAJOR_VERSION, PHP_MINOR_VERSION, PHP_ZTS ? 'zts' : 'nts', php_uname('m'));
    }

    /** @return array{name: string, status: string, label: string, text: string} */
    public function extension(): array
    {
        $name = self::names()['extension'];
        $problem = Extension::problem();
        if ($problem !== null) {
            return self::result($name, self::CRITICAL, __('The myPOS IPC PHP extension is not usable', 'mypos-ipc'), sprintf(
                /* translators: %s: reason */
                __('No payments, refunds or notifies: %s. Install the mypos_ipc package built for this PHP and restart PHP.', 'mypos-ipc'),
                $problem
            ));
        }
        $version = (string) constant('MyPOS\\IPC\\VERSION');
        $built = defined('MyPOS\\IPC\\BUILD_TARGET') ? (string) constant('MyPOS\\IPC\\BUILD_TARGET') : '';
        if ($built !== '' && $built !== self::phpTarget()) {
            return self::result($name, self::RECOMMENDED, __('The myPOS IPC PHP extension was built for another PHP', 'mypos-ipc'), sprintf(
                /* translators: 1: extension version, 2: the PHP it was built for, 3: this PHP */
                __('mypos_ipc %1$s is built for %2$s, but this PHP is %3$s. Install the build for this PHP.', 'mypos-ipc'),
                $version,
                $built,
                self::phpTarget()
            ));
        }
        return self::result($name, self::GOOD, __('The myPOS IPC PHP extension is loaded', 'mypos-ipc'), sprintf(
            /* translators: 1: extension version, 2: the PHP it was built for */
            __('mypos_ipc %1$s, built for %2$s (this PHP).', 'mypos-ipc'),
            $version,
            $built !== '' ? $built : self::phpTarget()
        ));
    }

    /**
     * The keys of both modes: a private key that no longer opens and certificates ending within
     * 30 days (Notices::keyNotices(), the admin notices' rules), and the chosen mode's credentials.
     *
     * @return array{name: string, status: string, label: string, text: string}
     */
    public function keys(): array
    {
        $name = self::names()['keys'];
        if (Extension::problem() !== null) {
            return self::result($name, self::RECOMMENDED, __('The myPOS IPC keys cannot be checked', 'mypos-ipc'), __('The PHP extension mypos_ipc is needed to read them.', 'mypos-ipc'));
        }
        $notices = Notices::keyNotices($this->settings, $this->now);
        $mode = $this->settings->mode();
        $unusable = $mode !== null && $this->settings->config() === null
            && in_array($this->settings->keyProblem($mode), [null, 'damaged'], true);
        if ($unusable) {
            $notices[] = ['level' => 'error', 'text' => $mode === 'test'
                ? __('The test credentials are missing or unusable.', 'mypos-ipc')
                : __('The live credentials are missing or unusable.', 'mypos-ipc')];
        }
        $levels = array_column($notices, 'level');
        if (in_array('error', $levels, true)) {
            return self::result($name, self::CRITICAL, __('The myPOS IPC keys need attention', 'mypos-ipc'), implode(' ', array_column($notices, 'text')));
        }
        if ($levels !== []) {
            return self::result($name, self::RECOMMENDED, __('A myPOS certificate ends soon', 'mypos-ipc'), implode(' ', array_column($notices, 'text')));
        }
        $lines = [];
        foreach (array_keys(Settings::MODES) as $each) {
            $entry = $this->settings->usesFields($each) ? $this->settings->fieldsEntry($each) : $this->settings->packEntry($each);
            if ($entry === null) {
                continue;
            }
            $notAfter = Keyring::notAfter($entry);
            $lines[] = sprintf(
                /* translators: 1: "Test" or "Live", 2: key index, 3: date (YYYY-MM-DD) or "?" */
                __('%1$s: key index %2$d, the private key opens, the myPOS certificate is valid until %3$s.', 'mypos-ipc'),
                $each === 'test' ? __('Test', 'mypos-ipc') : __('Live', 'mypos-ipc'),
                (int) $entry['key_index'],
                $notAfter !== null ? gmdate('Y-m-d', $notAfter) : '?'
            );
        }
        if ($lines === []) {
            return self::result($name, self::RECOMMENDED, __('No myPOS IPC keys are stored', 'mypos-ipc'), __('Paste the configuration pack of your myPOS account on the settings page.', 'mypos-ipc'));
        }
        return self::result($name, self::GOOD, __('The myPOS IPC keys are usable', 'mypos-ipc'), implode(' ', $lines));
    }

    /** @return array{name: string, status: string, label: string, text: string} */
    public function mode(): array
    {
        $name = self::names()['mode'];
        $mode = $this->settings->mode();
        $environment = function_exists('wp_get_environment_type') ? wp_get_environment_type() : 'production';
        if ($mode === null) {
            return self::result($name, self::RECOMMENDED, __('No myPOS IPC mode is chosen', 'mypos-ipc'), __('The gateway stays off until test or live mode is chosen on the settings page.', 'mypos-ipc'));
        }
        if ($mode === 'test' && $environment === 'production') {
            return self::result(
                $name,
                $this->settings->enabled() ? self::CRITICAL : self::RECOMMENDED,
                __('myPOS IPC is in test mode on a production site', 'mypos-ipc'),
                __('Payments go to the myPOS test environment: no real money is taken, yet orders are marked paid. Choose live mode once the shop is open.', 'mypos-ipc')
            );
        }
        if ($mode === 'live' && $environment !== 'production') {
            return self::result($name, self::RECOMMENDED, __('myPOS IPC takes live payments on a site that is not production', 'mypos-ipc'), sprintf(
                /* translators: %s: environment type (local, development, staging) */
                __('This site\'s environment type is "%s" (WP_ENVIRONMENT_TYPE) but the gateway is in live mode: real cards are charged here.', 'mypos-ipc'),
                $environment
            ));
        }
        return self::result($name, self::GOOD, $mode === 'live'
            ? __('myPOS IPC is in live mode on a production site', 'mypos-ipc')
            : __('myPOS IPC is in test mode on a site that is not production', 'mypos-ipc'), sprintf(
                /* translators: %s: environment type */
                __('Environment type: %s.', 'mypos-ipc'),
                $environment
            ));
    }

    /** @return array{name: string, status: string, label: string, text: string} */
    public function https(): array
    {
        $name = self::names()['https'];
        $url = NotifyCheck::notifyUrl();
        if (strtolower((string) parse_url($url, PHP_URL_SCHEME)) === 'https') {
            return self::result($name, self::GOOD, __('The myPOS IPC notify URL is HTTPS', 'mypos-ipc'), $url);
        }
        $live = $this->settings->mode() === 'live';
        return self::result($name, $live ? self::CRITICAL : self::RECOMMENDED, __('The myPOS IPC notify URL is not HTTPS', 'mypos-ipc'), sprintf(
            /* translators: %s: the notify URL */
            __('myPOS posts payment notifications to %s in the clear; live payments need the shop served over HTTPS.', 'mypos-ipc'),
            $url
        ));
    }

    /**
     * Whether myPOS reaches the notify URL: the last "Check the notify URL" (unless a notify
     * answered `OK` since), notifies not answered `OK` this week, or nothing known yet.
     *
     * @return array{name: string, status: string, label: string, text: string}
     */
    public function notify(): array
    {
        $name = self::names()['notify'];
        $check = NotifyCheck::last();
        $last = NotifyStats::last();
        $failure = NotifyStats::failure();
        $lastOk = $last !== null && $last['status'] === 200 && $last['body'] === 'OK' ? (int) $last['at'] : 0;
        $facts = implode(' ', array_filter([self::checkText($check), self::lastText($last)]));
        if ($check !== null && !$check['ok'] && (int) $check['at'] >= $lastOk) {
            return self::result(
                $name,
                $this->settings->enabled() ? self::CRITICAL : self::RECOMMENDED,
                __('myPOS may not reach the notify URL', 'mypos-ipc'),
                $facts . ' ' . __('Payments whose notify is not answered OK are reversed by myPOS.', 'mypos-ipc')
            );
        }
        $refused = NotifyStats::counts($this->now)['refused'];
        if ($refused > 0 && $failure !== null && (int) $failure['at'] > $this->now - self::WEEK) {
            return self::result($name, self::RECOMMENDED, __('Some myPOS notifies were not answered OK this week', 'mypos-ipc'), sprintf(
                /* translators: 1: number of notifies, 2: the last failure (date, answer and reason) */
                __('Notifies not answered OK in the last 7 days: %1$d. The last one: %2$s', 'mypos-ipc'),
                $refused,
                self::failureText($failure)
            ) . ($facts !== '' ? ' ' . $facts : ''));
        }
        if (($check !== null && $check['ok']) || $lastOk > 0) {
            return self::result($name, self::GOOD, __('myPOS reaches the notify URL', 'mypos-ipc'), $facts);
        }
        return self::result($name, self::RECOMMENDED, __('The myPOS IPC notify URL has not been checked', 'mypos-ipc'), __('No notify has been received yet. Press "Check the notify URL" on the gateway\'s settings page.', 'mypos-ipc'));
    }

    /**
     * The plug-in's Action Scheduler jobs (group mypos-ipc): the hourly status check scheduled,
     * no failed jobs piling up, none long overdue (Action Scheduler not running).
     *
     * @return array{name: string, status: string, label: string, text: string}
     */
    public function jobs(): array
    {
        $name = self::names()['jobs'];
        if (!function_exists('as_next_scheduled_action') || !function_exists('as_get_scheduled_actions')) {
            return self::result($name, self::RECOMMENDED, __('Action Scheduler is not available', 'mypos-ipc'), __('Status checks and refund follow-ups of myPOS IPC do not run without WooCommerce\'s Action Scheduler.', 'mypos-ipc'));
        }
        $problems = [];
        $next = as_next_scheduled_action(Reconciler::HOOK_ALL, [], 'mypos-ipc');
        if ($next === false) {
            $problems[] = sprintf(
                /* translators: %s: hook name */
                __('The hourly status check (%s) is not scheduled; it is scheduled again on the next page load.', 'mypos-ipc'),
                Reconciler::HOOK_ALL
            );
        }
        $failed = count((array) as_get_scheduled_actions([
            'group' => 'mypos-ipc',
            'status' => 'failed',
            'date' => $this->now - self::WEEK,
            'date_compare' => '>=',
            'per_page' => 100,
        ], 'ids'));
        if ($failed >= self::FAILED_JOBS_WARNING) {
            $problems[] = sprintf(
                /* translators: %d: number of jobs */
                __('Jobs of the group mypos-ipc that failed in the last 7 days: %d (Tools > Scheduled Actions shows why).', 'mypos-ipc'),
                $failed
            );
        }
        $overdue = count((array) as_get_scheduled_actions([
            'group' => 'mypos-ipc',
            'status' => 'pending',
            'date' => $this->now - self::OVERDUE_SECONDS,
            'date_compare' => '<=',
            'per_page' => 100,
        ], 'ids'));
        if ($overdue > 0) {
            $problems[] = sprintf(
                /* translators: %d: number of jobs */
                __('Jobs of the group mypos-ipc more than an hour overdue: %d. Action Scheduler (WP-Cron) does not seem to run.', 'mypos-ipc'),
                $overdue
            );
        }
        if ($problems !== []) {
            return self::result($name, self::RECOMMENDED, __('The myPOS IPC scheduled jobs need attention', 'mypos-ipc'), implode(' ', $problems));
        }
        return self::result($name, self::GOOD, __('The myPOS IPC scheduled jobs run', 'mypos-ipc'), is_int($next) ? sprintf(
            /* translators: %s: date and time (UTC) */
            __('Next hourly status check: %s UTC.', 'mypos-ipc'),
            gmdate('Y-m-d H:i', $next)
        ) : __('The hourly status check is running now.', 'mypos-ipc'));
    }

    /**
     * @param array<string, mixed>|null $check NotifyCheck::last()
     */
    public static function checkText(?array $check): string
    {
        if ($check === null) {
            return '';
        }
        return sprintf(
            /* translators: 1: date and time (UTC), 2: the check's result */
            __('Last check of the notify URL (%1$s UTC): %2$s', 'mypos-ipc'),
            gmdate('Y-m-d H:i', (int) $check['at']),
            (string) $check['message']
        );
    }

    /**
     * @param array<string, mixed>|null $last NotifyStats::last()
     */
    public static function lastText(?array $last): string
    {
        if ($last === null) {
            return __('No notify has been received yet.', 'mypos-ipc');
        }
        if ((string) $last['method'] === '') {
            return sprintf(
                /* translators: 1: date and time (UTC), 2: HTTP status, 3: answer body */
                __('Last notify: %1$s UTC, not a verified myPOS message, answered %2$d "%3$s".', 'mypos-ipc'),
                gmdate('Y-m-d H:i:s', (int) $last['at']),
                (int) $last['status'],
                (string) $last['body']
            );
        }
        return sprintf(
            /* translators: 1: date and time (UTC), 2: myPOS method, 3: OrderID (or "-"), 4: HTTP status, 5: answer body */
            __('Last notify: %1$s UTC, %2$s for %3$s, answered %4$d "%5$s".', 'mypos-ipc'),
            gmdate('Y-m-d H:i:s', (int) $last['at']),
            (string) $last['method'],
            $last['order'] !== '' ? (string) $last['order'] : '-',
            (int) $last['status'],
            (string) $last['body']
        );
    }

    /**
     * @param array<string, mixed> $failure NotifyStats::failure()
     */
    public static function failureText(array $failure): string
    {
        return sprintf(
            /* translators: 1: date and time (UTC), 2: HTTP status, 3: answer body, 4: why */
            __('%1$s UTC, answered %2$d "%3$s": %4$s', 'mypos-ipc'),
            gmdate('Y-m-d H:i:s', (int) $failure['at']),
            (int) $failure['status'],
            (string) $failure['body'],
            NotifyStats::reason($failure)
        );
    }

    /** @return array{name: string, status: string, label: string, text: string} */
    private static function result(string $name, string $status, string $label, string $text): array
    {
        return ['name' => $name, 'status' => $status, 'label' => $label, 'text' => $text];
    }
}
