<?php

namespace MyPOS\IPC\WooCommerce;

/**
 * The buyer's way back after pressing Cancel on the myPOS page: the notify handler sends them
 * to the order's pay URL, which gets a flag on that request only; the pay page then says what
 * happened (the order is kept and can be paid again).
 */
final class CancelReturn
{
    /** The query flag on the pay URL: mypos_ipc=cancelled. */
    public const FLAG = 'mypos_ipc';
    public const CANCELLED = 'cancelled';

    /**
     * Whether this request is a cancel coming back to the notify endpoint. Only a hint for the
     * redirect's flag: the handler still verifies the message and decides.
     */
    public static function isCancelReturn(): bool
    {
        // phpcs:ignore -- routing only, myPOS signs the body and the handler verifies it
        $method = $_POST['IPCmethod'] ?? $_GET['IPCmethod'] ?? null;
        return NotifyEndpoint::isRequest() && $method === 'IPCPurchaseCancel';
    }

    /**
     * woocommerce_get_checkout_payment_url, added only on a cancel return: flags the pay URL
     * of this gateway's orders.
     *
     * @param mixed $order
     */
    public function flag(string $url, $order = null): string
    {
        if (!$order instanceof \WC_Order || $order->get_payment_method() !== Gateway::ID) {
            return $url;
        }
        return add_query_arg(self::FLAG, self::CANCELLED, $url);
    }

    /** template_redirect: on the flagged pay page, tells the buyer the payment was cancelled. */
    public function notice(): void
    {
        // phpcs:ignore -- a display flag, nothing is changed by it
        if (($_GET[self::FLAG] ?? null) !== self::CANCELLED || !is_wc_endpoint_url('order-pay')) {
            return;
        }
        wc_add_notice(
            __('You cancelled the payment at myPOS. Your order is kept: you can pay for it again below.', 'mypos-ipc'),
            'notice'
        );
    }
}
