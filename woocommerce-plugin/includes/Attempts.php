<?php

namespace MyPOS\IPC\WooCommerce;

/**
 * The payment attempts of an order, kept in its meta: one record per request that can take
 * money (a redirect to myPOS, a server-to-server charge), each with its own myPOS OrderID and
 * the mode (test or live) it was made in. Every later operation on the payment (verifying its
 * messages, refunds, status checks) uses that mode, whatever mode is chosen now.
 *
 * A record: n (1, 2, ...), id (the OrderID sent), mode ('test'|'live'), amount (minor units),
 * currency, created and updated (Unix time), state (one of STATES), trnref (once paid).
 * Writers change records with put() and save the order in the same save as the change the
 * message made, so the record and the order never disagree.
 */
final class Attempts
{
    public const META = '_mypos_ipc_attempts';
    public const OPEN = 'open';
    public const PAID = 'paid';
    public const ROLLED_BACK = 'rolled_back';
    public const CANCELLED = 'cancelled';
    public const STATES = [self::OPEN, self::PAID, self::ROLLED_BACK, self::CANCELLED];

    /**
     * The order's attempts, oldest first (malformed entries dropped).
     *
     * @return list<array<string, mixed>>
     */
    public static function all(\WC_Order $order): array
    {
        $stored = $order->get_meta(self::META);
        $attempts = [];
        foreach (is_array($stored) ? $stored : [] as $attempt) {
            if (is_array($attempt) && is_int($attempt['n'] ?? null) && is_string($attempt['id'] ?? null)) {
                $attempts[] = $attempt;
            }
        }
        usort($attempts, static fn (array $a, array $b): int => $a['n'] <=> $b['n']);
        return $attempts;
    }

    /** @return array<string, mixed>|null */
    public static function get(\WC_Order $order, int $n): ?array
    {
        foreach (self::all($order) as $attempt) {
            if ($attempt['n'] === $n) {
                return $attempt;
            }
        }
        return null;
    }

    /** @return array<string, mixed>|null the attempt whose payment the order holds */
    public static function paid(\WC_Order $order): ?array
    {
        foreach (self::all($order) as $attempt) {
            if (($attempt['state'] ?? '') === self::PAID) {
                return $attempt;
            }
        }
        return null;
    }

    /** @return array<string, mixed>|null */
    public static function latest(\WC_Order $order): ?array
    {
        $all = self::all($order);
        return $all === [] ? null : $all[count($all) - 1];
    }

    /**
     * The mode of the order's payment (the paid attempt's, else the latest attempt's), or null
     * for an order with no recorded attempt (made before attempts were recorded).
     */
    public static function mode(\WC_Order $order): ?string
    {
        $attempt = self::paid($order) ?? self::latest($order);
        $mode = $attempt['mode'] ?? null;
        return is_string($mode) && isset(Settings::MODES[$mode]) ? $mode : null;
    }

    /**
     * Adds or replaces (by n) one attempt record in the order's meta; the caller saves the order.
     *
     * @param array<string, mixed> $attempt
     */
    public static function put(\WC_Order $order, array $attempt): void
    {
        $all = array_values(array_filter(
            self::all($order),
            static fn (array $a): bool => $a['n'] !== $attempt['n']
        ));
        $attempt['updated'] = time();
        $all[] = $attempt;
        usort($all, static fn (array $a, array $b): int => $a['n'] <=> $b['n']);
        $order->update_meta_data(self::META, $all);
    }
}
