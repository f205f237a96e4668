<?php

namespace MyPOS\IPC\WooCommerce;

/**
 * A per-order lock held in the database (MySQL GET_LOCK), so two PHP workers handling the
 * same order's notifications run one after the other.
 */
final class OrderLock
{
    public const TAKEN = 'taken';
    /** GET_LOCK returned 0: another request held the lock for the whole wait. */
    public const BUSY = 'busy';
    /** GET_LOCK returned NULL or the query failed: locking does not work right now. */
    public const UNAVAILABLE = 'unavailable';
    /** myPOS waits a limited time for the answer: never spend more than this on the lock. */
    public const MAX_WAIT_SECONDS = 3;

    private int $timeoutSeconds;
    private string $problem = '';

    public function __construct(int $timeoutSeconds = self::MAX_WAIT_SECONDS)
    {
        $this->timeoutSeconds = max(0, min(self::MAX_WAIT_SECONDS, $timeoutSeconds));
    }

    /** One of TAKEN, BUSY, UNAVAILABLE; problem() says why for the last two. */
    public function take(string $orderId): string
    {
        global $wpdb;
        $this->problem = '';
        // Refused on some Galera versions: told apart below, kept out of the PHP error log.
        $suppressed = method_exists($wpdb, 'suppress_errors') ? $wpdb->suppress_errors(true) : null;
        $got = $wpdb->get_var($wpdb->prepare('SELECT GET_LOCK(%s, %d)', self::name($orderId), $this->timeoutSeconds));
        if ($suppressed !== null) {
            $wpdb->suppress_errors($suppressed);
        }
        // wpdb reports query errors in last_error (cleared by each query), not by throwing.
        $error = (string) ($wpdb->last_error ?? '');
        if ($error !== '') {
            $this->problem = 'database error: ' . $error;
            return self::UNAVAILABLE;
        }
        if ($got === null) {
            $this->problem = 'GET_LOCK returned NULL';
            return self::UNAVAILABLE;
        }
        if ((string) $got === '1') {
            return self::TAKEN;
        }
        $this->problem = "held by another request for more than {$this->timeoutSeconds} s";
        return self::BUSY;
    }

    public function acquire(string $orderId): bool
    {
        return $this->take($orderId) === self::TAKEN;
    }

    public function problem(): string
    {
        return $this->problem;
    }

    public function timeoutSeconds(): int
    {
        return $this->timeoutSeconds;
    }

    public function release(string $orderId): void
    {
        global $wpdb;
        $wpdb->get_var($wpdb->prepare('SELECT RELEASE_LOCK(%s)', self::name($orderId)));
    }

    private static function name(string $orderId): string
    {
        global $wpdb;
        // MySQL lock names are at most 64 characters.
        return substr('mypos_ipc_' . $wpdb->prefix . $orderId, 0, 64);
    }
}
