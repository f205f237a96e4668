<?php

namespace MyPOS\IPC\WooCommerce;

use MyPOS\IPC\Config;
use MyPOS\IPC\Notification;
use MyPOS\IPC\Request;

/**
 * My Account → Add payment method: an IPCPurchase with CardTokenRequest=1 (store the card, no
 * payment) under its own OrderID `<prefix>-c<user id>-<n>`, recorded in the customer's meta
 * with its mode before the form is shown; myPOS's notify for it becomes the customer's saved
 * card, and only then is it answered OK.
 */
final class CardSaves
{
    public const META = '_mypos_ipc_card_saves';
    /** Records kept per customer (the oldest go first). */
    private const KEEP = 20;

    public function __construct(private Settings $settings, private Log $log)
    {
    }

    /**
     * The signed store-only purchase for the customer, recorded first.
     *
     * @throws \MyPOS\IPC\Exception when no OrderID can be made (the prefix)
     */
    public function form(Config $config, int $userId, string $mode, string $notifyUrl): Request
    {
        $saves = self::records($userId);
        $n = $saves === [] ? 1 : max(array_column($saves, 'n')) + 1;
        $id = \MyPOS\IPC\attempt_id($this->settings->orderPrefix(), 'c' . $userId, $n);
        $saves[] = ['n' => $n, 'id' => $id, 'mode' => $mode, 'created' => time(), 'token' => null];
        update_user_meta($userId, self::META, array_slice($saves, -self::KEEP));
        return $config->purchase([
            'order_id' => $id,
            'amount' => 0,
            'currency' => get_woocommerce_currency(),
            'url_ok' => $notifyUrl,
            'url_cancel' => $notifyUrl,
            'url_notify' => $notifyUrl,
            'card_token_request' => 1,
            'payment_parameters' => 3,
        ]);
    }

    /** The customer an OrderID of this kind names, or null when it is not a card save. */
    public static function userOf(?string $ipcOrderId): ?int
    {
        try {
            $order = $ipcOrderId === null ? '' : \MyPOS\IPC\parse_attempt_id($ipcOrderId)['order'];
        } catch (\MyPOS\IPC\Exception $e) {
            return null;
        }
        return preg_match('/^c(\d{1,18})$/', $order, $m) ? (int) $m[1] : null;
    }

    /**
     * A verified message for a card save ($mode: whose myPOS signed it): the notify saves the
     * card (OK only once it is stored), the returning buyer goes to My Account.
     */
    public function handle(Notification $message, string $mode): Answer
    {
        $ipcOrderId = (string) $message->orderId();
        $userId = (int) self::userOf($ipcOrderId);
        $record = null;
        foreach (self::records($userId) as $r) {
            if ($r['id'] === $ipcOrderId && $r['mode'] === $mode) {
                $record = $r;
            }
        }
        $account = function_exists('wc_get_account_endpoint_url')
            ? wc_get_account_endpoint_url('payment-methods')
            : home_url('/my-account/payment-methods/');
        if ($message->kind() !== 'notify') {
            // The buyer's browser (stored or cancelled) or a rollback: nothing to store.
            return $message->kind() === 'rollback' ? new Answer(200, 'OK') : new Answer(302, '', $account);
        }
        if ($record === null) {
            $this->log->warning(
                "card save {$ipcOrderId}: no such request from this customer in {$mode} mode; not answered OK"
            );
            return new Answer(400, 'unknown card request');
        }
        $tokenId = CardTokens::saveFromNotify($message, $userId, $mode);
        if ($tokenId === null || \WC_Payment_Tokens::get($tokenId) === null) {
            $this->log->error("card save {$ipcOrderId}: the card was not stored; answered 500 (not OK)");
            return new Answer(500, 'not saved');
        }
        $record['token'] = $tokenId;
        $this->put($userId, $record);
        $this->log->info("card save {$ipcOrderId}: card stored for customer {$userId}");
        return new Answer(200, 'OK');
    }

    /** @return list<array<string, mixed>> */
    private static function records(int $userId): array
    {
        $stored = $userId > 0 ? get_user_meta($userId, self::META, true) : [];
        return array_values(array_filter(
            is_array($stored) ? $stored : [],
            static fn ($r): bool => is_array($r) && is_int($r['n'] ?? null) && is_string($r['id'] ?? null)
        ));
    }

    /** @param array<string, mixed> $record */
    private function put(int $userId, array $record): void
    {
        $saves = array_map(
            static fn (array $r): array => $r['n'] === $record['n'] ? $record : $r,
            self::records($userId)
        );
        update_user_meta($userId, self::META, $saves);
    }
}
