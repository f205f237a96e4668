<?php

namespace MyPOS\IPC\WooCommerce;

// phpcs:disable Generic.Files.LineLength.TooLong -- a translatable sentence stays on one line

/**
 * Captures an order's pre-authorization (IPCPreAuthCompletion), in full or in part, in the
 * mode it was made in. The order is marked paid only when the signed answer confirms this
 * capture (Status 0; Amount, Currency and OrderID the request's where echoed:
 * Response::checkCapture); anything else records nothing. A partial capture releases the rest
 * at myPOS; the order note names both amounts.
 */
final class Captures
{
    public function __construct(private Settings $settings, private Log $log, private OrderGate $lock)
    {
    }

    /**
     * Captures $amountMinor (null: the order total, at most the authorized amount). Returns null
     * when captured and recorded, else a sentence saying why not (also left as an order note).
     */
    public function capture(\WC_Order $order, ?int $amountMinor = null): ?string
    {
        $key = (string) $order->get_id();
        if ($this->lock->take($key, $order->get_id(), 'capture') !== OrderLock::TAKEN) {
            return __('The order is being changed by another request; try the capture again in a moment.', 'mypos-ipc');
        }
        try {
            $fresh = Orders::findFresh($key) ?? $order;
            return $this->captureLocked($fresh, $amountMinor);
        } finally {
            $this->lock->release($key, 'capture');
        }
    }

    private function captureLocked(\WC_Order $order, ?int $amountMinor): ?string
    {
        $held = Attempts::authorized($order);
        if ($held === null) {
            return __('This order has no open myPOS authorization to capture.', 'mypos-ipc');
        }
        $currency = (string) $held['currency'];
        $authorized = (int) $held['amount'];
        $amount = $amountMinor ?? min($authorized, Money::toMinor($order->get_total(), $currency));
        if ($amount <= 0 || $amount > $authorized) {
            return $this->refused($order, sprintf(
                /* translators: 1: amount, 2: currency */
                __('The capture must be more than zero and at most the authorized %1$s %2$s; nothing was sent to myPOS.', 'mypos-ipc'),
                Money::format($authorized, $currency),
                $currency
            ));
        }
        $config = $this->settings->signingConfig((string) $held['mode']);
        if ($config === null) {
            return $this->refused($order, __('The myPOS configuration of the mode this order was authorized in is missing or unusable; nothing was captured.', 'mypos-ipc'));
        }
        $ipcOrderId = (string) $held['id'];
        try {
            $response = MyposApi::call($config, $config->preAuthCompletion($ipcOrderId, $amount, $currency));
        } catch (ApiError | \MyPOS\IPC\Exception $e) {
            return $this->refused($order, sprintf(
                /* translators: %s: what went wrong */
                __('myPOS capture not confirmed; nothing was recorded. %s', 'mypos-ipc'),
                $e->getMessage()
            ));
        }
        $check = $response->checkCapture($ipcOrderId, $amount, $currency);
        if (!$check['confirmed']) {
            return $this->refused($order, sprintf(
                /* translators: %s: why the answer does not confirm the capture (from the extension, English) */
                __('myPOS did not confirm the capture (%s); nothing was recorded.', 'mypos-ipc'),
                (string) $check['message']
            ));
        }
        $trnref = (string) ($check['trnref'] ?? '') !== '' ? (string) $check['trnref'] : (string) $held['trnref'];
        $this->record($order, $held, $amount, $trnref);
        return null;
    }

    /**
     * The attempt becomes the paid one (refunds then address it), the order gets its IPC_Trnref
     * and a note, then payment_complete(): the attempt is saved before WooCommerce's payment
     * hooks run, so a status-change hook never captures twice.
     *
     * @param array<string, mixed> $held
     */
    private function record(\WC_Order $order, array $held, int $amount, string $trnref): void
    {
        $currency = (string) $held['currency'];
        $authorized = (int) $held['amount'];
        $held['state'] = Attempts::PAID;
        $held['trnref'] = $trnref;
        $held['captured'] = $amount;
        Attempts::put($order, $held);
        $order->update_meta_data(Orders::META_TRNREF, $trnref);
        $order->add_order_note($amount === $authorized
            ? sprintf(
                /* translators: 1: amount, 2: currency, 3: myPOS transaction reference */
                __('Captured %1$s %2$s through myPOS (IPC_Trnref %3$s).', 'mypos-ipc'),
                Money::format($amount, $currency),
                $currency,
                $trnref
            )
            : sprintf(
                /* translators: 1: captured amount, 2: currency, 3: authorized amount, 4: myPOS transaction reference, 5: released amount */
                __('Captured %1$s %2$s of the %3$s %2$s authorized through myPOS (IPC_Trnref %4$s); myPOS released the other %5$s %2$s.', 'mypos-ipc'),
                Money::format($amount, $currency),
                $currency,
                Money::format($authorized, $currency),
                $trnref,
                Money::format($authorized - $amount, $currency)
            ));
        $order->save();
        OrderFlags::clear($order->get_id(), OrderFlags::AUTHORIZATION_EXPIRING);
        // payment_complete() sets it only from an unpaid status; an automatic capture runs when
        // the order is already processing or completed.
        $order->set_transaction_id($trnref);
        try {
            if ($order->payment_complete($trnref) === false) {
                $this->log->warning("order {$order->get_id()}: payment_complete() reported a failure after the capture");
            }
        } catch (\Throwable $e) {
            // Another plug-in's payment hook threw (WooCommerce does not catch it): the capture
            // is made and saved above, so the owner's screen must not end in a fatal error.
            $this->log->error(sprintf(
                'order %d: %s thrown by a payment hook after the capture (%s); the capture is recorded',
                $order->get_id(),
                get_class($e),
                $e->getMessage()
            ));
            $order = wc_get_order($order->get_id()) ?: $order;
        }
        $order->save();
        $this->log->info("order {$order->get_id()}: captured {$amount} {$currency} of {$authorized}");
    }

    private function refused(\WC_Order $order, string $why): string
    {
        $this->log->warning("capture of order {$order->get_id()}: {$why}");
        $order->add_order_note($why);
        $order->save();
        return $why;
    }
}
