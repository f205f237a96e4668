<?php

namespace MyPOS\IPC\WooCommerce;

use MyPOS\IPC\Notification;

/**
 * A customer's saved myPOS cards as WooCommerce payment tokens (WC_Payment_Token_CC): made from
 * the card fields of a verified notify (CardToken, PAN = last four digits, ExpDate YYMM,
 * CardType), each bound to the mode (test or live) whose myPOS issued it: a test token is never
 * offered or charged in live mode, nor the other way round.
 */
final class CardTokens
{
    /** Token meta: 'test' or 'live'. */
    public const MODE_META = 'mypos_ipc_mode';
    /** CardType codes (protocol, "CardType") to WooCommerce's card type names. */
    private const TYPES = [
        '1' => 'mastercard',
        '2' => 'maestro',
        '3' => 'visa',
        '4' => 'visa electron',
        '5' => 'vpay',
        '6' => 'jcb',
        '7' => 'bancontact',
    ];

    /**
     * Saves the card a verified notify carries for $userId, made in $mode; returns the token's
     * id (the existing one when the customer has saved this card already), or null when the
     * notify carries no complete card or the token could not be saved.
     */
    public static function saveFromNotify(Notification $notification, int $userId, string $mode): ?int
    {
        $token = (string) $notification->get('CardToken');
        $last4 = (string) $notification->get('PAN');
        $expiry = (string) $notification->get('ExpDate');
        if ($userId <= 0 || $token === '' || !preg_match('/^\d{4}$/', $last4) || !preg_match('/^\d{4}$/', $expiry)) {
            return null;
        }
        foreach (self::all($userId) as $existing) {
            if ($existing->get_token() === $token) {
                return (int) $existing->get_id();
            }
        }
        $card = new \WC_Payment_Token_CC();
        $card->set_token($token);
        $card->set_gateway_id(Gateway::ID);
        $card->set_user_id($userId);
        $card->set_last4($last4);
        $card->set_expiry_year('20' . substr($expiry, 0, 2));
        $card->set_expiry_month(substr($expiry, 2, 2));
        $card->set_card_type(self::TYPES[(string) $notification->get('CardType')] ?? 'card');
        $card->add_meta_data(self::MODE_META, $mode, true);
        $id = (int) $card->save();
        return $id > 0 ? $id : null;
    }

    /**
     * Every myPOS card of the customer, expired and other-mode ones included (read without the
     * checkout's filter, offerable(), so privacy requests and duplicates see them all).
     *
     * @return list<\WC_Payment_Token_CC>
     */
    public static function all(int $userId): array
    {
        if ($userId <= 0) {
            return [];
        }
        $cards = [];
        $tokens = \WC_Payment_Tokens::get_tokens(['user_id' => $userId, 'gateway_id' => Gateway::ID, 'limit' => 100]);
        foreach ($tokens as $token) {
            if ($token instanceof \WC_Payment_Token_CC) {
                $cards[] = $token;
            }
        }
        return $cards;
    }

    /**
     * The cards the customer can pay with in $mode (not expired).
     *
     * @return list<\WC_Payment_Token_CC>
     */
    public static function usable(int $userId, string $mode): array
    {
        return array_values(array_filter(
            self::all($userId),
            static fn (\WC_Payment_Token_CC $t): bool => self::mode($t) === $mode && !self::isExpired($t)
        ));
    }

    /** The customer's card $tokenId when it can pay in $mode now, else null. */
    public static function find(int $tokenId, int $userId, string $mode): ?\WC_Payment_Token_CC
    {
        foreach (self::usable($userId, $mode) as $card) {
            if ((int) $card->get_id() === $tokenId) {
                return $card;
            }
        }
        return null;
    }

    public static function mode(\WC_Payment_Token_CC $token): ?string
    {
        $mode = $token->get_meta(self::MODE_META);
        return is_string($mode) && isset(Settings::MODES[$mode]) ? $mode : null;
    }

    /** Expired after the last day of its expiry month. */
    public static function isExpired(\WC_Payment_Token_CC $token, ?int $now = null): bool
    {
        $year = (int) $token->get_expiry_year();
        $month = (int) $token->get_expiry_month();
        if ($year < 2000 || $month < 1 || $month > 12) {
            return true;
        }
        $firstAfter = gmmktime(0, 0, 0, $month + 1, 1, $year);
        return ($now ?? time()) >= $firstAfter;
    }

    /**
     * woocommerce_payment_methods_list_item: an expired myPOS card is marked in My Account.
     *
     * @param array<string, mixed> $item
     * @return array<string, mixed>
     */
    public static function markExpired(array $item, $token): array
    {
        $ours = $token instanceof \WC_Payment_Token_CC && $token->get_gateway_id() === Gateway::ID;
        if ($ours && self::isExpired($token)) {
            $item['expires'] = sprintf(
                /* translators: %s: expiry month/year, e.g. 01/20 */
                __('%s (expired)', 'mypos-ipc'),
                (string) ($item['expires'] ?? '')
            );
            $item['mypos_ipc_expired'] = true;
        }
        return $item;
    }

    /**
     * woocommerce_get_customer_payment_tokens: expired myPOS cards and those of the other mode
     * are not offered at checkout (My Account still lists them, marked).
     *
     * @param array<int, mixed> $tokens
     * @return array<int, mixed>
     */
    public static function offerable(array $tokens, int $userId, string $gatewayId): array
    {
        if (function_exists('is_account_page') && is_account_page()) {
            return $tokens;
        }
        $mode = (new Settings())->mode();
        return array_filter($tokens, static function ($token) use ($mode): bool {
            if (!$token instanceof \WC_Payment_Token_CC || $token->get_gateway_id() !== Gateway::ID) {
                return true;
            }
            return $mode !== null && self::mode($token) === $mode && !self::isExpired($token);
        });
    }
}
