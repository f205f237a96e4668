<?php

namespace MyPOS\IPC\WooCommerce;

/**
 * The gateway's settings page: the form fields, the secret and connection fields WooCommerce's
 * Settings API renders through the gateway, and what is kept, sealed or refused on save. Reading
 * the saved settings is Settings'; the gateway only forwards the Settings API's calls here.
 */
final class SettingsPage
{
    /** Configuration-pack fields => the endpoint their pack is validated for. */
    private const PACK_ENDPOINTS = ['test_config_pack' => 'test', 'live_config_pack' => 'production'];

    /**
     * @param \WC_Settings_API $gateway the gateway whose settings this page edits
     */
    public function __construct(private \WC_Settings_API $gateway)
    {
    }

    /**
     * The form fields (WooCommerce Settings API), keyed by option name.
     *
     * @return array<string, array<string, mixed>>
     */
    public function fields(): array
    {
        $secret = __('It is stored encrypted and never shown again.', 'mypos-ipc');
        return [
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
                'description' => sprintf(
                    __(
                        /* translators: %s: URL of WooCommerce's log screen for the source mypos-ipc */
                        'Written to WooCommerce\'s log, source mypos-ipc (<a href="%s">view the log</a>).'
                        . ' Debug adds a line for each notify and each call to myPOS;'
                        . ' keys and card tokens are never logged.',
                        'mypos-ipc'
                    ),
                    esc_url(admin_url('admin.php?page=wc-status&tab=logs&source=mypos-ipc'))
                ),
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
    public function privateKeyHtml(string $key, array $data): string
    {
        $stored = (string) ($this->gateway->settings[$key] ?? '') !== '';
        $data['description'] = trim((string) ($data['description'] ?? '') . ' ' . ($stored
            ? __('A private key is stored. Paste a new one to replace it.', 'mypos-ipc')
            : __('No private key stored.', 'mypos-ipc')));
        return $this->secretTextarea($key, $data, '');
    }

    /**
     * Empty input keeps the stored private key; a new one is sealed. The set is checked as a
     * whole in process_admin_options().
     */
    public function privateKeyValue(string $key, ?string $value): string
    {
        $value = trim(wp_unslash((string) $value));
        return $value === '' ? (string) ($this->gateway->settings[$key] ?? '') : SecretBox::seal($value);
    }

    /**
     * After WooCommerce saved the form: refuses (puts back the previous values of) each mode's
     * separate-field credentials that do not make a usable configuration, with an error saying
     * why. Returns whether anything was put back (the settings must then be stored again).
     *
     * @param array<string, mixed> $before the settings as stored before the save
     */
    public function refuseUnusableFields(array $before): bool
    {
        $refused = false;
        foreach (array_keys(Settings::MODES) as $mode) {
            $problem = (new Settings($this->gateway->settings))->fieldsProblem($mode);
            if ($problem === null) {
                continue;
            }
            \WC_Admin_Settings::add_error($problem);
            foreach (array_merge(['credentials'], Settings::FIELDS) as $field) {
                $this->gateway->settings[$mode . '_' . $field] = $before[$mode . '_' . $field] ?? '';
            }
            $refused = true;
        }
        return $refused;
    }

    /**
     * A secret field: an empty textarea (the stored value is never rendered back).
     *
     * @param array<string, mixed> $data
     */
    public function packHtml(string $key, array $data): string
    {
        $info = (new Settings($this->gateway->settings))->packInfo($key);
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
        $field = $this->gateway->get_field_key($key);
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
    public function connectionHtml(string $key, array $data): string
    {
        return sprintf(
            '<tr valign="top"><th scope="row" class="titledesc">%1$s</th><td class="forminp">'
            . '<a class="button" href="%2$s">%3$s</a><p class="description">%4$s</p></td></tr>',
            esc_html((string) ($data['title'] ?? '')),
            esc_url(ConnectionTest::url()),
            esc_html__('Test connection', 'mypos-ipc'),
            esc_html((string) ($data['description'] ?? ''))
        );
    }

    /** Empty input keeps the stored pack; a new one is validated and sealed, or refused. */
    public function packValue(string $key, ?string $value): string
    {
        $stored = (string) ($this->gateway->settings[$key] ?? '');
        $value = trim(wp_unslash((string) $value));
        if ($value === '') {
            return $stored;
        }
        $endpoint = self::PACK_ENDPOINTS[$key] ?? 'test';
        try {
            return Settings::sealPack($value, $endpoint);
        } catch (\InvalidArgumentException $e) {
            \WC_Admin_Settings::add_error($e->getMessage());
            return $stored;
        }
    }
}
