<?php

namespace MyPOS\IPC\WooCommerce;

// phpcs:disable Generic.Files.LineLength.TooLong -- a translatable sentence stays on one line

use MyPOS\IPC\Decision;
use MyPOS\IPC\Notification;

/**
 * What the notify endpoint answered lately, for the health panel and Site Health: the last
 * answer, the last one that was not `OK`, and per-day counters of paid, duplicate, refused and
 * reversed (rolled back) notifies. One option (not autoloaded), at most DAYS_KEPT days; written
 * after the answer was delivered, so it never delays it. Two notifies finishing at the same
 * instant may lose one count: these are indicators, the orders and the log are the record.
 */
final class NotifyStats
{
    public const OPTION = 'mypos_ipc_notify_stats';
    /** Days the counters cover (today and the 6 before, UTC). */
    public const DAYS = 7;
    public const COUNTERS = ['paid', 'duplicate', 'refused', 'reversed'];
    private const DAYS_KEPT = 8;

    /**
     * What the core decided about a verified message, as the answer carries it to record().
     *
     * @return array<string, mixed>
     */
    public static function decided(Notification $notification, Decision $decision): array
    {
        $params = [];
        foreach ($decision->noteParams() as $name => $value) {
            $params[(string) $name] = (string) $value;
        }
        return [
            'method' => $notification->method(),
            'order' => (string) ($notification->orderId() ?? ''),
            'action' => $decision->action(),
            'code' => $decision->noteCode(),
            'params' => $params,
            'note' => $decision->note(),
        ];
    }

    /**
     * Called by the endpoint once the answer to the POST body $body was delivered. Not notifies
     * from myPOS: the returning buyer (a redirect), a request without a body that is no verified
     * message (a browser or crawler opening the URL; myPOS posts its notifies) and the plug-in's
     * own notify URL check (NotifyCheck). Nothing here may break the request.
     */
    public static function afterAnswer(Answer $answer, string $body): void
    {
        try {
            $opened = $body === '' && $answer->decided === null;
            if ($answer->redirect === null && !$opened && !NotifyCheck::isProbe($body)) {
                self::record($answer, time());
            }
        } catch (\Throwable $e) {
            // Counters are indicators: a failure to write them changes nothing that was answered.
        }
    }

    /** Adds one answer (not a redirect) sent at $now. */
    public static function record(Answer $answer, int $now): void
    {
        $stats = self::read();
        $decided = $answer->decided ?? [];
        $ok = self::isOk($answer);
        $entry = [
            'at' => $now,
            'status' => $answer->status,
            'body' => substr($answer->body, 0, 100),
            'method' => (string) ($decided['method'] ?? ''),
            'order' => substr((string) ($decided['order'] ?? ''), 0, 100),
            'action' => (string) ($decided['action'] ?? ''),
        ];
        $stats['last'] = $entry;
        if (!$ok) {
            $stats['failure'] = $entry + [
                'code' => (string) ($decided['code'] ?? ''),
                'params' => (array) ($decided['params'] ?? []),
                'note' => substr((string) ($decided['note'] ?? ''), 0, 300),
            ];
        }
        $counter = self::counter($ok, $entry);
        if ($counter !== null) {
            $day = gmdate('Y-m-d', $now);
            $stats['days'][$day][$counter] = (int) ($stats['days'][$day][$counter] ?? 0) + 1;
            krsort($stats['days']);
            $stats['days'] = array_slice($stats['days'], 0, self::DAYS_KEPT, true);
        }
        update_option(self::OPTION, $stats, false);
    }

    /**
     * The last answer: at, status, body, method, order, action; null before the first notify.
     *
     * @return array<string, mixed>|null
     */
    public static function last(): ?array
    {
        return self::read()['last'];
    }

    /**
     * The last answer that was not `OK` (as last(), with the core's note code, values and note).
     *
     * @return array<string, mixed>|null
     */
    public static function failure(): ?array
    {
        return self::read()['failure'];
    }

    /**
     * The counters summed over today and the DAYS - 1 days before (UTC).
     *
     * @return array<string, int>
     */
    public static function counts(int $now): array
    {
        $counts = array_fill_keys(self::COUNTERS, 0);
        $from = gmdate('Y-m-d', $now - (self::DAYS - 1) * 86400);
        foreach (self::read()['days'] as $day => $dayCounts) {
            if ((string) $day < $from || !is_array($dayCounts)) {
                continue;
            }
            foreach (self::COUNTERS as $name) {
                $counts[$name] += (int) ($dayCounts[$name] ?? 0);
            }
        }
        return $counts;
    }

    public static function isOk(Answer $answer): bool
    {
        return $answer->status === 200 && $answer->body === 'OK';
    }

    /**
     * Why an answer (last() or failure()) was what it was, as a sentence for the owner.
     *
     * @param array<string, mixed> $entry
     */
    public static function reason(array $entry): string
    {
        if (($entry['code'] ?? '') !== '') {
            $params = array_map('strval', (array) ($entry['params'] ?? []));
            return DecisionNotes::wording((string) $entry['code'], $params) ?? (string) ($entry['note'] ?? '');
        }
        return match ((string) ($entry['body'] ?? '')) {
            'OK' => __('Answered OK.', 'mypos-ipc'),
            'signature invalid' => __(
                'The signature did not verify with the stored myPOS certificates (not sent by myPOS, or the certificate of another account or mode).',
                'mypos-ipc'
            ),
            'malformed' => __('The body was not a well-formed myPOS message.', 'mypos-ipc'),
            'not configured' => __('The gateway has no usable configuration for either mode.', 'mypos-ipc'),
            'extension missing' => __('The PHP extension mypos_ipc is not loaded.', 'mypos-ipc'),
            'busy' => __('The order was held by another request for more than 3 s; myPOS retries.', 'mypos-ipc'),
            'lock unavailable' => __('The order lock could not be taken (database); myPOS retries.', 'mypos-ipc'),
            'not saved' => __('The payment was not saved (the order read back did not show it); see the log.', 'mypos-ipc'),
            'error' => __('An error occurred while the notify was handled; see the log.', 'mypos-ipc'),
            default => sprintf(
                /* translators: 1: HTTP status, 2: answer body */
                __('Answered HTTP %1$d "%2$s".', 'mypos-ipc'),
                (int) ($entry['status'] ?? 0),
                (string) ($entry['body'] ?? '')
            ),
        };
    }

    /**
     * Which counter an answer adds to: a rollback is a reversed payment whatever was answered; a
     * payment recorded and answered `OK` is paid; a repeat of it a duplicate; anything else not
     * answered `OK` refused. Other messages (IPCSignatureVerify, a rollback-free OK) count nowhere.
     *
     * @param array<string, mixed> $entry
     */
    private static function counter(bool $ok, array $entry): ?string
    {
        if ($entry['method'] === 'IPCPurchaseRollback') {
            return 'reversed';
        }
        if ($ok && $entry['action'] === 'mark_paid') {
            return 'paid';
        }
        if ($entry['action'] === 'duplicate') {
            return 'duplicate';
        }
        return $ok ? null : 'refused';
    }

    /**
     * @return array{last: array<string, mixed>|null, failure: array<string, mixed>|null, days: array<string, mixed>}
     */
    private static function read(): array
    {
        $stored = get_option(self::OPTION, []);
        $stored = is_array($stored) ? $stored : [];
        return [
            'last' => is_array($stored['last'] ?? null) ? $stored['last'] : null,
            'failure' => is_array($stored['failure'] ?? null) ? $stored['failure'] : null,
            'days' => is_array($stored['days'] ?? null) ? $stored['days'] : [],
        ];
    }
}
