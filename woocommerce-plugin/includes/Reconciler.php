<?php

namespace MyPOS\IPC\WooCommerce;

/**
 * Asks myPOS about orders still waiting for payment (IPCGetTxnStatus) and applies the last
 * message myPOS sent for them through the same decision path as the notify endpoint.
 * Runs from Action Scheduler, on the buyer's return and from the order screen.
 */
final class Reconciler
{
    public const HOOK_ONE = 'mypos_ipc_reconcile_order';
    public const HOOK_ALL = 'mypos_ipc_reconcile_pending';

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
     * Asks myPOS about one order and applies the answer. Returns a sentence for the order screen.
     */
    public function check(\WC_Order $order): string
    {
        $paused = $this->settings->keyNotice();
        if ($paused !== null) {
            return $paused;
        }
        $config = $this->settings->config();
        if ($config === null) {
            return __('myPOS status check skipped: the gateway is not configured.', 'mypos-ipc');
        }
        try {
            $response = MyposApi::call($config, $config->getTxnStatus(Orders::ipcOrderId($order), 'json'));
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
        $answer = $this->handler->process($notification);
        return sprintf(
            /* translators: 1: myPOS message, 2: HTTP status of the decision */
            __('myPOS reports %1$s; applied (%2$d).', 'mypos-ipc'),
            $notification->method(),
            $answer->status
        );
    }

    private function fail(\WC_Order $order, string $message): string
    {
        $this->log->warning('status check of order ' . $order->get_id() . ': ' . $message);
        return $message;
    }
}
