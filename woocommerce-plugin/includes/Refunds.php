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
        $echoedAmount = $response->get('Amount');
        $echoedCurrency = $response->get('Currency');
        if (
            ($echoedAmount !== null && Money::toMinor($echoedAmount, $currency) !== $amountMinor)
            || ($echoedCurrency !== null && strtoupper($echoedCurrency) !== strtoupper($currency))
        ) {
            $message = sprintf(
                'myPOS confirmed a refund of %s %s, not the requested one; check the myPOS account',
                (string) $echoedAmount,
                (string) $echoedCurrency
            );
            $this->log->error($message);
            $order->add_order_note($message);
            $order->save();
            return new \WP_Error('mypos_ipc_refund', $message);
        }
        $order->add_order_note(sprintf(
            /* translators: 1: amount, 2: currency, 3: myPOS transaction reference, 4: reason */
            __('Refunded %1$s %2$s through myPOS (IPC_Trnref %3$s). %4$s', 'mypos-ipc'),
            number_format($amountMinor / (10 ** Money::decimals($currency)), Money::decimals($currency), '.', ''),
            $currency,
            $response->get('IPC_Trnref') ?? $trnref,
            $reason
        ));
        $order->save();
        $this->log->info('refund of order ' . $order->get_id() . ' accepted');
        return true;
    }
}
