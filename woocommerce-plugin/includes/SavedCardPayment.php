<?php

namespace MyPOS\IPC\WooCommerce;

/**
 * The buyer pays with a saved card: a new attempt, IPCTDSProcess (3-D Secure for the stored
 * card; the buyer is sent to myPOS's check and comes back to ?wc-api=mypos_ipc_tds), then
 * IPCIAPurchaseWithToken with the TDSReferenceID of that check. A decline shows myPOS's reason
 * and leaves the order payable. With the payment action "authorize only" the card's amount is
 * held instead (TokenHold).
 */
final class SavedCardPayment
{
    /** The wc-api endpoint the buyer comes back to from 3-D Secure. */
    public const RETURN_API = 'mypos_ipc_tds';

    public function __construct(private Settings $settings, private Log $log, private OrderGate $lock)
    {
    }

    /**
     * Starts the payment of $order with the customer's saved card $tokenId.
     *
     * @return array{result: string, redirect?: string}
     */
    public function start(\WC_Order $order, int $tokenId, int $userId): array
    {
        $mode = $this->settings->mode();
        $config = $mode === null ? null : $this->settings->signingConfig($mode);
        $card = $mode === null ? null : CardTokens::find($tokenId, $userId, $mode);
        if ($config === null || $card === null) {
            return self::refuse(__('This saved card cannot be used. Please choose another card.', 'mypos-ipc'));
        }
        $currency = $order->get_currency();
        $amount = Money::toMinor($order->get_total(), $currency);
        if (Authorizations::authorizeOnly($this->settings)) {
            return $this->hold($order, $config, $card, $mode, $amount, $currency);
        }
        try {
            $attempt = Attempts::forCharge($order, $this->settings->orderPrefix(), $mode, $amount, $currency, [
                'kind' => Attempts::TOKEN,
                'card' => (int) $card->get_id(),
            ]);
            $order->save();
            $request = $config->request('IPCTDSProcess', [
                'Amount' => \MyPOS\IPC\format_amount($amount, $currency),
                'Currency' => $currency,
                'CardToken' => $card->get_token(),
                'UseRedirect' => '0',
                'ReturnUrl' => self::returnUrl($order),
                'ManagerSID' => '',
                'OutputFormat' => 'json',
            ]);
            $response = MyposApi::call($config, $request, 'json');
        } catch (\LengthException | \MyPOS\IPC\Exception | ApiError $e) {
            $this->log->error("order {$order->get_id()}: 3-D Secure for a saved card not started: {$e->getMessage()}");
            return self::refuse(__('The payment could not be started. Please try again.', 'mypos-ipc'));
        }
        $reference = (string) $response->get('TDSReferenceID');
        $redirect = (string) $response->get('RedirectURL');
        if (!$response->isSuccess() || $reference === '' || $redirect === '') {
            $outcome = ['result' => TokenCharge::DECLINED, 'reason' => $response->statusMessage()];
            TokenCharge::record($order, $attempt, $outcome);
            return self::refuse($response->statusMessage());
        }
        $attempt['tds'] = $reference;
        Attempts::put($order, $attempt);
        $order->save();
        return ['result' => 'success', 'redirect' => $redirect];
    }

    /**
     * Authorize only: the saved card's amount held server to server (IPCIAPreAuthorization has
     * no 3-D Secure reference), under a pre-authorization attempt captured or released later.
     *
     * @return array{result: string, redirect?: string}
     */
    private function hold(
        \WC_Order $order,
        \MyPOS\IPC\Config $config,
        \WC_Payment_Token_CC $card,
        string $mode,
        int $amount,
        string $currency
    ): array {
        if (TokenHold::unanswered($order) !== null) {
            // The amount may be held already: never hold a second time before the shop knows.
            $this->log->warning("order {$order->get_id()}: saved card hold refused, an earlier hold got no answer");
            return self::refuse(implode(' ', [
                __('An earlier authorization of this order got no answer from myPOS.', 'mypos-ipc'),
                __('Please contact the shop; nothing more was held.', 'mypos-ipc'),
            ]));
        }
        try {
            $attempt = Attempts::forCharge($order, $this->settings->orderPrefix(), $mode, $amount, $currency, [
                'kind' => Attempts::PREAUTH,
                'card' => (int) $card->get_id(),
            ]);
        } catch (\LengthException | \MyPOS\IPC\Exception $e) {
            $this->log->error("order {$order->get_id()}: saved card hold not started: {$e->getMessage()}");
            return self::refuse(__('The payment could not be started. Please try again.', 'mypos-ipc'));
        }
        $order->save();
        $outcome = (new TokenHold($this->log))->hold($config, $order, $attempt, $card->get_token());
        TokenHold::record($order, $attempt, $outcome);
        if ($outcome['result'] === TokenHold::AUTHORIZED) {
            return ['result' => 'success', 'redirect' => $order->get_checkout_order_received_url()];
        }
        if ($outcome['result'] === TokenHold::DECLINED) {
            return self::refuse(sprintf(
                /* translators: %s: myPOS's reason */
                __('Your card was declined: %s', 'mypos-ipc'),
                (string) ($outcome['reason'] ?? '')
            ));
        }
        return self::refuse(
            __('myPOS did not answer in time. Please check your order before you pay again.', 'mypos-ipc')
        );
    }

