<?php

namespace MyPOS\IPC\WooCommerce;

/**
 * The WooCommerce payment gateway `mypos_ipc`: availability, the payment redirect and refunds.
 * Its settings page is SettingsPage (the Settings API's calls are forwarded there); protocol
 * work is delegated to the mypos_ipc extension through the classes in includes/.
 */
class Gateway extends \WC_Payment_Gateway
{
    public const ID = 'mypos_ipc';
    /** Order meta: 'yes' when the buyer asked to save the card with this payment. */
    public const SAVE_CARD_META = '_mypos_ipc_save_card';
    /** The wc-api endpoint that shows the store-only form of "Add payment method". */
    public const ADD_CARD_API = 'mypos_ipc_add_card';

    private ?SettingsPage $settingsPage = null;

    public function __construct()
    {
        $this->id = self::ID;
        $this->method_title = __('myPOS IPC', 'mypos-ipc');
        $this->method_description = __(
            'Card payments through myPOS Checkout, verified by the native mypos_ipc extension.',
            'mypos-ipc'
        );
        $this->has_fields = true;
        $this->icon = Mark::url();
        $this->supports = array_merge(
            ['products', 'refunds', 'tokenization', 'add_payment_method'],
            Subscriptions::SUPPORTS
        );
        $this->init_form_fields();
        $this->init_settings();
        $this->title = (string) $this->get_option('title');
        $this->description = (string) $this->get_option('description');
        $this->enabled = (string) $this->get_option('enabled');
        add_action('woocommerce_update_options_payment_gateways_' . $this->id, [$this, 'process_admin_options']);
        add_action('woocommerce_receipt_' . $this->id, [$this, 'receiptPage']);
    }

    // phpcs:ignore PSR1.Methods.CamelCapsMethodName.NotCamelCaps -- WooCommerce API name
    public function init_form_fields(): void
    {
        $this->form_fields = $this->settingsPage()->fields();
    }

    /**
     * The settings page (built on first use: WooCommerce builds the gateway on every request).
     */
    private function settingsPage(): SettingsPage
    {
        return $this->settingsPage ??= new SettingsPage($this);
    }

    /**
     * Saves the form, then refuses the separate-field credentials that make no usable
     * configuration (SettingsPage::refuseUnusableFields()).
     */
    // phpcs:ignore PSR1.Methods.CamelCapsMethodName.NotCamelCaps -- WooCommerce API name
    public function process_admin_options(): bool
    {
        $before = get_option($this->get_option_key(), []);
        $saved = parent::process_admin_options();
        $rotated = $this->settingsPage()->applyRotation();
        $refused = $this->settingsPage()->refuseUnusableFields(is_array($before) ? $before : []);
        $refused = $this->settingsPage()->refuseEnablingUnconfigured() || $refused;
        return $refused || $rotated ? update_option($this->get_option_key(), $this->settings) : $saved;
    }

    // The Settings API calls generate_{type}_html() and validate_{key}_field() on the gateway.

    /**
     * @param array<string, mixed> $data
     */
    // phpcs:ignore PSR1.Methods.CamelCapsMethodName.NotCamelCaps -- WooCommerce API name
    public function generate_mypos_private_key_html(string $key, array $data): string
    {
        return $this->settingsPage()->privateKeyHtml($key, $data);
    }

    // phpcs:ignore PSR1.Methods.CamelCapsMethodName.NotCamelCaps -- WooCommerce API name
    public function validate_mypos_private_key_field(string $key, ?string $value): string
    {
        return $this->settingsPage()->privateKeyValue($key, $value);
    }

    /**
     * @param array<string, mixed> $data
     */
    // phpcs:ignore PSR1.Methods.CamelCapsMethodName.NotCamelCaps -- WooCommerce API name
    public function generate_mypos_secret_html(string $key, array $data): string
    {
        return $this->settingsPage()->packHtml($key, $data);
    }

    /**
     * @param array<string, mixed> $data
     */
    // phpcs:ignore PSR1.Methods.CamelCapsMethodName.NotCamelCaps -- WooCommerce API name
    public function generate_mypos_connection_html(string $key, array $data): string
    {
        return $this->settingsPage()->connectionHtml($key, $data);
    }

    // phpcs:ignore PSR1.Methods.CamelCapsMethodName.NotCamelCaps -- WooCommerce API name
    public function validate_connection_field(string $key, ?string $value): string
    {
        return '';
    }

    /**
     * @param array<string, mixed> $data
     */
    // phpcs:ignore PSR1.Methods.CamelCapsMethodName.NotCamelCaps -- WooCommerce API name
    public function generate_mypos_health_html(string $key, array $data): string
    {
        return $this->settingsPage()->healthHtml($key, $data);
    }

