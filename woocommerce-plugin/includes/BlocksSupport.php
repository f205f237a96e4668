<?php

namespace MyPOS\IPC\WooCommerce;

use Automattic\WooCommerce\Blocks\Payments\Integrations\AbstractPaymentMethodType;

/**
 * Offers the gateway in the Checkout block (the script needs no build step).
 */
final class BlocksSupport extends AbstractPaymentMethodType
{
    /** @var string */
    protected $name = Gateway::ID;

    /**
     * @param string $pluginFile the plug-in's main file (for the script's URL)
     */
    public function __construct(private string $pluginFile)
    {
    }

    public function initialize(): void
    {
        $this->settings = (array) get_option(Settings::OPTION, []);
    }

    // phpcs:ignore PSR1.Methods.CamelCapsMethodName.NotCamelCaps -- WooCommerce Blocks API name
    public function is_active(): bool
    {
        return ($this->settings['enabled'] ?? 'no') === 'yes' && Extension::problem() === null;
    }

    /**
     * @return list<string>
     */
    // phpcs:ignore PSR1.Methods.CamelCapsMethodName.NotCamelCaps -- WooCommerce Blocks API name
    public function get_payment_method_script_handles(): array
    {
        wp_register_script(
            'mypos-ipc-blocks',
            plugins_url('assets/js/blocks.js', $this->pluginFile),
            ['wc-blocks-registry', 'wc-settings', 'wp-element', 'wp-html-entities', 'wp-i18n'],
            Plugin::VERSION,
            true
        );
        // The script's strings come from languages/mypos-ipc-<locale>-<md5 of its path>.json
        // (bin/make-translations.sh writes them from the .po files).
        wp_set_script_translations('mypos-ipc-blocks', 'mypos-ipc', dirname($this->pluginFile) . '/languages');
        return ['mypos-ipc-blocks'];
    }

    /**
     * @return array<string, mixed>
     */
    // phpcs:ignore PSR1.Methods.CamelCapsMethodName.NotCamelCaps -- WooCommerce Blocks API name
    public function get_payment_method_data(): array
    {
        return [
            'title' => (string) ($this->settings['title'] ?? __('Card payment (myPOS)', 'mypos-ipc')),
            'description' => (string) ($this->settings['description'] ?? ''),
            'supports' => array_merge(['products', 'refunds', 'tokenization'], Subscriptions::SUPPORTS),
            'icon' => Mark::url(),
            // The saved cards are listed by the block itself; "Save this card" is blocks.js's own.
            'showSavedCards' => true,
            'canSaveCard' => function_exists('is_user_logged_in') && is_user_logged_in(),
            'saveCardLabel' => __('Save this card for future purchases', 'mypos-ipc'),
        ];
    }
}
