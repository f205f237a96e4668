<?php

namespace MyPOS\IPC\WooCommerce;

// phpcs:disable Generic.Files.LineLength.TooLong -- a translatable sentence stays on one line

/**
 * Open pre-authorizations after the notify: releasing one (IPCPreAuthCancellation, confirmed by
 * its signed answer: Response::checkRelease) and the scheduled look at every open one
 * (IPCPreAuthStatus): captures, declines, reversals and cancellations made elsewhere are
 * recorded, and one that expires within two days is flagged for the admin. Capturing is
 * Captures'.
 */
final class Authorizations
{
    /** The setting payment_action: charge at checkout, or authorize only. */
    public const CHARGE = 'charge';
    public const AUTHORIZE = 'authorize';
    /** The Action Scheduler job that looks at open authorizations. */
    public const HOOK_CHECK = 'mypos_ipc_check_authorizations';
    /** An authorization this close to its expiry is flagged. */
    public const WARN_SECONDS = 2 * DAY_IN_SECONDS;
    /** IPCPreAuthStatus codes (SPEC: 1 pending, 3 captured, 4 declined, 5 reversed, 6 cancelled). */
    private const OPEN = '1';
    private const CAPTURED = '3';
    private const GONE = ['4', '5', '6'];

    public function __construct(private Settings $settings, private Log $log, private OrderGate $lock)
    {
    }

    /** Whether new payments only authorize (the setting "Payment action"). */
    public static function authorizeOnly(Settings $settings): bool
    {
        return $settings->get('payment_action', self::CHARGE) === self::AUTHORIZE;
    }

    public static function schedule(): void
    {
        if (function_exists('as_has_scheduled_action') && !as_has_scheduled_action(self::HOOK_CHECK)) {
            as_schedule_recurring_action(time() + 600, 6 * HOUR_IN_SECONDS, self::HOOK_CHECK, [], Lifecycle::GROUP);
        }
    }

    /**
     * Releases the order's open authorization. Returns null when myPOS confirmed the release and
     * it is recorded, else why not (also left as an order note).
     */
    public function release(\WC_Order $order): ?string
    {
        $key = (string) $order->get_id();
        if ($this->lock->take($key, $order->get_id(), 'release') !== OrderLock::TAKEN) {
            return __('The order is being changed by another request; try the release again in a moment.', 'mypos-ipc');
        }
        try {
            $order = Orders::findFresh($key) ?? $order;
            $held = Attempts::authorized($order);
            if ($held === null) {
                return __('This order has no open myPOS authorization to release.', 'mypos-ipc');
            }
            $config = $this->settings->signingConfig((string) $held['mode']);
            if ($config === null) {
                return $this->note($order, __('The myPOS configuration of the mode this order was authorized in is missing or unusable; the authorization was not released.', 'mypos-ipc'));
            }
            $id = (string) $held['id'];
            $amount = (int) $held['amount'];
            $currency = (string) $held['currency'];
            try {
                $response = MyposApi::call($config, $config->preAuthCancellation($id, $amount, $currency));
            } catch (ApiError | \MyPOS\IPC\Exception $e) {
                return $this->note($order, sprintf(
                    /* translators: %s: what went wrong */
                    __('myPOS release not confirmed; the authorization stays open. %s', 'mypos-ipc'),
                    $e->getMessage()
                ));
            }
            $check = $response->checkRelease($id, $amount, $currency);
            if (!$check['confirmed']) {
                return $this->note($order, sprintf(
                    /* translators: %s: why the answer does not confirm the release (from the extension, English) */
                    __('myPOS did not confirm the release (%s); the authorization stays open.', 'mypos-ipc'),
                    (string) $check['message']
                ));
            }
            $this->closed($order, $held, sprintf(
                /* translators: 1: amount, 2: currency, 3: myPOS transaction reference */
                __('Released the myPOS authorization of %1$s %2$s (IPC_Trnref %3$s): no money was taken.', 'mypos-ipc'),
                Money::format($amount, $currency),
                $currency,
                (string) $held['trnref']
            ));
            return null;
        } finally {
            $this->lock->release($key, 'release');
        }
    }

    /**
     * The scheduled job: asks myPOS about every open authorization of this gateway. Returns how
     * many were asked about.
     */
    public function checkOpen(): int
    {
        $orders = wc_get_orders([
            'status' => array_merge(['on-hold', 'pending'], Orders::paidStatuses()),
            'payment_method' => Gateway::ID,
            'limit' => 100,
        ]);
        $asked = 0;
        foreach ($orders as $order) {
            if (Attempts::authorized($order) !== null) {
                $this->checkOne($order);
                $asked++;
            }
        }
        return $asked;
    }

