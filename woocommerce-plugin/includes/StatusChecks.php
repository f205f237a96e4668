<?php

namespace MyPOS\IPC\WooCommerce;

/**
 * When the plug-in asks myPOS about an order: the hourly Action Scheduler job, the single check
 * after the buyer returns or after a refund's answer was lost, and the order action "Check
 * payment status with myPOS". The asking itself is the Reconciler's and RefundResolver's.
 */
final class StatusChecks
{
    public const ORDER_ACTION = 'mypos_ipc_check_status';
    /** The order action that releases a pending refund myPOS's log never showed. */
    public const RELEASE_ACTION = 'mypos_ipc_release_refund';
    /** The order action that records a pending refund the admin found made in the myPOS account. */
    public const CONFIRM_ACTION = 'mypos_ipc_confirm_refund';

    /** @var \Closure(): Reconciler */
    private \Closure $reconciler;

    /** @var \Closure(): RefundResolver */
    private \Closure $refunds;

    /**
     * @param callable(): Reconciler $reconciler builds the reconciler when a check runs
     * @param callable(): RefundResolver $refunds builds the resolver of pending refunds
     */
    public function __construct(callable $reconciler, callable $refunds)
    {
        $this->reconciler = \Closure::fromCallable($reconciler);
        $this->refunds = \Closure::fromCallable($refunds);
    }

    /** The hourly job (Reconciler::HOOK_ALL): pending orders, recent paid and closed ones, pending refunds. */
    public function checkPending(): void
    {
        if (Extension::problem() === null) {
            $reconciler = ($this->reconciler)();
            $reconciler->checkPending();
            $reconciler->recheckRecent();
            ($this->refunds)()->resolveAll();
        }
    }

    /**
     * The single check of an order's refund left pending at myPOS (Refunds::HOOK_RESOLVE).
     *
     * @param int|string $orderId
     */
    public function resolveRefund($orderId): void
    {
        $order = wc_get_order((int) $orderId);
        if ($order instanceof \WC_Order && Extension::problem() === null) {
            ($this->refunds)()->resolve($order);
        }
    }

    /**
     * The single check of one order (Reconciler::HOOK_ONE).
     *
     * @param int|string $orderId
     */
    public function checkOrder($orderId): void
    {
        $order = Orders::find((string) $orderId);
        if ($order !== null && Extension::problem() === null) {
            ($this->reconciler)()->check($order);
        }
    }

    /**
     * Offers the order action on orders of this gateway.
     *
     * @param array<string, string> $actions
     * @param mixed $order
     * @return array<string, string>
     */
    public function orderActions(array $actions, $order = null): array
    {
        if ($order instanceof \WC_Order && $order->get_payment_method() === Gateway::ID) {
            $actions[self::ORDER_ACTION] = __('Check payment status with myPOS', 'mypos-ipc');
            if (RefundRecords::pending($order) !== null) {
                $actions[self::RELEASE_ACTION] = __(
                    'The pending myPOS refund was not made (checked in the myPOS account): release it',
                    'mypos-ipc'
                );
                $actions[self::CONFIRM_ACTION] = __(
                    'The pending myPOS refund was made (checked in the myPOS account): record it',
                    'mypos-ipc'
                );
            }
        }
        return $actions;
    }

    /**
     * Runs the order action and leaves its result as an order note: a refund pending at myPOS
     * is settled from the transaction log, then the payment is checked (a paid order for a
     * missed rollback).
     */
    public function runOrderAction(\WC_Order $order): void
    {
        if (Extension::problem() !== null) {
            return;
        }
        $results = [];
        if (RefundRecords::pending($order) !== null) {
            $results[] = ($this->refunds)()->resolve($order);
        }
        $reconciler = ($this->reconciler)();
        $results[] = in_array($order->get_status(), Orders::paidStatuses(), true)
            ? $reconciler->recheckPaid($order)
            : $reconciler->check($order);
        $result = implode(' ', $results);
        $fresh = wc_get_order($order->get_id());
        if ($fresh instanceof \WC_Order) {
            $fresh->add_order_note($result);
            $fresh->save();
        }
    }

    /** The admin found the pending refund made in the myPOS account: it is recorded in WooCommerce. */
    public function confirmRefund(\WC_Order $order): void
    {
        if (Extension::problem() === null) {
            ($this->refunds)()->confirmByAdmin($order);
        }
    }

    /** The admin found no such refund in the myPOS account: the pending record is released. */
    public function releaseRefund(\WC_Order $order): void
    {
        ($this->refunds)()->release($order);
    }
}