    // phpcs:ignore PSR1.Methods.CamelCapsMethodName.NotCamelCaps -- WooCommerce API name
    public function validate_health_field(string $key, ?string $value): string
    {
        return '';
    }

    // phpcs:ignore PSR1.Methods.CamelCapsMethodName.NotCamelCaps -- WooCommerce API name
    public function validate_order_prefix_field(string $key, ?string $value): string
    {
        return $this->settingsPage()->orderPrefixValue($key, $value);
    }

    // phpcs:ignore PSR1.Methods.CamelCapsMethodName.NotCamelCaps -- WooCommerce API name
    public function validate_test_config_pack_field(string $key, ?string $value): string
    {
        return $this->settingsPage()->packValue($key, $value);
    }

    // phpcs:ignore PSR1.Methods.CamelCapsMethodName.NotCamelCaps -- WooCommerce API name
    public function validate_live_config_pack_field(string $key, ?string $value): string
    {
        return $this->settingsPage()->packValue($key, $value);
    }

    /** The next configuration packs (key rotation); the current ones have their own validator. */
    // phpcs:ignore PSR1.Methods.CamelCapsMethodName.NotCamelCaps -- WooCommerce API name
    public function validate_mypos_secret_field(string $key, ?string $value): string
    {
        return $this->settingsPage()->packValue($key, $value);
    }

    // phpcs:ignore PSR1.Methods.CamelCapsMethodName.NotCamelCaps -- WooCommerce API name
    public function is_available(): bool
    {
        return parent::is_available()
            && Extension::problem() === null
            && Money::isSupported(get_woocommerce_currency())
            && (new Settings($this->settings))->signingConfig() !== null; // hidden while the key cannot be opened
    }

    /**
     * The description, then for a logged-in buyer the saved cards and "Save this card"
     * (WooCommerce's own tokenization fields).
     */
    // phpcs:ignore PSR1.Methods.CamelCapsMethodName.NotCamelCaps -- WooCommerce API name
    public function payment_fields(): void
    {
        if ($this->description !== '') {
            echo wpautop(wp_kses_post($this->description)); // phpcs:ignore -- escaped by wp_kses_post
        }
        if ($this->supports('tokenization') && is_checkout() && is_user_logged_in()) {
            $this->tokenization_script();
            $this->saved_payment_methods();
            $this->save_payment_method_checkbox();
        }
    }

    /**
     * A saved card is charged here (after 3-D Secure); otherwise the buyer goes to the pay page
     * and myPOS, saving the card when asked.
     *
     * @return array{result: string, redirect?: string}
     */
    // phpcs:ignore PSR1.Methods.CamelCapsMethodName.NotCamelCaps -- WooCommerce API name
    public function process_payment($order_id): array
    {
        $order = wc_get_order($order_id);
        if (!$order instanceof \WC_Order) {
            return ['result' => 'failure'];
        }
        $choice = CheckoutChoice::fromPost($_POST); // phpcs:ignore -- WooCommerce checked the checkout nonce
        $userId = get_current_user_id();
        if (function_exists('wcs_is_subscription') && wcs_is_subscription($order)) {
            return $this->changeSubscriptionCard($order, $choice->tokenId, $userId);
        }
        $settings = new Settings($this->settings);
        if ((new TokenCharge(new Log($settings->logLevel())))->settle($order, $settings)) {
            // An earlier saved-card charge without an answer did go through.
            return ['result' => 'success', 'redirect' => $order->get_checkout_order_received_url()];
        }
        if ($choice->tokenId !== null) {
            return (new SavedCardPayment($settings, new Log($settings->logLevel()), new OrderGate()))
                ->start($order, $choice->tokenId, $userId);
        }
        if ($choice->saveCard && $userId > 0 && $order->get_customer_id() === $userId) {
            $order->update_meta_data(self::SAVE_CARD_META, 'yes');
            $order->save();
        }
        return ['result' => 'success', 'redirect' => $order->get_checkout_payment_url(true)];
    }

    /**
     * The customer changes the card a subscription renews with: one of their saved cards usable
     * now (a new card is added in My Account → Payment methods first; nothing is charged here).
     *
     * @return array{result: string, redirect?: string}
     */
    private function changeSubscriptionCard(\WC_Order $subscription, ?int $tokenId, int $userId): array
    {
        $mode = (string) (new Settings($this->settings))->mode();
        $usable = $tokenId !== null && $subscription->get_customer_id() === $userId
            && CardTokens::find($tokenId, $userId, $mode) !== null;
        if (!$usable) {
            $message = __(
                'Choose one of your saved cards, or add the card in My Account → Payment methods first.',
                'mypos-ipc'
            );
            wc_add_notice($message, 'error');
            return ['result' => 'failure'];
        }
        $subscription->update_meta_data(Subscriptions::CARD_META, $tokenId);
        $subscription->save();
        return ['result' => 'success', 'redirect' => $subscription->get_view_order_url()];
    }

