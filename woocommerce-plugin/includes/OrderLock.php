<?php

namespace MyPOS\IPC\WooCommerce;

/**
 * A per-order lock held in the database (MySQL GET_LOCK), so two PHP workers handling the
 * same order's notifications run one after the other.
 */
final class OrderLock
{
    public function __construct(private int $timeoutSeconds = 10)
    {
    }

    public function acquire(string $orderId): bool
    {
        global $wpdb;
        $got = $wpdb->get_var($wpdb->prepare('SELECT GET_LOCK(%s, %d)', self::name($orderId), $this->timeoutSeconds));
        return (string) $got === '1';
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