    /** Where myPOS sends the buyer back after the check. */
    public static function returnUrl(\WC_Order $order): string
    {
        return WC()->api_request_url(self::RETURN_API) . '&order=' . $order->get_id();
    }

    /**
     * The buyer is back from 3-D Secure with myPOS's signed result ($rawBody) for order
     * $orderId: charges the card with that check's reference.
     */
    public function finish(string $rawBody, int $orderId): Answer
    {
        $order = wc_get_order($orderId);
        if (!$order instanceof \WC_Order || $order->get_payment_method() !== Gateway::ID) {
            return new Answer(302, '', wc_get_checkout_url());
        }
        [$result, $mode] = $this->verify($rawBody);
        $reference = $result === null ? '' : (string) $result->get('TDSReferenceID');
        $lockKey = (string) $order->get_id();
        $unconfirmed = __('The card check could not be confirmed. Please try again.', 'mypos-ipc');
        if ($reference === '' || $this->lock->take($lockKey, $order->get_id(), 'token-charge') !== OrderLock::TAKEN) {
            return self::backToPay($order, $unconfirmed);
        }
        try {
            $order = Orders::findFresh((string) $order->get_id()) ?? $order;
            $attempt = self::attemptOf($order, $reference, (string) $mode);
            if (($attempt['state'] ?? '') === Attempts::PAID) {
                // The same result again (a reload): the payment is made already.
                return new Answer(302, '', $order->get_checkout_order_received_url());
            }
            if (($attempt['state'] ?? '') !== Attempts::OPEN) {
                return self::backToPay($order, $unconfirmed);
            }
            if ($result->get('TDSStatus') !== '1') {
                $outcome = [
                    'result' => TokenCharge::DECLINED,
                    'reason' => __('3-D Secure authentication failed.', 'mypos-ipc'),
                ];
                TokenCharge::record($order, $attempt, $outcome);
                return self::backToPay($order, $outcome['reason']);
            }
            $card = \WC_Payment_Tokens::get((int) ($attempt['card'] ?? 0));
            $config = $this->settings->signingConfig((string) $mode);
            if (!$card instanceof \WC_Payment_Token_CC || $config === null) {
                return self::backToPay(
                    $order,
                    __('This saved card cannot be used. Please choose another card.', 'mypos-ipc')
                );
            }
            $outcome = (new TokenCharge($this->log))->charge($config, $order, $attempt, $card->get_token(), $reference);
            TokenCharge::record($order, $attempt, $outcome);
        } finally {
            $this->lock->release($lockKey, 'token-charge');
        }
        if ($outcome['result'] === TokenCharge::PAID) {
            return new Answer(302, '', $order->get_checkout_order_received_url());
        }
        if ($outcome['result'] === TokenCharge::DECLINED) {
            return self::backToPay($order, sprintf(
                /* translators: %s: myPOS's reason */
                __('Your card was declined: %s', 'mypos-ipc'),
                (string) ($outcome['reason'] ?? '')
            ));
        }
        return self::backToPay(
            $order,
            __('myPOS did not answer in time. Please check your order before you pay again.', 'mypos-ipc')
        );
    }

    /**
     * The verified result and the mode whose myPOS signed it, or [null, null].
     *
     * @return array{0: ?\MyPOS\IPC\Notification, 1: ?string}
     */
    private function verify(string $rawBody): array
    {
        foreach ($this->settings->configs() as $mode => $config) {
            try {
                $message = $config->notification($rawBody);
            } catch (\MyPOS\IPC\Exception $e) {
                continue;
            }
            if ($message->method() === 'IPCTDSProcess') {
                return [$message, (string) $mode];
            }
        }
        $this->log->warning('3-D Secure return refused: not a verified IPCTDSProcess result');
        return [null, null];
    }

    /**
     * The token attempt whose 3-D Secure check is $reference, made in $mode.
     *
     * @return array<string, mixed>|null
     */
    private static function attemptOf(\WC_Order $order, string $reference, string $mode): ?array
    {
        foreach (Attempts::all($order) as $attempt) {
            if (($attempt['tds'] ?? null) === $reference) {
                return ($attempt['mode'] ?? '') === $mode ? $attempt : null;
            }
        }
        return null;
    }

    /** @return array{result: string} */
    private static function refuse(string $message): array
    {
        wc_add_notice($message, 'error');
        return ['result' => 'failure'];
    }

    private static function backToPay(\WC_Order $order, string $message): Answer
    {
        wc_add_notice($message, 'error');
        return new Answer(302, '', $order->get_checkout_payment_url());
    }
}
