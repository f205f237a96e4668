<?php

namespace MyPOS\IPC\WooCommerce;

/**
 * WooCommerce Subscriptions: each subscription keeps the id of the saved card it renews with
 * (CARD_META); a scheduled renewal charges it server to server, merchant-initiated
 * (AllowWithoutTDSReferenceID), and marks the renewal order paid or failed with myPOS's reason.
 * A renewal is never charged twice: an attempt whose answer never came is asked about (signed
 * IPCGetPaymentStatus) and, while myPOS does not say it failed, charged again under the same
 * OrderID, which myPOS never pays twice.
 */
final class Subscriptions
{
    public const CARD_META = '_mypos_ipc_card';
    /** Gateway supports entries for WooCommerce Subscriptions. */
    public const SUPPORTS = [
        'subscriptions',
        'subscription_cancellation',
        'subscription_suspension',
        'subscription_reactivation',
        'subscription_amount_changes',
        'subscription_date_changes',
        'multiple_subscriptions',
        'subscription_payment_method_change_customer',
    ];
    /** The renewal hook (woocommerce_scheduled_subscription_payment_<gateway id>). */
    public const RENEWAL_HOOK = 'woocommerce_scheduled_subscription_payment_mypos_ipc';

    public function __construct(private Settings $settings, private Log $log, private OrderGate $lock)
    {
    }

    /** Whether the order starts or renews a subscription (false without the plug-in). */
    public static function hasSubscription(\WC_Order $order): bool
    {
        return function_exists('wcs_order_contains_subscription')
            && wcs_order_contains_subscription($order, ['parent', 'renewal', 'resubscribe', 'switch']);
    }

    /** The subscriptions the order started or renews now renew with saved card $tokenId. */
    public static function useCard(\WC_Order $order, int $tokenId): void
    {
        if (!function_exists('wcs_get_subscriptions_for_order')) {
            return;
        }
        foreach (wcs_get_subscriptions_for_order($order, ['order_type' => 'any']) as $subscription) {
            $subscription->update_meta_data(self::CARD_META, $tokenId);
            $subscription->save();
        }
    }

    /**
     * The renewal hook: charges $renewal (WooCommerce Subscriptions passes the amount due) with
     * its subscription's saved card.
     *
     * @param float|string $amount
     */
    public function renew($amount, \WC_Order $renewal): void
    {
        $lockKey = (string) $renewal->get_id();
        if ($this->lock->take($lockKey, $renewal->get_id(), 'renewal') !== OrderLock::TAKEN) {
            // Another run holds the order: it decides; failing here would only confuse the retry.
            $this->log->warning("renewal {$renewal->get_id()}: order gate not taken; this run charges nothing");
            return;
        }
        try {
            $renewal = Orders::findFresh((string) $renewal->get_id()) ?? $renewal;
            if (in_array($renewal->get_status(), Orders::paidStatuses(), true)) {
                return;
            }
            $this->charge($renewal, Money::toMinor($amount, $renewal->get_currency()));
        } catch (\MyPOS\IPC\Exception | \LengthException $e) {
            $this->fail($renewal, $e->getMessage());
        } finally {
            $this->lock->release($lockKey, 'renewal');
        }
    }

    private function charge(\WC_Order $renewal, int $amount): void
    {
        $card = $this->card($renewal);
        $mode = $card === null ? null : CardTokens::mode($card);
        $config = $mode === null ? null : $this->settings->signingConfig($mode);
        if ($card === null || $config === null) {
            $this->fail($renewal, __('the subscription has no usable saved myPOS card', 'mypos-ipc'));
            return;
        }
        if (CardTokens::isExpired($card)) {
            $this->fail($renewal, __('the saved card has expired', 'mypos-ipc'));
            return;
        }
        $charge = new TokenCharge($this->log);
        $attempt = self::unanswered($renewal);
        if ($attempt !== null) {
            // The last try got no answer: ask before charging again.
            $known = $charge->resolve($config, $attempt);
            if ($known['result'] !== TokenCharge::UNKNOWN) {
                TokenCharge::record($renewal, $attempt, $known);
                if ($known['result'] === TokenCharge::PAID) {
                    return;
                }
                $attempt = null;
            }
        }
        $attempt ??= Attempts::forCharge(
            $renewal,
            $this->settings->orderPrefix(),
            $mode,
            $amount,
            $renewal->get_currency(),
            ['kind' => Attempts::TOKEN, 'card' => (int) $card->get_id(), 'merchant_initiated' => true]
        );
        $renewal->save();
        $outcome = $charge->charge($config, $renewal, $attempt, $card->get_token(), null);
        TokenCharge::record($renewal, $attempt, $outcome);
        if ($outcome['result'] === TokenCharge::DECLINED) {
            $this->fail($renewal, (string) ($outcome['reason'] ?? ''));
        } elseif ($outcome['result'] === TokenCharge::UNKNOWN) {
            $this->fail(
                $renewal,
                __('myPOS did not answer; the next try asks myPOS first and never charges twice', 'mypos-ipc')
            );
        }
    }

    /**
     * The renewal's latest token attempt when its outcome is unknown (still open, no answer).
     *
     * @return array<string, mixed>|null
     */
    private static function unanswered(\WC_Order $renewal): ?array
    {
        $latest = Attempts::latest($renewal);
        $open = ($latest['kind'] ?? null) === Attempts::TOKEN && ($latest['state'] ?? '') === Attempts::OPEN;
        return $open ? $latest : null;
    }

    /** The saved card the renewal's subscription renews with (its customer's, this gateway's). */
    private function card(\WC_Order $renewal): ?\WC_Payment_Token_CC
    {
        if (!function_exists('wcs_get_subscriptions_for_renewal_order')) {
            return null;
        }
        foreach (wcs_get_subscriptions_for_renewal_order($renewal) as $subscription) {
            $card = \WC_Payment_Tokens::get((int) $subscription->get_meta(self::CARD_META));
            if (
                $card instanceof \WC_Payment_Token_CC
                && $card->get_gateway_id() === Gateway::ID
                && (int) $card->get_user_id() === (int) $subscription->get_customer_id()
            ) {
                return $card;
            }
        }
        return null;
    }

    private function fail(\WC_Order $renewal, string $reason): void
    {
        $this->log->info("renewal {$renewal->get_id()} failed: {$reason}");
        $renewal->update_status('failed', sprintf(
            /* translators: %s: myPOS's reason or what is missing */
            __('myPOS renewal payment failed: %s', 'mypos-ipc'),
            $reason
        ));
    }
}
