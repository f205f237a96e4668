<?php

namespace MyPOS\IPC\WooCommerce;

/**
 * The WooCommerce payment gateway `mypos_ipc`: settings form, payment redirect and refunds.
 * Protocol work is delegated to the mypos_ipc extension through the classes in includes/.
 */
class Gateway extends \WC_Payment_Gateway
{
    public const ID = 'mypos_ipc';
    private const PACK_FIELDS = ['test_config_pack' => 'test', 'live_config_pack' => 'production'];

    public function __construct()
    {
        $this->id = self::ID;
        $this->method_title = __('myPOS IPC', 'mypos-ipc');
        $this->method_description = __(
            'Card payments through myPOS Checkout, verified by the native mypos_ipc extension.',
            'mypos-ipc'
        );
        $this->has_fields = false;
        $this->supports = ['products', 'refunds'];
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
        $secret = __('It is stored encrypted and never shown again.', 'mypos-ipc');
        $this->form_fields = [
            'enabled' => [
                'title' => __('Enable', 'mypos-ipc'),
                'type' => 'checkbox',
                'label' => __('Enable myPOS IPC payments', 'mypos-ipc'),
                'default' => 'no',
            ],
            'title' => [
                'title' => __('Title', 'mypos-ipc'),
                'type' => 'text',
                'default' => __('Card payment (myPOS)', 'mypos-ipc'),
            ],
            'description' => [
                'title' => __('Description', 'mypos-ipc'),
                'type' => 'textarea',
                'default' => __('Pay securely by card on the myPOS payment page.', 'mypos-ipc'),
            ],
            'testmode' => [
                'title' => __('Test mode', 'mypos-ipc'),
                'type' => 'checkbox',
                'label' => __('Use the myPOS test environment', 'mypos-ipc'),
                'default' => 'yes',
            ],
            'test_credentials' => self::credentialsField(__('Test credentials', 'mypos-ipc')),
            'test_config_pack' => [
                'title' => __('Test configuration pack', 'mypos-ipc'),
                'type' => 'mypos_secret',
                'description' => __('Paste the configuration pack of your myPOS test account.', 'mypos-ipc')
                    . ' ' . $secret,
            ],
        ] + self::separateFields('test', $secret) + [
            'test_endpoint_url' => [
                'title' => __('Test endpoint URL', 'mypos-ipc'),
                'type' => 'text',
                'default' => '',
                'description' => __('Empty: the myPOS test endpoint. Development: a local sandbox URL.', 'mypos-ipc'),
            ],
            'live_credentials' => self::credentialsField(__('Live credentials', 'mypos-ipc')),
            'live_config_pack' => [
                'title' => __('Live configuration pack', 'mypos-ipc'),
                'type' => 'mypos_secret',
                'description' => __('Paste the configuration pack of your myPOS account.', 'mypos-ipc') . ' ' . $secret,
            ],
        ] + self::separateFields('live', $secret) + [
            'connection' => [
                'title' => __('Connection', 'mypos-ipc'),
                'type' => 'mypos_connection',
                'description' => __('Save the settings first, then test them against myPOS.', 'mypos-ipc'),
            ],
            'payment_page' => [
                'title' => __('Payment page', 'mypos-ipc'),
                'type' => 'select',
                'default' => '1',
                'options' => [
                    '1' => __('Full payment form', 'mypos-ipc'),
                    '2' => __('Simplified form', 'mypos-ipc'),
                    '3' => __('Card details only', 'mypos-ipc'),
                ],
            ],
            'payment_methods' => [
                'title' => __('Payment methods', 'mypos-ipc'),
                'type' => 'select',
                'default' => '1',
                'options' => [
                    '1' => __('Card', 'mypos-ipc'),
                    '2' => __('iDEAL', 'mypos-ipc'),
                    '3' => __('Card and iDEAL', 'mypos-ipc'),
                ],
            ],
            'language' => [
                'title' => __('Payment page language', 'mypos-ipc'),
                'type' => 'select',
                'default' => 'en',
                'options' => [
                    'en' => 'English', 'bg' => 'Български', 'de' => 'Deutsch', 'fr' => 'Français',
                    'it' => 'Italiano', 'es' => 'Español', 'nl' => 'Nederlands', 'ro' => 'Română',
                ],
            ],
            'logging' => [
                'title' => __('Logging level', 'mypos-ipc'),
                'type' => 'select',
                'default' => 'error',
                'options' => [
                    'error' => __('Errors', 'mypos-ipc'),
                    'warning' => __('Warnings', 'mypos-ipc'),
                    'info' => __('Info', 'mypos-ipc'),
                    'debug' => __('Debug', 'mypos-ipc'),
                ],
            ],
        ];
    }

