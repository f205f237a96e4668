<?php

namespace MyPOS\IPC\WooCommerce;

// phpcs:disable Generic.Files.LineLength.TooLong -- a translatable sentence stays on one line

/**
 * Full and partial refunds: a signed IPCRefund sent with TLS verification on, in the mode the
 * order was paid in, for the OrderID of the paid attempt. The refund is recorded as pending in
 * the order's meta (RefundRecords) and saved before the request leaves; only a signed answer
 * that confirms this refund (IPC_Trnref, the requested amount and currency, the OrderID where
 * echoed) makes it done. A lost or unusable answer leaves it pending at myPOS until
 * RefundResolver reads myPOS's transaction log; while one is pending no other refund is sent.
 */
final class Refunds
{
    /** The Action Scheduler hook that resolves an order's pending refund (RefundResolver). */
    public const HOOK_RESOLVE = 'mypos_ipc_resolve_refund';

    public function __construct(private Settings $settings, private Log $log, private OrderGate $lock)
    {
    }

    public function refund(\WC_Order $order, int $amountMinor, string $reason = ''): bool|\WP_Error
    {
        if (Attempts::authorized($order) !== null) {
            // Nothing was taken yet: a refund would fail at myPOS, and the hold stays.
            return self::error(__('This order\'s myPOS payment is only authorized, not captured, so there is nothing to refund. Release the authorization instead (order action "Release the authorized payment and cancel the order"), or capture a smaller amount.', 'mypos-ipc'));
        }
        $trnref = OrderPayment::trnref($order);
        if ($trnref === '') {
            return self::error(__('This order has no myPOS payment to refund.', 'mypos-ipc'));
        }
        if ($amountMinor <= 0) {
            return self::error(__('The refund amount must be positive.', 'mypos-ipc'));
        }
        $mode = OrderPayment::mode($order, $this->settings);
        $config = $mode === null ? null : $this->settings->config($mode);
        if ($mode === null || $config === null) {
            return self::error(sprintf(
                /* translators: %s: test or live */
                __('The myPOS configuration of the mode this order was paid in (%s) is missing or unusable; the refund was not sent.', 'mypos-ipc'),
                (string) $mode
            ));
        }
        $currency = strtoupper($order->get_currency());
        $ipcOrderId = OrderPayment::paidId($order);
        try {
            $request = $config->refund($ipcOrderId, $trnref, $amountMinor, $currency, 'json');
        } catch (\MyPOS\IPC\Exception $e) {
            return self::error($e->getMessage());
        }
        $record = RefundRecords::create($ipcOrderId, $mode, $amountMinor, $currency, $reason);
        $refused = $this->recordPending($order, $record);
        if ($refused !== null) {
            return $refused;
        }
        try {
            $response = MyposApi::call($config, $request);
        } catch (ApiError $e) {
            return $this->leftPending($order, $record, rtrim($e->getMessage(), '.'));
        }
        if (!$response->isSuccess()) {
            // A signed refusal: myPOS made no refund.
            $message = sprintf(
                'myPOS refused the refund: %s (%d %s)',
                $response->statusMessage(),
                $response->status(),
                $response->statusName()
            );
            $this->log->warning('refund of order ' . $order->get_id() . ': ' . $message);
            $this->finish($order, $record, RefundRecords::FAILED, '', $message);
            return self::error($message);
        }
        $check = $response->checkRefund($ipcOrderId, $amountMinor, $currency);
        if (!$check['confirmed']) {
            $why = $check['code'] === 'amount_differs'
                ? __('myPOS confirmed a refund, but not the requested one', 'mypos-ipc')
                : __('myPOS accepted the refund but its answer is unusable', 'mypos-ipc');
            return $this->leftPending($order, $record, $why . ' (' . $check['message'] . ')');
        }
        $note = sprintf(
            /* translators: 1: amount, 2: currency, 3: myPOS transaction reference, 4: reason */
            __('Refunded %1$s %2$s through myPOS (IPC_Trnref %3$s). %4$s', 'mypos-ipc'),
            Money::format($amountMinor, $currency),
            $currency,
            (string) $check['trnref'],
            $reason
        );
        $this->finish($order, $record, RefundRecords::DONE, (string) $check['trnref'], $note);
        $this->log->info('refund of order ' . $order->get_id() . ' accepted');
        return true;
    }

