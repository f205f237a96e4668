<?php

namespace MyPOS\IPC\WooCommerce;

// phpcs:disable Generic.Files.LineLength.TooLong -- a translatable sentence stays on one line

/**
 * Asks myPOS about orders still waiting for payment (IPCGetTxnStatus) and applies the last
 * message myPOS sent for them through the same decision path as the notify endpoint, once
 * IPCGetPaymentStatus confirms a payment is not reversed. Re-checks recent paid and closed
 * orders for what the shop missed; what it must not decide alone is flagged (OrderFlags).
 * Runs from Action Scheduler, on the buyer's return and from the order screen.
 */
final class Reconciler
{
    public const HOOK_ONE = 'mypos_ipc_reconcile_order';
    public const HOOK_ALL = 'mypos_ipc_reconcile_pending';
    /** Orders closed without payment: a payment myPOS reports for them is flagged, not applied. */
    public const CLOSED = ['failed', 'cancelled'];
    /** IPCGetPaymentStatus PaymentStatus codes. */
    private const PAYMENT_SUCCESS = 1;
    private const PAYMENT_REVERSED = 4;

    public function __construct(private Settings $settings, private NotifyHandler $handler, private Log $log)
    {
    }

    public static function schedule(): void
    {
        if (function_exists('as_has_scheduled_action') && !as_has_scheduled_action(self::HOOK_ALL)) {
            as_schedule_recurring_action(time() + 300, HOUR_IN_SECONDS, self::HOOK_ALL, [], 'mypos-ipc');
        }
    }

    public static function scheduleOrder(int $orderId, int $delay = 120): void
    {
        if (function_exists('as_schedule_single_action')) {
            as_schedule_single_action(time() + $delay, self::HOOK_ONE, [$orderId], 'mypos-ipc');
        }
    }

    /** Checks every pending order of this gateway from the last two days. */
    public function checkPending(): int
    {
        $orders = wc_get_orders([
            'status' => OrderState::UNSETTLED,
            'payment_method' => Gateway::ID,
            'date_created' => '>' . (time() - 2 * DAY_IN_SECONDS),
            'limit' => 50,
        ]);
        $checked = 0;
        foreach ($orders as $order) {
            $this->check($order);
            $checked++;
        }
        return $checked;
    }

    /**
     * Re-checks the orders of this gateway from the last three days that are paid (for a
     * rollback the shop missed) or failed/cancelled (for a payment myPOS holds that the order
     * does not show). Returns how many were asked about.
     */
    public function recheckRecent(): int
    {
        $orders = wc_get_orders([
            'status' => array_merge(Orders::paidStatuses(), self::CLOSED),
            'payment_method' => Gateway::ID,
            'date_created' => '>' . (time() - 3 * DAY_IN_SECONDS),
            'limit' => 50,
        ]);
        foreach ($orders as $order) {
            in_array($order->get_status(), self::CLOSED, true) ? $this->check($order) : $this->recheckPaid($order);
        }
        return count($orders);
    }

