<?php

namespace MyPOS\IPC\WooCommerce;

use MyPOS\IPC\Config;

/**
 * Full and partial refunds: a signed IPCRefund sent with TLS verification on, and the signed
 * answer verified before the refund counts.
 */
final class Refunds
{
    public function __construct(private Log $log)
    {
    }

    public function refund(Config $config, \WC_Order $order, int $amountMinor, string $reason = ''): bool|\WP_Error
    {
        $trnref = (string) $order->get_meta(Orders::META_TRNREF);
        if ($trnref === '') {
            return new \WP_Error('mypos_ipc_refund', __('This order has no myPOS payment to refund.', 'mypos-ipc'));
        }
        if ($amountMinor <= 0) {
            return new \WP_Error('mypos_ipc_refund', __('The refund amount must be positive.', 'mypos-ipc'));
        }
        $currency = $order->get_currency();
        try {
            $request = $config->refund(Orders::ipcOrderId($order), $trnref, $amountMinor, $currency, 'json');
        } catch (\MyPOS\IPC\Exception $e) {
            return new \WP_Error('mypos_ipc_refund', $e->getMessage());
        }
        try {
            $response = MyposApi::call($config, $request);
        } catch (ApiError $e) {
            $this->log->error('refund of order ' . $order->get_id() . ' failed: ' . $e->getMessage());
            return new \WP_Error('mypos_ipc_refund', sprintf(
                /* translators: %s: what went wrong */
                __('The refund was not made: %s', 'mypos-ipc'),
                $e->getMessage()
            ));
        }
        if (!$response->isSuccess()) {
            $message = sprintf(
                'myPOS refused the refund: %s (%d %s)',
                $response->statusMessage(),
                $response->status(),
                $response->statusName()
            );
            $this->log->warning($message);
            return new \WP_Error('mypos_ipc_refund', $message);
        }
        try {
            // The core reads the transaction myPOS confirms (IPC_Trnref, Amount, Currency).
            $confirmed = $response->transaction();
        } catch (\MyPOS\IPC\Exception $e) {
            $why = $e->getMessage();
            return $this->unconfirmed($order, 'myPOS accepted the refund but its answer is unusable: ' . $why);
        }
        if (
            $confirmed['amount'] !== null
            && ($confirmed['amount'] !== $amountMinor || $confirmed['currency'] !== strtoupper($currency))
        ) {
            return $this->unconfirmed($order, sprintf(
                'myPOS confirmed a refund of %s %s, not the requested one; check the myPOS account',
                Money::format($confirmed['amount'], (string) $confirmed['currency']),
                (string) $confirmed['currency']
            ));
        }
        $order->add_order_note(sprintf(
            /* translators: 1: amount, 2: currency, 3: myPOS transaction reference, 4: reason */
            __('Refunded %1$s %2$s through myPOS (IPC_Trnref %3$s). %4$s', 'mypos-ipc'),
            Money::format($amountMinor, $currency),
            $currency,
            $confirmed['trnref'],
            $reason
        ));
        $order->save();
        $this->log->info('refund of order ' . $order->get_id() . ' accepted');
        return true;
    }

    private function unconfirmed(\WC_Order $order, string $message): \WP_Error
    {
        $this->log->error($message);
        $order->add_order_note($message);
        $order->save();
        return new \WP_Error('mypos_ipc_refund', $message);
    }
}
