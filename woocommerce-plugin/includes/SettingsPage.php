<?php

namespace MyPOS\IPC\WooCommerce;

// phpcs:disable Generic.Files.LineLength.TooLong -- a translatable sentence stays on one line

/**
 * The gateway's settings page: the form fields, the secret and connection fields WooCommerce's
 * Settings API renders through the gateway, and what is kept, sealed or refused on save. Reading
 * the saved settings is Settings'; the gateway only forwards the Settings API's calls here.
 */
final class SettingsPage
{
    /** Configuration-pack fields => [mode, the stored entry they fill]. */
    private const PACK_FIELDS = [
        'test_config_pack' => ['test', 'test_pack'],
        'test_next_config_pack' => ['test', 'test_standby'],
        'live_config_pack' => ['live', 'live_pack'],
        'live_next_config_pack' => ['live', 'live_standby'],
    ];

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
            // No default: the owner chooses, so public test credentials never "pay" a live store
            // unnoticed (stored values: 'yes' test, 'no' live, as the former checkbox stored).
            'testmode' => [
                'title' => __('Mode', 'mypos-ipc'),
                'type' => 'select',
                'default' => '',
                'options' => [
                    '' => __('Choose test or live', 'mypos-ipc'),
                    'yes' => __('Test: the myPOS test environment, no real money', 'mypos-ipc'),
                    'no' => __('Live: real payments', 'mypos-ipc'),
                ],
                'description' => implode(' ', [
                    __('New payments use this mode; every order keeps the mode it was paid in.', 'mypos-ipc'),
                    __('Refunds and checks of older test orders still go to the test environment.', 'mypos-ipc'),
                ]),
            ],
            'order_prefix' => [
                'title' => __('OrderID prefix', 'mypos-ipc'),
                'type' => 'text',
                'default' => '',
                'placeholder' => Settings::prefixFromUrl(home_url('/')),
                'description' => implode(' ', [
                    __('Starts every OrderID sent to myPOS: prefix-order number-attempt, e.g. shop-123-1.', 'mypos-ipc'),
                    __('Letters and digits, starting with a letter, at most 32.', 'mypos-ipc'),
                    __(
                        'Empty: made from this site\'s address, so a staging copy never collides with the live shop.',
                        'mypos-ipc'
                    ),
                ]),
            ],
            'secret_key' => self::secretKeyField(),
            'test_credentials' => self::credentialsField(__('Test credentials', 'mypos-ipc')),
            'test_config_pack' => [
                'title' => __('Test configuration pack', 'mypos-ipc'),
                'type' => 'mypos_secret',
                'description' => __('Paste the configuration pack of your myPOS test account.', 'mypos-ipc')
                    . ' ' . $secret,
            ],
        ] + self::rotationFields('test', $secret) + self::separateFields('test', $secret) + [
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
        ] + self::rotationFields('live', $secret) + self::separateFields('live', $secret) + [
            'connection' => [
                'title' => __('Connection', 'mypos-ipc'),
                'type' => 'mypos_connection',
                'description' => __('Save the settings first, then test them against myPOS.', 'mypos-ipc'),
            ],
            'health' => [
                'title' => __('Health', 'mypos-ipc'),
                'type' => 'mypos_health',
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
            'payment_action' => [
                'title' => __('Payment action', 'mypos-ipc'),
                'type' => 'select',
                'default' => Authorizations::CHARGE,
                'options' => [
                    Authorizations::CHARGE => __('Charge at checkout', 'mypos-ipc'),
                    Authorizations::AUTHORIZE => __('Authorize only: capture from the order later', 'mypos-ipc'),
                ],
                'description' => __('Authorize only holds the amount on the card; capture it (in full or in part) or release it from the order.', 'mypos-ipc'),
            ],
            'capture_on_status' => [
                'title' => __('Capture automatically', 'mypos-ipc'),
                'type' => 'checkbox',
                'label' => __('Capture an authorized payment when the order moves to processing or completed', 'mypos-ipc'),
                'default' => 'no',
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
     * Where the private keys' sealing key comes from; without the wp-config.php constant, a
     * freshly generated line to paste there (shown once per page view, never stored).
     *
     * @return array<string, mixed>
     */
    private static function secretKeyField(): array
    {
        $description = SecretBox::hasConstant()
            ? esc_html(sprintf(
                /* translators: %s: the wp-config.php constant's name */
                __('Private keys are sealed with %s from wp-config.php.', 'mypos-ipc'),
                SecretBox::$constant
            ))
            : esc_html__(
                'Private keys are sealed with the WordPress salts, which security plug-ins and migrations may change. Add this line to wp-config.php (above "That\'s all, stop editing") so they survive that:',
                'mypos-ipc'
            ) . '<br><code>' . esc_html(sprintf("define('%s', '%s');", SecretBox::$constant, SecretBox::newConstantValue()))
            . '</code>';
        return [
            'title' => __('Key storage', 'mypos-ipc'),
            'type' => 'title',
            'description' => $description,
        ];
    }

    /**
     * Rotation of one mode's credentials: a next pack kept beside the current one (both
     * certificates verify), the switch, and the date the former one stops verifying.
     *
     * @return array<string, array<string, mixed>>
     */
    private static function rotationFields(string $mode, string $secret): array
    {
        $label = $mode === 'test' ? __('Test', 'mypos-ipc') : __('Live', 'mypos-ipc');
        /* translators: 1: "Test" or "Live", 2: field name */
        $title = static fn (string $name): string => sprintf(__('%1$s: %2$s', 'mypos-ipc'), $label, $name);
        return [
            $mode . '_next_config_pack' => [
                'title' => $title(__('Next configuration pack', 'mypos-ipc')),
                'type' => 'mypos_secret',
                'description' => __(
                    'Key rotation: paste the new pack here while the current one stays active. Notifications signed with either certificate are accepted.',
                    'mypos-ipc'
                ) . ' ' . $secret,
            ],
            $mode . '_rotation' => [
                'title' => $title(__('Rotation', 'mypos-ipc')),
                'type' => 'select',
                'default' => '',
                'options' => [
                    '' => __('No change', 'mypos-ipc'),
                    'activate' => __('Make the next pack active (the current one is kept until the retire date)', 'mypos-ipc'),
                    'retire' => __('Retire the standby pack now', 'mypos-ipc'),
                ],
            ],
            $mode . '_retire_on' => [
                'title' => $title(__('Retire the former pack after', 'mypos-ipc')),
                'type' => 'text',
                'default' => '',
                'placeholder' => 'YYYY-MM-DD',
                'description' => __(
                    'After a switch the former pack is still accepted for notifications through this day (UTC); then it is refused. Empty: until you retire it.',
                    'mypos-ipc'
                ),
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
        $sealed = (string) ($this->gateway->settings[$key] ?? '');
        $status = match (true) {
            $sealed === '' => __('No private key stored.', 'mypos-ipc'),
            SecretBox::problem($sealed) !== null
                => __('The stored private key can no longer be decrypted: paste it again.', 'mypos-ipc'),
            default => __('A private key is stored. Paste a new one to replace it.', 'mypos-ipc'),
        };
        $data['description'] = trim((string) ($data['description'] ?? '') . ' ' . $status);
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
     * The OrderID prefix as typed, or the stored one (with an error) when the extension refuses
     * it as the start of an OrderID.
     */
    public function orderPrefixValue(string $key, ?string $value): string
    {
        $value = trim(wp_unslash((string) $value));
        if ($value === '') {
            return '';
        }
        try {
            \MyPOS\IPC\attempt_id($value, '1', 1);
        } catch (\MyPOS\IPC\Exception $e) {
            \WC_Admin_Settings::add_error(sprintf(
                /* translators: %s: the prefix typed */
                __(
                    'OrderID prefix "%s" not saved: use 1 to 32 letters and digits, starting with a letter.',
                    'mypos-ipc'
                ),
                $value
            ));
            return (string) ($this->gateway->settings[$key] ?? '');
        }
        return $value;
    }

    /**
     * After the save: the gateway stays disabled (with an error saying what is missing) until a
     * mode is chosen and that mode's credentials make a usable configuration. Returns whether
     * it was switched off (the settings must then be stored again).
     */
    public function refuseEnablingUnconfigured(): bool
    {
        if (($this->gateway->settings['enabled'] ?? 'no') !== 'yes') {
            return false;
        }
        $settings = new Settings($this->gateway->settings);
        $mode = $settings->mode();
        if ($mode === null) {
            $problem = __('The gateway was not enabled: choose test or live mode first.', 'mypos-ipc');
        } elseif ($settings->signingConfig($mode) === null) {
            $problem = $mode === 'test' ? __(
                'The gateway was not enabled: test mode is chosen but no usable test credentials are stored.',
                'mypos-ipc'
            ) : __(
                'The gateway was not enabled: live mode is chosen but no usable live credentials are stored.',
                'mypos-ipc'
            );
        } else {
            return false;
        }
        \WC_Admin_Settings::add_error($problem);
        $this->gateway->settings['enabled'] = 'no';
        return true;
    }

    /**
     * A configuration-pack field: an empty textarea (the stored value is never rendered back)
     * and what its stored entry holds (never the key).
     *
     * @param array<string, mixed> $data
     */
    public function packHtml(string $key, array $data): string
    {
        [$mode, $slot] = self::PACK_FIELDS[$key] ?? ['test', 'test_pack'];
        $settings = new Settings($this->gateway->settings);
        $entry = $slot === $mode . '_pack' ? $settings->packEntry($mode) : $settings->standbyEntry($mode);
        return $this->secretTextarea($key, $data, self::entryStatus($settings, $mode, $slot, $entry));
    }

    /**
     * @param array<string, mixed>|null $entry
     */
    private static function entryStatus(Settings $settings, string $mode, string $slot, ?array $entry): string
    {
        if ($entry === null) {
            $problem = $slot === $mode . '_pack' && !$settings->usesFields($mode) ? $settings->keyNotice($mode) : null;
            return $problem ?? __('No configuration stored.', 'mypos-ipc');
        }
        $notAfter = Keyring::notAfter($entry);
        $status = sprintf(
            /* translators: 1: SID, 2: wallet number, 3: key index, 4: date (YYYY-MM-DD) or "unknown" */
            __('Stored: SID %1$s, wallet %2$s, key index %3$s; myPOS certificate valid until %4$s.', 'mypos-ipc'),
            (string) $entry['sid'],
            (string) $entry['wallet'],
            (string) $entry['key_index'],
            $notAfter === null ? __('unknown', 'mypos-ipc') : gmdate('Y-m-d', $notAfter)
        );
        $retireAt = (int) ($entry['retire_at'] ?? 0);
        if ($retireAt > 0) {
            $status .= ' ' . sprintf(
                Keyring::accepted($entry, time())
                    /* translators: %s: date (YYYY-MM-DD) */
                    ? __('Accepted for notifications through %s.', 'mypos-ipc')
                    /* translators: %s: date (YYYY-MM-DD), the last day it was accepted */
                    : __('Retired: refused after %s.', 'mypos-ipc'),
                gmdate('Y-m-d', $retireAt - 1)
            );
        }
        if (SecretBox::problem((string) $entry['private_key']) !== null) {
            $status .= ' ' . __('Its private key can no longer be decrypted: paste the pack again.', 'mypos-ipc');
        }
        return $status;
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

    /**
     * The health at a glance (HealthPanel; nothing is stored).
     *
     * @param array<string, mixed> $data
     */
    public function healthHtml(string $key, array $data): string
    {
        return (new HealthPanel(new Settings(), time()))->html($data);
    }

    /**
     * A pasted pack is checked, split and stored as the field's entry (the current or the next
     * one: SettingsPage::PACK_FIELDS); the field itself keeps nothing. Empty input keeps what is
     * stored; a refused pack leaves it too, with an error saying why.
     */
    public function packValue(string $key, ?string $value): string
    {
        $stored = (string) ($this->gateway->settings[$key] ?? '');
        $value = trim(wp_unslash((string) $value));
        if ($value === '') {
            return $stored;
        }
        [$mode, $slot] = self::PACK_FIELDS[$key] ?? ['test', 'test_pack'];
        try {
            $this->gateway->settings[$slot] = Keyring::entryFromPack($value, Settings::MODES[$mode]);
        } catch (\InvalidArgumentException $e) {
            \WC_Admin_Settings::add_error($e->getMessage());
            return $stored;
        }
        return '';
    }

    /**
     * After the save: the owner's rotation choice for each mode (make the next pack active, or
     * retire the standby one) and the retire date of the standby pack. Returns whether anything
     * changed (the settings must then be stored again).
     */
    public function applyRotation(): bool
    {
        $changed = false;
        foreach (array_keys(Settings::MODES) as $mode) {
            $changed = $this->rotate($mode) || $changed;
        }
        return $changed;
    }

    private function rotate(string $mode): bool
    {
        $settings = &$this->gateway->settings;
        $action = (string) ($settings[$mode . '_rotation'] ?? '');
        $settings[$mode . '_rotation'] = '';
        $day = trim((string) ($settings[$mode . '_retire_on'] ?? ''));
        $retireAt = 0;
        if ($day !== '') {
            $date = \DateTimeImmutable::createFromFormat('!Y-m-d', $day, new \DateTimeZone('UTC'));
            if ($date === false || $date->format('Y-m-d') !== $day) {
                \WC_Admin_Settings::add_error(__('The retire date must be a day written YYYY-MM-DD; nothing was retired.', 'mypos-ipc'));
                $settings[$mode . '_retire_on'] = '';
                return true;
            }
            $retireAt = $date->getTimestamp() + 86400; // accepted through that whole day
        }
        $current = new Settings($settings);
        $standby = $current->standbyEntry($mode);
        if ($action === 'retire') {
            unset($settings[$mode . '_standby']);
            return true;
        }
        if ($action === 'activate') {
            if ($standby === null) {
                \WC_Admin_Settings::add_error(__('There is no next configuration pack to make active.', 'mypos-ipc'));
                return true;
            }
            $former = $current->usesFields($mode) ? $current->fieldsEntry($mode) : $current->packEntry($mode);
            $settings[$mode . '_pack'] = array_merge($standby, ['retire_at' => 0, 'former' => false]);
            $settings[$mode . '_config_pack'] = '';
            $settings[$mode . '_credentials'] = 'pack';
            unset($settings[$mode . '_standby']);
            if ($former !== null) {
                $settings[$mode . '_standby'] = array_merge($former, ['retire_at' => $retireAt, 'former' => true]);
            }
            return true;
        }
        // The date retires a former pack only: a next pack waiting to be made active never expires.
        if ($standby === null || empty($standby['former']) || (int) ($standby['retire_at'] ?? 0) === $retireAt) {
            return false;
        }
        $settings[$mode . '_standby']['retire_at'] = $retireAt;
        return true;
    }
}