    /**
     * Asks myPOS about one order and applies the answer, in the mode the order's payment was
     * made in. A payment is marked paid only once IPCGetPaymentStatus confirms it is not
     * reversed; a failed or cancelled order that myPOS reports paid is flagged, not changed.
     * Returns a sentence for the order screen.
     */
    public function check(\WC_Order $order): string
    {
        $paused = $this->settings->keyNotice(OrderPayment::mode($order, $this->settings));
        if ($paused !== null) {
            return $paused;
        }
        if (in_array($order->get_status(), Orders::paidStatuses(), true)) {
            OrderFlags::clear($order->get_id(), OrderFlags::PAID_AT_MYPOS);
        }
        if ($this->settleTokenCharges($order)) {
            return __('myPOS reports the saved-card charge that was left without an answer paid; applied.', 'mypos-ipc');
        }
        $config = OrderPayment::config($order, $this->settings);
        if ($config === null) {
            return __('myPOS status check skipped: the gateway is not configured.', 'mypos-ipc');
        }
        try {
            $response = MyposApi::call($config, $config->getTxnStatus(OrderPayment::currentId($order), 'json'));
        } catch (ApiError $e) {
            return $this->fail($order, sprintf(
                /* translators: %s: what went wrong */
                __('myPOS status check failed; the order is unchanged. %s', 'mypos-ipc'),
                $e->getMessage()
            ));
        } catch (\MyPOS\IPC\Exception $e) {
            return $this->fail($order, 'myPOS status request not built: ' . $e->getMessage());
        }
        if (!$response->isSuccess()) {
            return $this->fail($order, 'myPOS status query failed: ' . $response->statusMessage());
        }
        try {
            // The nested message carries its own myPOS signature; the core verifies it as a message.
            $notification = $response->orderStatusNotification();
        } catch (\MyPOS\IPC\Exception $e) {
            return $this->fail($order, 'myPOS status answer holds an unusable message: ' . $e->getMessage());
        }
        if ($notification === null) {
            return __('myPOS has no payment for this order yet.', 'mypos-ipc');
        }
        if (!in_array($notification->kind(), ['notify', 'rollback'], true)) {
            return sprintf(__('myPOS reports %s; nothing to change.', 'mypos-ipc'), $notification->method());
        }
        if ($notification->kind() === 'notify' && !in_array($order->get_status(), Orders::paidStatuses(), true)) {
            // The last message may be a notify whose rollback is still on its way.
            [$problem, $definite] = $this->confirmPaid($config, $notification);
            if ($problem !== null) {
                if ($definite) {
                    OrderFlags::clear($order->get_id(), OrderFlags::PAID_AT_MYPOS);
                }
                return $this->fail($order, sprintf(
                    /* translators: %s: why the payment is not confirmed */
                    __('myPOS reports a payment, but it is not confirmed (%s); the order is unchanged.', 'mypos-ipc'),
                    $problem
                ));
            }
            if (in_array($order->get_status(), self::CLOSED, true)) {
                return $this->flag($order, OrderFlags::PAID_AT_MYPOS, sprintf(
                    /* translators: 1: order status, 2: amount, 3: currency, 4: myPOS transaction reference */
                    __('myPOS reports this %1$s order paid (%2$s %3$s, IPC_Trnref %4$s). The order was not changed: check the payment in your myPOS account, then complete or refund it.', 'mypos-ipc'),
                    $order->get_status(),
                    (string) $notification->amount(),
                    (string) $notification->currency(),
                    (string) $notification->trnref()
                ));
            }
        }
        $answer = $this->handler->process($notification, OrderPayment::mode($order, $this->settings));
        return sprintf(
            /* translators: 1: myPOS message, 2: HTTP status of the decision */
            __('myPOS reports %1$s; applied (%2$d).', 'mypos-ipc'),
            $notification->method(),
            $answer->status
        );
    }

    /**
     * A payable order whose saved-card charge (buyer present) got no answer: a signed status
     * query settles it now, under the order lock, instead of at the buyer's next try. Closed
     * orders are left to their own path (a failed renewal: Subscriptions' retry asks first).
     * Returns whether the order is now paid by it.
     */
    private function settleTokenCharges(\WC_Order $order): bool
    {
        $unanswered = array_filter(
            Attempts::all($order),
            static fn (array $a): bool => ($a['state'] ?? '') === Attempts::OPEN && !empty($a['unanswered'])
        );
        if ($unanswered === [] || !in_array($order->get_status(), OrderState::UNSETTLED, true)) {
            return false;
        }
        $lock = new OrderLock();
        $key = (string) $order->get_id();
        if ($lock->take($key) !== OrderLock::TAKEN) {
            return false; // another request decides this order now
        }
        try {
            $fresh = Orders::findFresh($key) ?? $order;
            return in_array($fresh->get_status(), OrderState::UNSETTLED, true)
                && (new TokenCharge($this->log))->settle($fresh, $this->settings);
        } finally {
            $lock->release($key);
        }
    }

