<?php

namespace MyPOS\IPC\WooCommerce;

/**
 * The one map between WooCommerce order statuses and the core's order states (the snapshot
 * Notification::decide() reads), and back from a decision to the status it leaves the order in.
 * Used by the notify handler, the reconciler and the demo shop (demo/shop/lib.php), so it needs
 * nothing from WordPress or WooCommerce: the paid statuses are passed in.
 */
final class OrderState
{
    /** WooCommerce's paid statuses when wc_get_is_paid_statuses() is not there (the demo shop). */
    public const PAID_STATUSES = ['processing', 'completed'];
    /** The status of an order still waiting for its payment. */
    public const PENDING = 'pending';
    /** Statuses the reconciler asks myPOS about: waiting for payment, or held after a mismatch. */
    public const UNSETTLED = [self::PENDING, 'on-hold'];
    /** Statuses the core knows by their WooCommerce name. */
    private const SAME_NAME = ['refunded', 'failed', 'cancelled', 'on-hold'];
    /** The status a decision leaves the order in; a payment ends in one of the paid statuses. */
    private const AFTER = [
        'mark_paid' => 'processing',
        'hold_mismatch' => 'on-hold',
        'mark_failed' => 'failed',
        'authorize' => 'on-hold',
    ];

    /**
     * The core's state of an order in WooCommerce status $status (without the wc- prefix):
     * refunded, failed, cancelled and on-hold as they are; any status counted as paid (also a
     * custom one another plug-in adds, "shipped") is paid; everything else is pending.
     *
     * @param list<string> $paidStatuses
     */
    public static function of(string $status, array $paidStatuses = self::PAID_STATUSES): string
    {
        if (in_array($status, self::SAME_NAME, true)) {
            return $status;
        }
        return in_array($status, $paidStatuses, true) ? 'paid' : 'pending';
    }

    /**
     * The snapshot Notification::decide() expects.
     *
     * @param list<string> $paidStatuses
     * @return array{amount: int, currency: string, state: string, trnref: ?string}
     */
    public static function snapshot(
        int $amount,
        string $currency,
        string $status,
        ?string $trnref,
        array $paidStatuses = self::PAID_STATUSES
    ): array {
        return [
            'amount' => $amount,
            'currency' => $currency,
            'state' => self::of($status, $paidStatuses),
            'trnref' => $trnref === '' ? null : $trnref,
        ];
    }

    /** The status a decision moves the order to, or null when it leaves the status alone. */
    public static function after(string $action): ?string
    {
        return self::AFTER[$action] ?? null;
    }

    /**
     * The statuses that show a decision's change recorded (read back after saving), or null when
     * the decision changes no status: a payment is recorded in any paid status.
     *
     * @param list<string> $paidStatuses
     * @return list<string>|null
     */
    public static function recorded(string $action, array $paidStatuses = self::PAID_STATUSES): ?array
    {
        if ($action === 'mark_paid') {
            return $paidStatuses;
        }
        $after = self::after($action);
        return $after === null ? null : [$after];
    }
}
