<?php

namespace MyPOS\IPC\WooCommerce;

// phpcs:disable Generic.Files.LineLength.TooLong -- a translatable sentence stays on one line

/**
 * When an authorized order is captured or released: the order actions, the automatic capture
 * when the order moves to processing or completed (setting capture_on_status), the release
 * when the order is cancelled, and the scheduled check of open authorizations. The work is
 * Captures' and Authorizations'.
 */
final class AuthorizationActions
{
    public const CAPTURE_ACTION = 'mypos_ipc_capture';
    public const RELEASE_ACTION = 'mypos_ipc_release';

    /** @var \Closure(): Captures */
    private \Closure $captures;

    /** @var \Closure(): Authorizations */
    private \Closure $authorizations;

    /** @var \Closure(): Settings */
    private \Closure $settings;

    /**
     * @param callable(): Captures $captures
     * @param callable(): Authorizations $authorizations
     * @param callable(): Settings $settings
     */
    public function __construct(callable $captures, callable $authorizations, callable $settings)
    {
        $this->captures = \Closure::fromCallable($captures);
        $this->authorizations = \Closure::fromCallable($authorizations);
        $this->settings = \Closure::fromCallable($settings);
    }

    /**
     * @param array<string, string> $actions
     * @param mixed $order
     * @return array<string, string>
     */
    public function orderActions(array $actions, $order = null): array
    {
        if ($order instanceof \WC_Order && $order->get_payment_method() === Gateway::ID && Attempts::authorized($order) !== null) {
            $actions[self::CAPTURE_ACTION] = __('Capture the authorized payment (the order total, at most the authorized amount)', 'mypos-ipc');
            $actions[self::RELEASE_ACTION] = __('Release the authorized payment and cancel the order', 'mypos-ipc');
        }
        return $actions;
    }

    public function captureAction(\WC_Order $order): void
    {
        if (Extension::problem() === null) {
            ($this->captures)()->capture($order);
        }
    }

    /** Released, the order cannot be paid by it any more: it is cancelled. */
    public function releaseAction(\WC_Order $order): void
    {
        if (Extension::problem() !== null || ($this->authorizations)()->release($order) !== null) {
            return;
        }
        $fresh = wc_get_order($order->get_id());
        if ($fresh instanceof \WC_Order && in_array($fresh->get_status(), ['on-hold', 'pending'], true)) {
            $fresh->update_status('cancelled', __('Order cancelled after its myPOS authorization was released.', 'mypos-ipc'));
        }
    }

    /**
     * woocommerce_order_status_processing / _completed: captures an open authorization when the
     * setting asks for it. A capture that fails puts the order back on hold with the reason.
     *
     * @param int|string $orderId
     */
    public function statusChanged($orderId): void
    {
        $order = wc_get_order((int) $orderId);
        if (!$order instanceof \WC_Order || Attempts::authorized($order) === null || Extension::problem() !== null) {
            return;
        }
        if (($this->settings)()->get('capture_on_status', 'no') !== 'yes') {
            return;
        }
        $why = ($this->captures)()->capture($order);
        if ($why !== null) {
            $fresh = wc_get_order($order->get_id());
            if ($fresh instanceof \WC_Order) {
                $fresh->update_status('on-hold', __('The automatic myPOS capture failed, so the order is back on hold; capture it from the order actions.', 'mypos-ipc'));
            }
        }
    }

    /**
     * woocommerce_order_status_cancelled: releases an open authorization.
     *
     * @param int|string $orderId
     */
    public function cancelled($orderId): void
    {
        $order = wc_get_order((int) $orderId);
        if ($order instanceof \WC_Order && Attempts::authorized($order) !== null && Extension::problem() === null) {
            ($this->authorizations)()->release($order);
        }
    }

    /** The scheduled job (Authorizations::HOOK_CHECK). */
    public function checkOpen(): void
    {
        if (Extension::problem() === null) {
            ($this->authorizations)()->checkOpen();
        }
    }
}