    /**
     * A paid order whose payment myPOS reports reversed: the signed rollback from the status
     * answer is applied as if it had arrived; without one the order is flagged.
     */
    public function recheckPaid(\WC_Order $order): string
    {
        $config = OrderPayment::config($order, $this->settings);
        if ($config === null) {
            return __('myPOS status check skipped: the gateway is not configured.', 'mypos-ipc');
        }
        try {
            $status = MyposApi::call($config, $config->getPaymentStatus(OrderPayment::paidId($order), 'json'));
        } catch (ApiError | \MyPOS\IPC\Exception $e) {
            return $this->fail($order, 'myPOS payment status check failed: ' . $e->getMessage());
        }
        if (!$status->isSuccess() || $status->paymentStatus() !== self::PAYMENT_REVERSED) {
            if ($status->isSuccess()) {
                OrderFlags::clear($order->get_id(), OrderFlags::REVERSED_AT_MYPOS);
            }
            return __('myPOS reports the payment unchanged.', 'mypos-ipc');
        }
        $result = $this->check($order);
        $fresh = wc_get_order($order->get_id());
        if ($fresh instanceof \WC_Order && in_array($fresh->get_status(), Orders::paidStatuses(), true)) {
            return $this->flag($fresh, OrderFlags::REVERSED_AT_MYPOS, __('myPOS reports the payment of this paid order reversed. The order was not changed: check it in your myPOS account.', 'mypos-ipc'));
        }
        return $result;
    }

    /**
     * [null, true] when a signed IPCGetPaymentStatus answer shows the notify's payment made
     * and not reversed (same OrderID and IPC_Trnref where given), else [why not, whether myPOS
     * said so (false: no usable answer)]. The amount is the decision's to compare (a mismatch
     * puts the order on hold).
     *
     * @return array{0: ?string, 1: bool}
     */
    private function confirmPaid(\MyPOS\IPC\Config $config, \MyPOS\IPC\Notification $notify): array
    {
        $orderId = (string) $notify->orderId();
        try {
            $status = MyposApi::call($config, $config->getPaymentStatus($orderId, 'json'));
        } catch (ApiError | \MyPOS\IPC\Exception $e) {
            return [$e->getMessage(), false];
        }
        if (!$status->isSuccess()) {
            return ['IPCGetPaymentStatus: ' . $status->statusMessage(), false];
        }
        $code = $status->paymentStatus();
        if ($code !== self::PAYMENT_SUCCESS) {
            return [$code === self::PAYMENT_REVERSED
                ? __('myPOS reports the payment reversed', 'mypos-ipc')
                : sprintf('PaymentStatus %s', $code === null ? 'missing' : (string) $code), $code !== null];
        }
        $same = fn (?string $a, ?string $b): bool => $a === null || $a === '' || $b === null || $a === $b;
        if (
            !$same($status->get('OrderID'), $orderId)
            || !$same($status->get('IPC_Trnref'), $notify->trnref())
        ) {
            return ['IPCGetPaymentStatus names another payment', false];
        }
        return [null, true];
    }

    /** An order note and an admin notice; the order itself is not changed. */
    private function flag(\WC_Order $order, string $kind, string $text): string
    {
        $this->log->warning('order ' . $order->get_id() . ' flagged: ' . $text);
        $fresh = wc_get_order($order->get_id());
        // The hourly job finds it again: one note per finding, not one per hour.
        if ($fresh instanceof \WC_Order && !OrderFlags::has($order->get_id(), $kind)) {
            $fresh->add_order_note($text);
            $fresh->save();
        }
        OrderFlags::raise($order->get_id(), $kind, sprintf(
            /* translators: 1: order number, 2: explanation */
            __('myPOS IPC, order #%1$s: %2$s', 'mypos-ipc'),
            $order->get_order_number(),
            $text
        ));
        return $text;
    }

    private function fail(\WC_Order $order, string $message): string
    {
        $this->log->warning('status check of order ' . $order->get_id() . ': ' . $message);
        return $message;
    }
}