    /** Asks myPOS about the order's open authorization and records what changed there. */
    public function checkOne(\WC_Order $order): void
    {
        $held = Attempts::authorized($order);
        $config = $held === null ? null : $this->settings->signingConfig((string) $held['mode']);
        if ($held === null || $config === null) {
            return;
        }
        try {
            $response = MyposApi::call($config, $config->preAuthStatus((string) $held['id']));
        } catch (ApiError | \MyPOS\IPC\Exception $e) {
            $this->log->warning("authorization of order {$order->get_id()} not checked: " . $e->getMessage());
            return;
        }
        $orderId = $response->get('OrderID');
        if (!$response->isSuccess() || ($orderId !== null && $orderId !== $held['id'])) {
            $this->log->warning("authorization of order {$order->get_id()} not checked: myPOS answered Status {$response->status()} for " . ($orderId ?? '-'));
            return;
        }
        $status = (string) $response->get('IPCPreAuthStatus');
        $expiry = (string) $response->get('PreAuthExpDate');
        if ($status === self::OPEN) {
            $this->stillOpen($order, $held, $expiry);
        } elseif ($status === self::CAPTURED) {
            $this->capturedElsewhere($order, $held);
        } elseif (in_array($status, self::GONE, true)) {
            $this->closed($order, $held, sprintf(
                /* translators: 1: what happened at myPOS (declined, reversed, cancelled), 2: myPOS transaction reference */
                __('myPOS reports the authorization %1$s (IPC_Trnref %2$s): it can no longer be captured and no money was taken. The order is cancelled.', 'mypos-ipc'),
                self::goneWord($status),
                (string) $held['trnref']
            ), true);
        }
    }

    private static function goneWord(string $status): string
    {
        return match ($status) {
            '4' => __('declined', 'mypos-ipc'),
            '5' => __('reversed (released or expired)', 'mypos-ipc'),
            default => __('cancelled', 'mypos-ipc'),
        };
    }

    /** @param array<string, mixed> $held */
    private function stillOpen(\WC_Order $order, array $held, string $expiry): void
    {
        if ($expiry !== '' && ($held['expiry'] ?? null) !== $expiry) {
            $held['expiry'] = $expiry;
            Attempts::put($order, $held);
            $order->save();
        }
        $ends = \DateTimeImmutable::createFromFormat('!d/m/Y', $expiry, new \DateTimeZone('UTC'));
        if ($ends === false || $ends->getTimestamp() - time() > self::WARN_SECONDS) {
            OrderFlags::clear($order->get_id(), OrderFlags::AUTHORIZATION_EXPIRING);
            return;
        }
        OrderFlags::raise($order->get_id(), OrderFlags::AUTHORIZATION_EXPIRING, sprintf(
            /* translators: 1: order number, 2: the date the authorization expires */
            __('myPOS IPC, order #%1$s: its authorization expires on %2$s. Capture it before then (order action "Capture the authorized payment"), or the money is released.', 'mypos-ipc'),
            $order->get_order_number(),
            $expiry
        ));
    }

    /**
     * Captured in the myPOS account, not from this shop: the order is paid by it. The amount is
     * not in the status answer, so the note says to check it there.
     *
     * @param array<string, mixed> $held
     */
    private function capturedElsewhere(\WC_Order $order, array $held): void
    {
        $held['state'] = Attempts::PAID;
        Attempts::put($order, $held);
        $order->add_order_note(sprintf(
            /* translators: %s: myPOS transaction reference */
            __('myPOS reports the authorization (IPC_Trnref %s) captured outside this shop; the order is marked paid. Check the captured amount in the myPOS account.', 'mypos-ipc'),
            (string) $held['trnref']
        ));
        $order->save();
        OrderFlags::clear($order->get_id(), OrderFlags::AUTHORIZATION_EXPIRING);
        $order->payment_complete((string) $held['trnref']);
        $order->save();
    }

    /**
     * The authorization is over without a capture: recorded as released with $note; with
     * $cancel an order still waiting (on hold or pending) is cancelled.
     *
     * @param array<string, mixed> $held
     */
    private function closed(\WC_Order $order, array $held, string $note, bool $cancel = false): void
    {
        $held['state'] = Attempts::RELEASED;
        Attempts::put($order, $held);
        OrderFlags::clear($order->get_id(), OrderFlags::AUTHORIZATION_EXPIRING);
        if ($cancel && in_array($order->get_status(), ['on-hold', 'pending'], true)) {
            $order->update_status('cancelled', $note);
        } else {
            $order->add_order_note($note);
        }
        $order->save();
        $this->log->info("order {$order->get_id()}: " . $note);
    }

    private function note(\WC_Order $order, string $why): string
    {
        $this->log->warning("release of order {$order->get_id()}: {$why}");
        $order->add_order_note($why);
        $order->save();
        return $why;
    }
}