    /**
     * My Account → Add payment method: the buyer goes to myPOS to store a card without paying
     * (the ADD_CARD_API endpoint shows the signed form).
     *
     * @return array{result: string, redirect?: string}
     */
    // phpcs:ignore PSR1.Methods.CamelCapsMethodName.NotCamelCaps -- WooCommerce API name
    public function add_payment_method(): array
    {
        if (get_current_user_id() <= 0 || (new Settings($this->settings))->signingConfig() === null) {
            wc_add_notice(__('Cards cannot be added right now.', 'mypos-ipc'), 'error');
            return ['result' => 'failure'];
        }
        $url = wp_nonce_url(WC()->api_request_url(self::ADD_CARD_API), self::ADD_CARD_API);
        return ['result' => 'success', 'redirect' => $url];
    }

    /** The auto-submitting store-only form for the logged-in customer ('' when none can be made). */
    public function addCardForm(): string
    {
        $settings = new Settings($this->settings);
        $mode = $settings->mode();
        $config = $settings->signingConfig($mode);
        $userId = get_current_user_id();
        if ($mode === null || $config === null || $userId <= 0) {
            return '';
        }
        try {
            $request = (new CardSaves($settings, new Log($settings->logLevel())))
                ->form($config, $userId, $mode, WC()->api_request_url(self::ID));
        } catch (\MyPOS\IPC\Exception $e) {
            (new Log($settings->logLevel()))->error('card form not made: ' . $e->getMessage());
            return '';
        }
        return $request->htmlFormEmbedded('mypos-ipc-add-card', __('Continue to myPOS', 'mypos-ipc'));
    }

    public function receiptPage(int $orderId): void
    {
        $order = wc_get_order($orderId);
        if ($order instanceof \WC_Order) {
            echo $this->paymentForm($order); // phpcs:ignore -- HTML built and escaped by the extension
        }
    }

    /**
     * The auto-submitting myPOS form, shown inside the order-pay page: the core's embeddable form,
     * which submits itself by its id (a theme's own forms on the page are left alone).
     */
    public function paymentForm(\WC_Order $order): string
    {
        $settings = new Settings($this->settings);
        $mode = $settings->mode();
        $config = $settings->signingConfig($mode);
        if ($mode === null || $config === null) {
            return esc_html__('This payment method is not configured.', 'mypos-ipc');
        }
        try {
            $notifyUrl = WC()->api_request_url(self::ID);
            $request = (new PurchaseForm($settings))->forAttempt($config, $order, $mode, $notifyUrl);
        } catch (\LengthException | \MyPOS\IPC\Exception $e) {
            (new Log($settings->logLevel()))
                ->error('payment form for order ' . $order->get_id() . ' not made: ' . $e->getMessage());
            return esc_html__('This order cannot be paid online any more; please contact the shop.', 'mypos-ipc');
        }
        return $request->htmlFormEmbedded('mypos-ipc-payment', __('Continue to payment', 'mypos-ipc'));
    }

    /**
     * @param int $order_id
     * @param float|string|null $amount
     * @param string $reason
     */
    // phpcs:ignore PSR1.Methods.CamelCapsMethodName.NotCamelCaps -- WooCommerce API name
    public function process_refund($order_id, $amount = null, $reason = ''): bool|\WP_Error
    {
        $order = wc_get_order($order_id);
        if (!$order instanceof \WC_Order) {
            return new \WP_Error('mypos_ipc_refund', __('The order is missing.', 'mypos-ipc'));
        }
        $settings = new Settings($this->settings);
        // The private key of the order's mode is needed to sign; while it cannot be opened,
        // refunds pause with the notice that says why.
        $paused = $settings->keyNotice(OrderPayment::mode($order, $settings));
        if ($paused !== null) {
            return new \WP_Error('mypos_ipc_refund', $paused);
        }
        try {
            $minor = Money::toMinor($amount ?? $order->get_total(), $order->get_currency());
        } catch (\MyPOS\IPC\Exception $e) {
            return new \WP_Error('mypos_ipc_refund', $e->getMessage());
        }
        // The configuration is the one of the mode the order was paid in (Refunds).
        $refunds = new Refunds($settings, new Log($settings->logLevel()), new OrderGate());
        return $refunds->refund($order, $minor, (string) $reason);
    }
}
