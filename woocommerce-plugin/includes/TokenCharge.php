<?php

namespace MyPOS\IPC\WooCommerce;

use MyPOS\IPC\Config;

/**
 * Charges a saved card server to server (IPCIAPurchaseWithToken) under one attempt's OrderID
 * and records the outcome on the order. An answer that never came (timeout, lost connection)
 * leaves the attempt open: whoever tries again asks myPOS first (resolve()) and reuses the same
 * OrderID, which myPOS refuses to charge twice, until a signed status query says it failed.
 */
final class TokenCharge
{
    public const PAID = 'paid';
    public const DECLINED = 'declined';
    /** No signed answer: the charge may or may not have been made. */
    public const UNKNOWN = 'unknown';
    /** E_DUPLICATE_TRANSMISSION: the OrderID is paid already (an earlier try went through). */
    private const ALREADY_PAID = 20;
    /** IPCGetPaymentStatus PaymentStatus values. */
    private const STATUS_PAID = 1;
    private const STATUS_FAILED = [3, 4];

    public function __construct(private Log $log)
    {
    }

    /**
     * Charges $cardToken for the attempt (its OrderID, amount and currency): with the
     * TDSReferenceID of the buyer's 3-D Secure check, or merchant-initiated (null).
     *
     * @param array<string, mixed> $attempt
     * @return array{result: string, trnref?: string, reason?: string}
     */
    public function charge(
        Config $config,
        \WC_Order $order,
        array $attempt,
        string $cardToken,
        ?string $tdsReference
    ): array {
        $charge = [
            'order_id' => (string) $attempt['id'],
            'amount' => (int) $attempt['amount'],
            'currency' => (string) $attempt['currency'],
            'card_token' => $cardToken,
            'cart' => PurchaseForm::cart($order, (int) $attempt['amount']),
        ];
        if ($tdsReference === null) {
            $charge['allow_without_tds'] = true;
        } else {
            $charge['tds_reference_id'] = $tdsReference;
        }
        try {
            $response = MyposApi::call($config, $config->purchaseWithToken($charge), 'json');
        } catch (ApiError $e) {
            $this->log->warning(
                "token charge {$attempt['id']}: no answer ({$e->getMessage()}); the status is asked before any retry"
            );
            return ['result' => self::UNKNOWN, 'reason' => $e->getMessage()];
        } catch (\MyPOS\IPC\Exception $e) {
            $this->log->error("token charge {$attempt['id']} not made: {$e->getMessage()}");
            return ['result' => self::DECLINED, 'reason' => $e->getMessage()];
        }
        if ($response->isSuccess()) {
            return ['result' => self::PAID, 'trnref' => (string) $response->get('IPC_Trnref')];
        }
        if ($response->status() === self::ALREADY_PAID) {
            return $this->resolve($config, $attempt);
        }
        $this->log->info(sprintf(
            'token charge %s declined: Status %d %s',
            $attempt['id'],
            $response->status(),
            $response->statusName()
        ));
        return ['result' => self::DECLINED, 'reason' => self::reason($response)];
    }

    /**
     * What myPOS says became of the attempt's OrderID (signed IPCGetPaymentStatus): paid, failed
     * (declined) or still unknown.
     *
     * @param array<string, mixed> $attempt
     * @return array{result: string, trnref?: string, reason?: string}
     */
    public function resolve(Config $config, array $attempt): array
    {
        try {
            $status = MyposApi::call($config, $config->getPaymentStatus((string) $attempt['id'], 'json'), 'json');
        } catch (ApiError | \MyPOS\IPC\Exception $e) {
            return ['result' => self::UNKNOWN, 'reason' => $e->getMessage()];
        }
        $code = $status->isSuccess() ? $status->paymentStatus() : null;
        if ($code === self::STATUS_PAID) {
            return ['result' => self::PAID, 'trnref' => (string) $status->get('IPC_Trnref')];
        }
        if (in_array($code, self::STATUS_FAILED, true)) {
            return ['result' => self::DECLINED, 'reason' => __('myPOS reports the payment as failed.', 'mypos-ipc')];
        }
        // Anything else (an OrderID myPOS does not know yet, pending): the retry reuses the
        // OrderID, which myPOS never pays twice.
        return ['result' => self::UNKNOWN, 'reason' => $status->statusMessage()];
    }

    /**
     * Writes the outcome into the attempt and the order (paid: payment_complete; declined: the
     * note, and the order left as it is for the caller), saved in one save.
     *
     * @param array<string, mixed> $attempt
     * @param array{result: string, trnref?: string, reason?: string} $outcome
     */
    public static function record(\WC_Order $order, array $attempt, array $outcome): void
    {
        if ($outcome['result'] === self::PAID) {
            $trnref = (string) ($outcome['trnref'] ?? '');
            $attempt['state'] = Attempts::PAID;
            $attempt['trnref'] = $trnref;
            Attempts::put($order, $attempt);
            $order->update_meta_data(Orders::META_TRNREF, $trnref);
            $order->add_order_note(sprintf(
                /* translators: 1: myPOS OrderID, 2: myPOS transaction reference */
                __('Paid with a saved card through myPOS (OrderID %1$s, IPC_Trnref %2$s).', 'mypos-ipc'),
                $attempt['id'],
                $trnref
            ));
            $order->save();
            $order->payment_complete($trnref);
            return;
        }
        if ($outcome['result'] === self::DECLINED) {
            $attempt['state'] = Attempts::DECLINED;
            Attempts::put($order, $attempt);
            $order->add_order_note(sprintf(
                /* translators: 1: myPOS OrderID, 2: myPOS's reason */
                __('myPOS declined the saved card (OrderID %1$s): %2$s', 'mypos-ipc'),
                $attempt['id'],
                (string) ($outcome['reason'] ?? '')
            ));
        }
        if ($outcome['result'] === self::UNKNOWN && empty($attempt['unanswered'])) {
            // Sent, no answer: settled by a status query before the order is paid again.
            $attempt['unanswered'] = true;
            Attempts::put($order, $attempt);
        }
        $order->save();
    }

    /**
     * Settles the order's token charges whose answer never came (signed status query) before it
     * is paid again, so a buyer's second try cannot pay twice. Returns whether the order is paid
     * by one of them; the caller holds the order lock or is the buyer's own request.
     */
    public function settle(\WC_Order $order, Settings $settings): bool
    {
        foreach (Attempts::all($order) as $attempt) {
            if (($attempt['state'] ?? '') !== Attempts::OPEN || empty($attempt['unanswered'])) {
                continue;
            }
            $config = $settings->signingConfig((string) ($attempt['mode'] ?? ''));
            $known = $config === null ? ['result' => self::UNKNOWN] : $this->resolve($config, $attempt);
            if ($known['result'] !== self::UNKNOWN) {
                self::record($order, $attempt, $known);
                if ($known['result'] === self::PAID) {
                    return true;
                }
            }
        }
        return false;
    }

    /** myPOS's reason, as the buyer and the shop see it. */
    private static function reason(\MyPOS\IPC\Response $response): string
    {
        $message = trim($response->statusMessage());
        return $message !== '' ? $message : $response->statusMeaning();
    }
}
