<?php

// phpcs:ignoreFile -- test stand-ins keep WordPress/WooCommerce/Subscriptions names and layout.
/**
 * Stand-ins for saved cards (WC_Payment_Token_CC, WC_Payment_Tokens), the logged-in customer
 * and user meta, and small stand-ins for WooCommerce Subscriptions (WC_Subscription and the
 * wcs_* functions the plug-in calls). State in Stub::$options like the rest of the stubs:
 * '_tokens' (id => token), '_user' (the logged-in user id), '_user_meta', '_subscriptions'.
 */

class WC_Payment_Token_CC
{
    private int $id = 0;
    private array $data = ['token' => '', 'gateway_id' => '', 'user_id' => 0, 'last4' => '', 'expiry_year' => '', 'expiry_month' => '', 'card_type' => '', 'is_default' => false];
    private array $meta = [];

    public function get_id(): int { return $this->id; }
    public function set_token(string $v): void { $this->data['token'] = $v; }
    public function get_token(): string { return $this->data['token']; }
    public function set_gateway_id(string $v): void { $this->data['gateway_id'] = $v; }
    public function get_gateway_id(): string { return $this->data['gateway_id']; }
    public function set_user_id(int $v): void { $this->data['user_id'] = $v; }
    public function get_user_id(): int { return $this->data['user_id']; }
    public function set_last4(string $v): void { $this->data['last4'] = $v; }
    public function get_last4(): string { return $this->data['last4']; }
    public function set_expiry_year(string $v): void { $this->data['expiry_year'] = $v; }
    public function get_expiry_year(): string { return $this->data['expiry_year']; }
    public function set_expiry_month(string $v): void { $this->data['expiry_month'] = $v; }
    public function get_expiry_month(): string { return $this->data['expiry_month']; }
    public function set_card_type(string $v): void { $this->data['card_type'] = $v; }
    public function get_card_type(): string { return $this->data['card_type']; }
    public function set_default(bool $v): void { $this->data['is_default'] = $v; }
    public function is_default(): bool { return $this->data['is_default']; }
    public function add_meta_data(string $key, $value, bool $unique = false): void { $this->meta[$key] = $value; }
    public function get_meta(string $key, bool $single = true) { return $this->meta[$key] ?? ''; }
    /** As WC_Payment_Token::get_display_name(): type and last four only. */
    public function get_display_name(): string { return ucfirst($this->data['card_type']) . ' ending in ' . $this->data['last4']; }
    /** As WooCommerce: validates (token, last4, expiry) then stores; returns the id. */
    public function save(): int
    {
        if ($this->data['token'] === '' || !preg_match('/^\d{4}$/', $this->data['last4']) || $this->data['expiry_year'] === '' || $this->data['expiry_month'] === '') {
            return 0;
        }
        if ($this->id === 0) {
            $this->id = ($options = array_keys(Stub::$options['_tokens'] ?? [])) === [] ? 1 : max($options) + 1;
        }
        Stub::$options['_tokens'][$this->id] = clone $this;
        return $this->id;
    }
}

final class WC_Payment_Tokens
{
    /** As WooCommerce, then the woocommerce_get_customer_payment_tokens filter. */
    public static function get_customer_tokens(int $userId, string $gatewayId = ''): array
    {
        $out = [];
        foreach (Stub::$options['_tokens'] ?? [] as $id => $token) {
            if ($token->get_user_id() === $userId && ($gatewayId === '' || $token->get_gateway_id() === $gatewayId)) {
                $out[$id] = clone $token;
            }
        }
        return apply_filters('woocommerce_get_customer_payment_tokens', $out, $userId, $gatewayId);
    }
    /** As WooCommerce: by user_id and gateway_id, no filter. */
    public static function get_tokens(array $args): array
    {
        $out = [];
        foreach (Stub::$options['_tokens'] ?? [] as $id => $token) {
            if ((!isset($args['user_id']) || $token->get_user_id() === $args['user_id'])
                && (!isset($args['gateway_id']) || $token->get_gateway_id() === $args['gateway_id'])) {
                $out[$id] = clone $token;
            }
        }
        return $out;
    }
    public static function get(int $id): ?WC_Payment_Token_CC
    {
        return isset(Stub::$options['_tokens'][$id]) ? clone Stub::$options['_tokens'][$id] : null;
    }
    public static function delete(int $id): void { unset(Stub::$options['_tokens'][$id]); }
}

function get_current_user_id(): int { return (int) (Stub::$options['_user'] ?? 0); }
function is_user_logged_in(): bool { return get_current_user_id() > 0; }
function is_checkout(): bool { return true; }
function is_account_page(): bool { return !empty(Stub::$options['_account_page']); }
function get_user_meta(int $userId, string $key = '', bool $single = false) { return Stub::$options['_user_meta'][$userId][$key] ?? ''; }
function update_user_meta(int $userId, string $key, $value): bool { Stub::$options['_user_meta'][$userId][$key] = $value; return true; }
function wpautop(string $text): string { return '<p>' . $text . '</p>'; }
function _n(string $single, string $plural, int $number, string $domain = 'default'): string { return $number === 1 ? __($single, $domain) : __($plural, $domain); }
function wp_verify_nonce(string $nonce, string $action) { return $nonce === md5($action) ? 1 : false; }
function wc_get_account_endpoint_url(string $endpoint): string { return 'https://shop.test/my-account/' . $endpoint . '/'; }

/** WooCommerce Subscriptions: a subscription is an order with a customer and its own meta. */
class WC_Subscription extends WC_Order
{
    public array $orderIds = [];
}
/** The subscriptions an order started or renews (Stub::$options['_subscriptions'][order id]). */
function wcs_get_subscriptions_for_order($order, array $args = []): array
{
    $id = is_object($order) ? $order->get_id() : (int) $order;
    $out = [];
    foreach (Stub::$options['_subscriptions'] ?? [] as $subscription) {
        if (in_array($id, $subscription->orderIds, true)) {
            $saved = Stub::$orders[$subscription->get_id()] ?? $subscription;
            $saved->orderIds = $subscription->orderIds;
            $out[$subscription->get_id()] = $saved;
        }
    }
    return $out;
}
function wcs_get_subscriptions_for_renewal_order($order): array { return wcs_get_subscriptions_for_order($order); }
function wcs_order_contains_subscription($order, $types = ['parent', 'resubscribe', 'switch']): bool { return wcs_get_subscriptions_for_order($order) !== []; }
function wcs_is_subscription($thing): bool { return $thing instanceof WC_Subscription; }
