<?php

namespace MyPOS\IPC\WooCommerce;

use MyPOS\IPC\Decision;
use MyPOS\IPC\Notification;

/**
 * Handles what myPOS (or the returning buyer) posts to ?wc-api=mypos_ipc: verifies it through
 * the extension, lets the native core decide, applies the decision with WooCommerce CRUD,
 * saves, and only then answers.
 */
final class NotifyHandler
{
    public function __construct(
        private Settings $settings,
        private OrderLock $lock,
        private Log $log
    ) {
    }

    public function handle(string $rawBody): Answer
    {
        $config = $this->settings->config();
        if ($config === null) {
            $this->log->error('notify received but the gateway has no usable configuration');
            return new Answer(503, 'not configured');
        }
        try {
            $notification = $config->notification(self::withoutRoutingParam($rawBody));
        } catch (\MyPOS\IPC\SignatureException $e) {
            $this->log->warning('notify refused: signature invalid');
            return new Answer(400, 'signature invalid');
        } catch (\MyPOS\IPC\Exception $e) {
            $this->log->warning('notify refused: malformed body: ' . $e->getMessage());
            return new Answer(400, 'malformed');
        }

        return $this->process($notification);
    }

    /**
     * Applies a verified notification (from the endpoint, or nested in a verified status answer).
     */
    public function process(Notification $notification): Answer
    {
        $ipcOrderId = $notification->orderId();
        $order = Orders::find($ipcOrderId);
        if ($order === null) {
            return $this->answer($notification->decide(null), null, $notification);
        }
        if (!$this->lock->acquire($ipcOrderId)) {
            $this->log->warning("notify for order {$ipcOrderId} not handled: order is locked by another request");
            return new Answer(503, 'busy');
        }
        try {
            // Read the order again under the lock: another worker may just have changed it.
            $order = Orders::findFresh($ipcOrderId);
            if ($order === null) {
                return $this->answer($notification->decide(null), null, $notification);
            }
            $decision = $notification->decide(Orders::snapshot($order));
            $this->apply($decision, $order);
            $problem = self::notPersisted($decision, $ipcOrderId);
            if ($problem !== null) {
                // WooCommerce's save() logs database errors instead of throwing: without this
                // check myPOS would get OK for a payment the order does not show.
                $this->log->error("notify for order {$ipcOrderId} not saved: {$problem}; answered 500 (not OK)");
                return new Answer(500, 'not saved');
            }
            return $this->answer($decision, $order, $notification);
        } catch (\Throwable $e) {
            $this->log->error("notify for order {$ipcOrderId} failed: " . get_class($e) . ': ' . $e->getMessage());
            return new Answer(500, 'error');
        } finally {
            $this->lock->release($ipcOrderId);
        }
    }

    private function apply(Decision $decision, \WC_Order $order): void
    {
        $note = $decision->note();
        switch ($decision->action()) {
            case 'mark_paid':
                $order->update_meta_data(Orders::META_TRNREF, (string) $decision->trnref());
                $order->add_order_note($note);
                $order->payment_complete((string) $decision->trnref());
                $order->save();
                break;
            case 'hold_mismatch':
                $order->update_status('on-hold', $note);
                $order->save();
                break;
            case 'mark_failed':
                $order->update_status('failed', $note);
                $order->save();
                break;
            case 'already_paid_otherwise':
            case 'note_only':
            case 'keep_payable':
                $order->add_order_note($note);
                $order->save();
                break;
            case 'show_received':
                if ($order->get_status() === 'pending') {
                    // The buyer is back before the notify: ask myPOS soon in case it never comes.
                    Reconciler::scheduleOrder($order->get_id());
                }
                break;
            default:
                // duplicate, acknowledge: nothing to change.
                break;
        }
    }

    /**
     * Null when the database now holds what the decision changed (read back, not trusted from
     * memory), else what is missing.
     */
    private static function notPersisted(Decision $decision, string $ipcOrderId): ?string
    {
        $expected = match ($decision->action()) {
            'mark_paid' => ['processing', 'completed'],
            'hold_mismatch' => ['on-hold'],
            'mark_failed' => ['failed'],
            default => null,
        };
        if ($expected === null) {
            return null;
        }
        $stored = Orders::findFresh($ipcOrderId);
        if ($stored === null) {
            return 'the order could not be read back';
        }
        if (!in_array($stored->get_status(), $expected, true)) {
            return 'the order status is still ' . $stored->get_status();
        }
        $trnref = (string) $stored->get_meta(Orders::META_TRNREF);
        if ($decision->action() === 'mark_paid' && $trnref !== (string) $decision->trnref()) {
            return 'the myPOS transaction reference was not stored';
        }
        return null;
    }

    private function answer(Decision $decision, ?\WC_Order $order, Notification $notification): Answer
    {
        $this->log->info(sprintf(
            '%s for order %s: %s (%s); %s',
            $notification->method(),
            $notification->orderId() ?? '-',
            $decision->action(),
            $decision->reply(),
            $decision->note()
        ));
        switch ($decision->reply()) {
            case 'redirect_received':
                $url = $order !== null ? $order->get_checkout_order_received_url() : wc_get_checkout_url();
                return new Answer(302, '', $url);
            case 'redirect_payment':
                $url = $order !== null ? $order->get_checkout_payment_url() : wc_get_checkout_url();
                return new Answer(302, '', $url);
            default:
                return new Answer($decision->httpStatus(), $decision->body());
        }
    }

    /** Drops the wc-api routing parameter from a GET query string. */
    public static function withoutRoutingParam(string $raw): string
    {
        $pairs = array_filter(
            explode('&', $raw),
            static fn (string $pair): bool => strncmp($pair, 'wc-api=', 7) !== 0
        );
        return implode('&', $pairs);
    }
}