    /**
     * @return array<string, mixed>
     */
    private static function credentialsField(string $title): array
    {
        return [
            'title' => $title,
            'type' => 'select',
            'default' => 'pack',
            'options' => [
                'pack' => __('Configuration pack', 'mypos-ipc'),
                'fields' => __('Separate fields (SID, wallet, key index, keys)', 'mypos-ipc'),
            ],
        ];
    }

    /**
     * The separate-field credentials of one mode ('test' or 'live').
     *
     * @return array<string, array<string, mixed>>
     */
    private static function separateFields(string $mode, string $secret): array
    {
        $label = $mode === 'test' ? __('Test', 'mypos-ipc') : __('Live', 'mypos-ipc');
        $field = static fn (string $title, string $type, string $description = ''): array => [
            /* translators: 1: "Test" or "Live", 2: field name */
            'title' => sprintf(__('%1$s: %2$s', 'mypos-ipc'), $label, $title),
            'type' => $type,
            'default' => '',
            'description' => $description,
        ];
        return [
            $mode . '_sid' => $field(__('SID', 'mypos-ipc'), 'text', __('Store ID, 15 characters.', 'mypos-ipc')),
            $mode . '_wallet' => $field(__('Wallet number', 'mypos-ipc'), 'text', __('11 digits.', 'mypos-ipc')),
            $mode . '_key_index' => $field(__('Key index', 'mypos-ipc'), 'text'),
            $mode . '_private_key' => $field(
                __('Merchant private key (PEM)', 'mypos-ipc'),
                'mypos_private_key',
                $secret
            ),
            $mode . '_mypos_certificate' => $field(__('myPOS certificate (PEM)', 'mypos-ipc'), 'textarea'),
        ];
    }

    /**
     * A private key field: an empty textarea; only whether a key is stored is shown.
     *
     * @param array<string, mixed> $data
     */
    // phpcs:ignore PSR1.Methods.CamelCapsMethodName.NotCamelCaps -- WooCommerce API name
    public function generate_mypos_private_key_html(string $key, array $data): string
    {
        $stored = (string) ($this->settings[$key] ?? '') !== '';
        $data['description'] = trim((string) ($data['description'] ?? '') . ' ' . ($stored
            ? __('A private key is stored. Paste a new one to replace it.', 'mypos-ipc')
            : __('No private key stored.', 'mypos-ipc')));
        return $this->secretTextarea($key, $data, '');
    }

    /**
     * Empty input keeps the stored private key; a new one is sealed. The set is checked as a
     * whole in process_admin_options().
     */
    // phpcs:ignore PSR1.Methods.CamelCapsMethodName.NotCamelCaps -- WooCommerce API name
    public function validate_mypos_private_key_field(string $key, ?string $value): string
    {
        $value = trim(wp_unslash((string) $value));
        return $value === '' ? (string) ($this->settings[$key] ?? '') : SecretBox::seal($value);
    }

    /**
     * Saves the form, then refuses (keeps the previous values of) each mode's separate-field
     * credentials that do not make a usable configuration, with an error saying why.
     */
    // phpcs:ignore PSR1.Methods.CamelCapsMethodName.NotCamelCaps -- WooCommerce API name
    public function process_admin_options(): bool
    {
        $before = get_option($this->get_option_key(), []);
        $before = is_array($before) ? $before : [];
        $saved = parent::process_admin_options();
        $refused = false;
        foreach (array_keys(Settings::MODES) as $mode) {
            $problem = (new Settings($this->settings))->fieldsProblem($mode);
            if ($problem === null) {
                continue;
            }
            \WC_Admin_Settings::add_error($problem);
            foreach (array_merge(['credentials'], Settings::FIELDS) as $field) {
                $this->settings[$mode . '_' . $field] = $before[$mode . '_' . $field] ?? '';
            }
            $refused = true;
        }
        return $refused ? update_option($this->get_option_key(), $this->settings) : $saved;
    }

    /**
     * A secret field: an empty textarea (the stored value is never rendered back).
     *
     * @param array<string, mixed> $data
     */
    // phpcs:ignore PSR1.Methods.CamelCapsMethodName.NotCamelCaps -- WooCommerce API name
    public function generate_mypos_secret_html(string $key, array $data): string
    {
        $info = (new Settings($this->settings))->packInfo($key);
        $status = $info === null
            ? __('No configuration stored.', 'mypos-ipc')
            : sprintf(
                /* translators: 1: SID, 2: wallet number, 3: key index */
                __('Stored: SID %1$s, wallet %2$s, key index %3$s. Paste a new pack to replace it.', 'mypos-ipc'),
                (string) $info['sid'],
                (string) $info['wallet'],
                (string) $info['key_index']
            );
        return $this->secretTextarea($key, $data, $status);
    }

