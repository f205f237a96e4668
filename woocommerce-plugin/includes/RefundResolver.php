<?php

namespace MyPOS\IPC\WooCommerce;

// phpcs:disable Generic.Files.LineLength.TooLong -- a translatable sentence stays on one line

/**
 * Settles a refund left pending at myPOS (its answer was lost or unusable) from a signed
 * IPCGetTxnLog of the paid attempt, in the mode the refund was sent in: when the log shows a
 * refund of that amount and currency beyond those already recorded as done, the WooCommerce
 * refund is created (wc_create_refund, no second gateway call) with its IPC_Trnref in a note;
 * otherwise it stays pending and the admin notice says so, until the admin records or releases
 * it from what the myPOS account shows. Never sends a refund itself.
 */
final class RefundResolver
{
    public function __construct(private Settings $settings, private Log $log, private OrderGate $lock)
    {
    }

    /** Resolves every order flagged with a pending refund (the hourly job). */
    public function resolveAll(): int
    {
        $resolved = 0;
        foreach (array_slice(OrderFlags::orders(OrderFlags::REFUND_PENDING), 0, 50) as $orderId) {
            $order = wc_get_order($orderId);
            if (!$order instanceof \WC_Order) {
                OrderFlags::clear($orderId, OrderFlags::REFUND_PENDING);
                continue;
            }
            $this->resolve($order);
            $resolved++;
        }
        return $resolved;
    }

    /** Asks myPOS's transaction log about the order's pending refund; a sentence for the order screen. */
    public function resolve(\WC_Order $order): string
    {
        $pending = RefundRecords::pending($order);
        if ($pending === null) {
            OrderFlags::clear($order->get_id(), OrderFlags::REFUND_PENDING);
            return __('No refund of this order is pending at myPOS.', 'mypos-ipc');
        }
        $config = $this->settings->config((string) ($pending['mode'] ?? ''));
        if ($config === null) {
            return $this->stillPending($order, $pending, __('the configuration of the mode it was sent in is missing', 'mypos-ipc'));
        }
        try {
            $response = MyposApi::call($config, $config->getTxnLog((string) $pending['order_id'], 'json'));
        } catch (ApiError $e) {
            return $this->stillPending($order, $pending, $e->getMessage());
        } catch (\MyPOS\IPC\Exception $e) {
            return $this->stillPending($order, $pending, $e->getMessage());
        }
        if (!$response->isSuccess()) {
            return $this->stillPending($order, $pending, $response->statusMessage());
        }
        $logged = self::loggedRefunds($response->txnLog(), (int) $pending['amount'], (string) $pending['currency']);
        // Refunds of the same amount already recorded as done are in the log too.
        $done = RefundRecords::doneCount($order, (int) $pending['amount'], (string) $pending['currency']);
        if (count($logged) <= $done) {
            return $this->stillPending($order, $pending, __('myPOS\'s transaction log does not show it', 'mypos-ipc'));
        }
        $trnref = (string) ($logged[count($logged) - 1]['IPC_Trnref'] ?? '');
        return $this->confirm($order, $pending, $trnref, false);
    }

    /**
     * The admin found the pending refund made in the myPOS account (a log without amounts
     * cannot show it): the WooCommerce refund is created as when the log shows it.
     */
    public function confirmByAdmin(\WC_Order $order): string
    {
        $pending = RefundRecords::pending($order);
        if ($pending === null) {
            return __('No refund of this order is pending at myPOS.', 'mypos-ipc');
        }
        return $this->confirm($order, $pending, OrderPayment::trnref($order), true);
    }

    /**
     * The log items that are refunds made for $amount $currency (the refused ones left out).
     *
     * @param list<array<string, string>> $items
     * @return list<array<string, string>>
     */
    public static function loggedRefunds(array $items, int $amount, string $currency): array
    {
        $made = [];
        foreach ($items as $item) {
            $action = strtolower(trim((string) ($item['action'] ?? '')));
            $result = strtolower((string) ($item['result'] ?? ''));
            if ($action !== 'refund' || preg_match('/refus|declin|fail|error/', $result) === 1) {
                continue;
            }
            if (strtoupper((string) ($item['Currency'] ?? '')) !== strtoupper($currency)) {
                continue;
            }
            try {
                $logged = Money::toMinor((string) ($item['Amount'] ?? ''), $currency);
            } catch (\MyPOS\IPC\Exception $e) {
                continue;
            }
            if ($logged === $amount) {
                $made[] = $item;
            }
        }
        return $made;
    }

