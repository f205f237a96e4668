<?php

namespace MyPOS\IPC\WooCommerce;

/**
 * The refunds sent to myPOS for an order, kept in its meta apart from WooCommerce's refund
 * objects: WooCommerce deletes its refund when the gateway call fails, but a refund whose answer
 * was lost may still have been made, so its record must outlive that failure.
 *
 * A record: id, order_id (the myPOS OrderID), mode, amount (minor units), currency, reason,
 * created (Unix time), state (pending|done|failed), trnref (once confirmed), note (why pending).
 */
final class RefundRecords
{
    public const META = '_mypos_ipc_refunds';
    public const PENDING = 'pending';
    public const DONE = 'done';
    public const FAILED = 'failed';

    /** @return list<array<string, mixed>> */
    public static function all(\WC_Order $order): array
    {
        $stored = $order->get_meta(self::META);
        $records = [];
        foreach (is_array($stored) ? $stored : [] as $record) {
            if (is_array($record) && is_string($record['id'] ?? null) && is_int($record['amount'] ?? null)) {
                $records[] = $record;
            }
        }
        return $records;
    }

    /** @return array<string, mixed>|null the refund still pending at myPOS, if any */
    public static function pending(\WC_Order $order): ?array
    {
        foreach (self::all($order) as $record) {
            if (($record['state'] ?? '') === self::PENDING) {
                return $record;
            }
        }
        return null;
    }

    /** @return array<string, mixed>|null */
    public static function get(\WC_Order $order, string $id): ?array
    {
        foreach (self::all($order) as $record) {
            if ($record['id'] === $id) {
                return $record;
            }
        }
        return null;
    }

    /** @return array<string, mixed> a new pending record */
    public static function create(
        string $ipcOrderId,
        string $mode,
        int $amount,
        string $currency,
        string $reason
    ): array {
        return [
            'id' => bin2hex(random_bytes(8)),
            'order_id' => $ipcOrderId,
            'mode' => $mode,
            'amount' => $amount,
            'currency' => strtoupper($currency),
            'reason' => $reason,
            'created' => time(),
            'state' => self::PENDING,
            'trnref' => '',
            'note' => '',
        ];
    }

    /**
     * Adds or replaces (by id) one record; the caller saves the order.
     *
     * @param array<string, mixed> $record
     */
    public static function put(\WC_Order $order, array $record): void
    {
        $all = array_values(array_filter(self::all($order), static fn (array $r): bool => $r['id'] !== $record['id']));
        $all[] = $record;
        $order->update_meta_data(self::META, $all);
    }

    /** How many refunds of this amount and currency the order records as made. */
    public static function doneCount(\WC_Order $order, int $amount, string $currency): int
    {
        return count(array_filter(
            self::all($order),
            static fn (array $r): bool => ($r['state'] ?? '') === self::DONE
                && $r['amount'] === $amount && ($r['currency'] ?? '') === strtoupper($currency)
        ));
    }
}