    /**
     * @param array<string, mixed> $data
     */
    private function secretTextarea(string $key, array $data, string $status): string
    {
        $field = $this->get_field_key($key);
        return sprintf(
            '<tr valign="top"><th scope="row" class="titledesc"><label for="%1$s">%2$s</label></th>'
            . '<td class="forminp"><textarea id="%1$s" name="%1$s" rows="4" cols="60" autocomplete="off"></textarea>'
            . '<p class="description">%3$s</p><p class="description">%4$s</p></td></tr>',
            esc_attr($field),
            esc_html((string) ($data['title'] ?? '')),
            esc_html((string) ($data['description'] ?? '')),
            esc_html($status)
        );
    }

    /**
     * The "Test connection" button (a link to admin-post.php; nothing is stored).
     *
     * @param array<string, mixed> $data
     */
    // phpcs:ignore PSR1.Methods.CamelCapsMethodName.NotCamelCaps -- WooCommerce API name
    public function generate_mypos_connection_html(string $key, array $data): string
    {
        return sprintf(
            '<tr valign="top"><th scope="row" class="titledesc">%1$s</th><td class="forminp">'
            . '<a class="button" href="%2$s">%3$s</a><p class="description">%4$s</p></td></tr>',
            esc_html((string) ($data['title'] ?? '')),
            esc_url(Plugin::testConnectionUrl()),
            esc_html__('Test connection', 'mypos-ipc'),
            esc_html((string) ($data['description'] ?? ''))
        );
    }

    // phpcs:ignore PSR1.Methods.CamelCapsMethodName.NotCamelCaps -- WooCommerce API name
    public function validate_connection_field(string $key, ?string $value): string
    {
        return '';
    }

    // phpcs:ignore PSR1.Methods.CamelCapsMethodName.NotCamelCaps -- WooCommerce API name
    public function validate_test_config_pack_field(string $key, ?string $value): string
    {
        return $this->validatePack($key, $value);
    }

    // phpcs:ignore PSR1.Methods.CamelCapsMethodName.NotCamelCaps -- WooCommerce API name
    public function validate_live_config_pack_field(string $key, ?string $value): string
    {
        return $this->validatePack($key, $value);
    }

    /** Empty input keeps the stored pack; a new one is validated and sealed, or refused. */
    private function validatePack(string $key, ?string $value): string
    {
        $stored = (string) ($this->settings[$key] ?? '');
        $value = trim(wp_unslash((string) $value));
        if ($value === '') {
            return $stored;
        }
        $endpoint = self::PACK_FIELDS[$key] ?? 'test';
        try {
            return Settings::sealPack($value, $endpoint);
        } catch (\InvalidArgumentException $e) {
            \WC_Admin_Settings::add_error($e->getMessage());
            return $stored;
        }
    }

    // phpcs:ignore PSR1.Methods.CamelCapsMethodName.NotCamelCaps -- WooCommerce API name
    public function is_available(): bool
    {
        return parent::is_available()
            && Plugin::extensionProblem() === null
            && Money::isSupported(get_woocommerce_currency())
            && (new Settings($this->settings))->config() !== null;
    }

    /**
     * @return array{result: string, redirect?: string}
     */
    // phpcs:ignore PSR1.Methods.CamelCapsMethodName.NotCamelCaps -- WooCommerce API name
    public function process_payment($order_id): array
    {
        $order = wc_get_order($order_id);
        return $order instanceof \WC_Order
            ? ['result' => 'success', 'redirect' => $order->get_checkout_payment_url(true)]
            : ['result' => 'failure'];
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
        $config = $settings->config();
        if ($config === null) {
            return esc_html__('This payment method is not configured.', 'mypos-ipc');
        }
        $request = (new PurchaseForm($settings))->build($config, $order, WC()->api_request_url(self::ID));
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
        $settings = new Settings($this->settings);
        $config = $settings->config();
        if (!$order instanceof \WC_Order || $config === null) {
            $message = __('The order or the myPOS configuration is missing.', 'mypos-ipc');
            return new \WP_Error('mypos_ipc_refund', $message);
        }
        try {
            $minor = Money::toMinor($amount ?? $order->get_total(), $order->get_currency());
        } catch (\MyPOS\IPC\Exception $e) {
            return new \WP_Error('mypos_ipc_refund', $e->getMessage());
        }
        return (new Refunds(new Log($settings->logLevel())))->refund($config, $order, $minor, (string) $reason);
    }
}