    /**
     * myPOS made the refund: the WooCommerce refund is created now, under the order's gate and
     * only if the record is still pending (a concurrent check may have settled it).
     *
     * @param array<string, mixed> $pending
     */
    private function confirm(\WC_Order $order, array $pending, string $trnref, bool $byAdmin): string
    {
        $key = 'refund-' . $order->get_id();
        if ($this->lock->take($key, $order->get_id(), 'refund') !== OrderLock::TAKEN) {
            return __('Another request is handling this order\'s refund; check again in a moment.', 'mypos-ipc');
        }
        try {
            $fresh = Orders::findFresh((string) $order->get_id()) ?? $order;
            $record = RefundRecords::get($fresh, (string) $pending['id']);
            if ($record === null || $record['state'] !== RefundRecords::PENDING) {
                return __('No refund of this order is pending at myPOS.', 'mypos-ipc');
            }
            $amount = Money::format((int) $record['amount'], (string) $record['currency']);
            $refund = wc_create_refund([
                'order_id' => $order->get_id(),
                'amount' => $amount,
                'reason' => (string) ($record['reason'] ?? ''),
                'refund_payment' => false,
                'restock_items' => false,
            ]);
            if (is_wp_error($refund)) {
                $this->log->error('pending refund of order ' . $order->get_id()
                    . ' made at myPOS, WooCommerce refund not created: ' . $refund->get_error_message());
                return sprintf(
                    /* translators: %s: WooCommerce's error */
                    __('myPOS made the pending refund, but WooCommerce did not record it: %s', 'mypos-ipc'),
                    $refund->get_error_message()
                );
            }
            $fresh = Orders::findFresh((string) $order->get_id()) ?? $fresh;
            $record['state'] = RefundRecords::DONE;
            $record['trnref'] = $trnref;
            $record['note'] = '';
            RefundRecords::put($fresh, $record);
            $note = sprintf(
                $byAdmin
                    /* translators: 1: amount, 2: currency, 3: myPOS transaction reference */
                    ? __('An administrator confirmed from the myPOS account that the pending refund of %1$s %2$s (IPC_Trnref %3$s) was made; the WooCommerce refund is recorded now.', 'mypos-ipc')
                    /* translators: 1: amount, 2: currency, 3: myPOS transaction reference */
                    : __('myPOS\'s transaction log confirms the pending refund of %1$s %2$s (IPC_Trnref %3$s); the WooCommerce refund is recorded now.', 'mypos-ipc'),
                $amount,
                (string) $record['currency'],
                $trnref
            );
            $fresh->add_order_note($note);
            $fresh->save();
            OrderFlags::clear($order->get_id(), OrderFlags::REFUND_PENDING);
            $this->log->info('pending refund of order ' . $order->get_id() . ' confirmed by the transaction log');
            return $note;
        } finally {
            $this->lock->release($key, 'refund');
        }
    }

    /**
     * The admin checked the myPOS account and found no such refund: the pending record is
     * marked failed (so a refund can be sent again) with a note saying who decided it.
     */
    public function release(\WC_Order $order): void
    {
        $key = 'refund-' . $order->get_id();
        if ($this->lock->take($key, $order->get_id(), 'refund') !== OrderLock::TAKEN) {
            return;
        }
        try {
            $fresh = Orders::findFresh((string) $order->get_id()) ?? $order;
            $pending = RefundRecords::pending($fresh);
            if ($pending === null) {
                return;
            }
            $pending['state'] = RefundRecords::FAILED;
            RefundRecords::put($fresh, $pending);
            $fresh->add_order_note(sprintf(
                /* translators: 1: amount, 2: currency */
                __('The pending myPOS refund of %1$s %2$s was released by an administrator as not made.', 'mypos-ipc'),
                Money::format((int) $pending['amount'], (string) $pending['currency']),
                (string) $pending['currency']
            ));
            $fresh->save();
            OrderFlags::clear($order->get_id(), OrderFlags::REFUND_PENDING);
            $this->log->info('pending refund of order ' . $order->get_id() . ' released by an administrator');
        } finally {
            $this->lock->release($key, 'refund');
        }
    }

    /** @param array<string, mixed> $pending */
    private function stillPending(\WC_Order $order, array $pending, string $why): string
    {
        $text = sprintf(
            /* translators: 1: amount, 2: currency, 3: why it is not settled */
            __('The refund of %1$s %2$s is still pending at myPOS (%3$s). Check the transaction in your myPOS account; no other refund of this order is sent meanwhile.', 'mypos-ipc'),
            Money::format((int) $pending['amount'], (string) $pending['currency']),
            (string) $pending['currency'],
            $why
        );
        $this->log->warning('refund of order ' . $order->get_id() . ' still pending: ' . $why);
        OrderFlags::raise($order->get_id(), OrderFlags::REFUND_PENDING, sprintf(
            /* translators: 1: order number, 2: explanation */
            __('myPOS IPC, order #%1$s: %2$s', 'mypos-ipc'),
            $order->get_order_number(),
            $text
        ));
        return $text;
    }
}