    /**
     * Saves the pending record under the order's gate (OrderGate) and reads it back; null when saved,
     * else why the refund is not sent (one is pending already, the gate or the save failed).
     *
     * @param array<string, mixed> $record
     */
    private function recordPending(\WC_Order $order, array $record): ?\WP_Error
    {
        $key = 'refund-' . $order->get_id();
        if ($this->lock->take($key, $order->get_id(), 'refund') !== OrderLock::TAKEN) {
            $this->log->warning('refund of order ' . $order->get_id() . ' not sent: ' . $this->lock->problem());
            return self::error(__('Another refund of this order is being sent to myPOS; try again in a moment.', 'mypos-ipc'));
        }
        try {
            $fresh = Orders::findFresh((string) $order->get_id()) ?? $order;
            $pending = RefundRecords::pending($fresh);
            if ($pending !== null) {
                return self::error(self::pendingText($pending));
            }
            RefundRecords::put($fresh, $record);
            $fresh->save();
            $saved = Orders::findFresh((string) $order->get_id());
            if ($saved === null || RefundRecords::get($saved, (string) $record['id']) === null) {
                $this->log->error('refund of order ' . $order->get_id() . ': pending record not saved; not sent');
                return self::error(__('The refund could not be recorded on the order, so it was not sent to myPOS.', 'mypos-ipc'));
            }
            return null;
        } finally {
            $this->lock->release($key, 'refund');
        }
    }

    /** Why a second refund is refused while $pending is unresolved. */
    public static function pendingText(array $pending): string
    {
        return sprintf(
            /* translators: 1: amount, 2: currency */
            __('A refund of %1$s %2$s is still pending at myPOS: its answer did not arrive, so myPOS may have made it. No other refund is sent until myPOS\'s transaction log settles it (checked automatically, or with the order action "Check payment status with myPOS").', 'mypos-ipc'),
            Money::format((int) $pending['amount'], (string) $pending['currency']),
            (string) $pending['currency']
        );
    }

    /**
     * The answer did not settle the refund: it stays pending, is checked later against
     * myPOS's transaction log, and WooCommerce is told it failed (it then deletes its refund).
     *
     * @param array<string, mixed> $record
     */
    private function leftPending(\WC_Order $order, array $record, string $why): \WP_Error
    {
        $this->log->error('refund of order ' . $order->get_id() . ' pending at myPOS: ' . $why);
        $message = sprintf(
            /* translators: 1: amount, 2: currency, 3: what went wrong */
            __('The refund of %1$s %2$s is pending at myPOS: %3$s. myPOS may have made it; it is checked against myPOS\'s transaction log and recorded here once confirmed. Do not refund again.', 'mypos-ipc'),
            Money::format((int) $record['amount'], (string) $record['currency']),
            (string) $record['currency'],
            $why
        );
        $this->finish($order, $record, RefundRecords::PENDING, '', $message);
        OrderFlags::raise($order->get_id(), OrderFlags::REFUND_PENDING, sprintf(
            /* translators: 1: order number, 2: explanation */
            __('myPOS IPC, order #%1$s: %2$s', 'mypos-ipc'),
            $order->get_order_number(),
            $message
        ));
        if (function_exists('as_schedule_single_action')) {
            // After the answer could still have come: by then myPOS's log shows the refund.
            $when = time() + 2 * MyposApi::timeout() + 60;
            as_schedule_single_action($when, self::HOOK_RESOLVE, [$order->get_id()], 'mypos-ipc');
        }
        return self::error($message);
    }

    /**
     * Stores the record's outcome with an order note, on a fresh copy of the order.
     *
     * @param array<string, mixed> $record
     */
    private function finish(\WC_Order $order, array $record, string $state, string $trnref, string $note): void
    {
        $fresh = Orders::findFresh((string) $order->get_id()) ?? $order;
        $record['state'] = $state;
        $record['trnref'] = $trnref;
        $record['note'] = $state === RefundRecords::PENDING ? $note : '';
        RefundRecords::put($fresh, $record);
        $fresh->add_order_note($note);
        $fresh->save();
    }

    private static function error(string $message): \WP_Error
    {
        return new \WP_Error('mypos_ipc_refund', $message);
    }
}
