<?php

namespace MyPOS\IPC\WooCommerce;

use MyPOS\IPC\Config;

/**
 * Holds a saved card's amount server to server (IPCIAPreAuthorization) when the payment action
 * is "authorize only", under a pre-authorization attempt: once myPOS's signed answer says it is
 * held, the attempt is authorized and the order on hold, to be captured or released like a
 * pre-authorization made on myPOS's page (Captures, Authorizations).
 */
final class TokenHold
{
    public const AUTHORIZED = 'authorized';
    public const DECLINED = 'declined';
    /** No signed answer: the amount may or may not be held. */
    public const UNKNOWN = 'unknown';

    public function __construct(private Log $log)
    {
    }

    /**
     * @param array<string, mixed> $attempt
     * @return array{result: string, trnref?: string, expiry?: string, reason?: string}
     */
    public function hold(Config $config, \WC_Order $order, array $attempt, string $cardToken): array
    {
        try {
            $response = MyposApi::call($config, $config->iaPreAuthorization([
                'order_id' => (string) $attempt['id'],
                'item_name' => sprintf('Order %s', $order->get_order_number()),
                'amount' => (int) $attempt['amount'],
                'currency' => (string) $attempt['currency'],
                'card_token' => $cardToken,
            ]), 'json');
        } catch (ApiError $e) {
            $this->log->warning("token hold {$attempt['id']}: no answer ({$e->getMessage()})");
            return ['result' => self::UNKNOWN, 'reason' => $e->getMessage()];
        } catch (\MyPOS\IPC\Exception $e) {
            $this->log->error("token hold {$attempt['id']} not made: {$e->getMessage()}");
            return ['result' => self::DECLINED, 'reason' => $e->getMessage()];
        }
        $trnref = (string) $response->get('IPC_Trnref');
        // The answer must be for what was asked: a hold of another amount is not this one.
        $currency = (string) $attempt['currency'];
        $same = (string) $response->get('Amount') === \MyPOS\IPC\format_amount((int) $attempt['amount'], $currency)
            && (string) $response->get('Currency') === $currency;
        if ($response->isSuccess() && $trnref !== '' && $same) {
            $expiry = (string) $response->get('PreAuthExpDate');
            return ['result' => self::AUTHORIZED, 'trnref' => $trnref, 'expiry' => $expiry];
        }
        if ($response->isSuccess()) {
            $this->log->error("token hold {$attempt['id']}: the answer names another amount or no IPC_Trnref");
            return ['result' => self::UNKNOWN, 'reason' => __('myPOS answered for another amount.', 'mypos-ipc')];
        }
        $this->log->info(sprintf(
            'token hold %s declined: Status %d %s',
            $attempt['id'],
            $response->status(),
            $response->statusName()
        ));
        $message = trim($response->statusMessage());
        return ['result' => self::DECLINED, 'reason' => $message !== '' ? $message : $response->statusMeaning()];
    }

    /**
     * The order's hold sent without a usable answer (the amount may be held), or null.
     *
     * @return array<string, mixed>|null
     */
    public static function unanswered(\WC_Order $order): ?array
    {
        foreach (Attempts::all($order) as $attempt) {
            if (
                Attempts::kind($attempt) === Attempts::PREAUTH
                && ($attempt['state'] ?? '') === Attempts::OPEN
                && !empty($attempt['unanswered'])
            ) {
                return $attempt;
            }
        }
        return null;
    }

    /**
     * Writes the outcome into the attempt and the order (authorized: on hold with the note
     * "capture before"), saved in one save.
     *
     * @param array<string, mixed> $attempt
     * @param array{result: string, trnref?: string, expiry?: string, reason?: string} $outcome
     */
    public static function record(\WC_Order $order, array $attempt, array $outcome): void
    {
        if ($outcome['result'] === self::AUTHORIZED) {
            $trnref = (string) ($outcome['trnref'] ?? '');
            $attempt['state'] = Attempts::AUTHORIZED;
            $attempt['trnref'] = $trnref;
            $attempt['expiry'] = (string) ($outcome['expiry'] ?? '');
            Attempts::put($order, $attempt);
            $order->update_meta_data(Orders::META_TRNREF, $trnref);
            $note = DecisionNotes::wording('authorized', ['trnref' => $trnref, 'expiry' => $attempt['expiry']]);
            $order->update_status((string) OrderState::after('authorize'), (string) $note);
            $order->save();
            return;
        }
        if ($outcome['result'] === self::DECLINED) {
            $attempt['state'] = Attempts::DECLINED;
            $order->add_order_note(sprintf(
                /* translators: 1: myPOS OrderID, 2: myPOS's reason */
                __('myPOS declined the saved card (OrderID %1$s): %2$s', 'mypos-ipc'),
                $attempt['id'],
                (string) ($outcome['reason'] ?? '')
            ));
        } else {
            // Sent, no usable answer: the scheduled check of authorizations does not see it; the
            // shop asks myPOS (IPCPreAuthStatus) before holding again.
            $attempt['unanswered'] = true;
        }
        Attempts::put($order, $attempt);
        $order->save();
    }
}
