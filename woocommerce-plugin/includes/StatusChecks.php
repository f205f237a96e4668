<?php

namespace MyPOS\IPC\WooCommerce;

/**
 * When the plug-in asks myPOS about an order: the hourly Action Scheduler job, the single check
 * after the buyer returns, and the order action "Check payment status with myPOS". The asking
 * itself is the Reconciler's.
 */
final class StatusChecks
{
    public const ORDER_ACTION = 'mypos_ipc_check_status';

    /** @var \Closure(): Reconciler */
    private \Closure $reconciler;

    /**
     * @param callable(): Reconciler $reconciler builds the reconciler when a check runs
     */
    public function __construct(callable $reconciler)
    {
        $this->reconciler = \Closure::fromCallable($reconciler);
    }

    /** The hourly job (Reconciler::HOOK_ALL). */
    public function checkPending(): void
    {
        if (Extension::problem() === null) {
            ($this->reconciler)()->checkPending();
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
        }
        return $actions;
    }

    /** Runs the order action and leaves its result as an order note. */
    public function runOrderAction(\WC_Order $order): void
    {
        if (Extension::problem() !== null) {
            return;
        }
        $result = ($this->reconciler)()->check($order);
        $fresh = wc_get_order($order->get_id());
        if ($fresh instanceof \WC_Order) {
            $fresh->add_order_note($result);
            $fresh->save();
        }
    }
}
