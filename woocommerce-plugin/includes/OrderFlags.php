<?php

namespace MyPOS\IPC\WooCommerce;

/**
 * What an administrator must look at on an order (a refund pending at myPOS, a payment myPOS
 * reports that the order does not show), kept in one option and shown as admin notices (Notices)
 * until it is cleared. The plug-in flags such orders instead of changing them on its own.
 */
final class OrderFlags
{
    public const OPTION = 'mypos_ipc_order_flags';
    public const REFUND_PENDING = 'refund_pending';
    public const PAID_AT_MYPOS = 'paid_at_mypos';
    public const REVERSED_AT_MYPOS = 'reversed_at_mypos';
    /** An open authorization that expires within two days (Authorizations::checkOpen()). */
    public const AUTHORIZATION_EXPIRING = 'authorization_expiring';

    public static function raise(int $orderId, string $kind, string $text): void
    {
        $flags = self::all();
        $flags[$orderId . ':' . $kind] = ['order' => $orderId, 'kind' => $kind, 'text' => $text, 'time' => time()];
        update_option(self::OPTION, $flags, false);
    }

    public static function clear(int $orderId, string $kind): void
    {
        $flags = self::all();
        if (isset($flags[$orderId . ':' . $kind])) {
            unset($flags[$orderId . ':' . $kind]);
            update_option(self::OPTION, $flags, false);
        }
    }

    public static function has(int $orderId, string $kind): bool
    {
        return isset(self::all()[$orderId . ':' . $kind]);
    }

    /** @return array<string, array{order: int, kind: string, text: string, time: int}> */
    public static function all(): array
    {
        $stored = get_option(self::OPTION, []);
        $flags = [];
        foreach (is_array($stored) ? $stored : [] as $key => $flag) {
            if (is_array($flag) && is_int($flag['order'] ?? null) && is_string($flag['text'] ?? null)) {
                $flags[(string) $key] = $flag + ['kind' => '', 'time' => 0];
            }
        }
        return $flags;
    }

    /** @return list<int> the orders flagged with $kind */
    public static function orders(string $kind): array
    {
        $ids = [];
        foreach (self::all() as $flag) {
            if ($flag['kind'] === $kind) {
                $ids[] = $flag['order'];
            }
        }
        return $ids;
    }
}
