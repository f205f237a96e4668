<?php

namespace MyPOS\IPC\WooCommerce;

/**
 * Where the plug-in's objects are built and wired to WordPress and WooCommerce hooks: the main
 * file calls boot() once. Each hook goes to the object that does the job (NotifyEndpoint,
 * StatusChecks, ConnectionTest, Notices); this class only builds them and handles the few
 * bootstrap hooks (compatibility, text domain, gateway and Checkout block registration).
 *
 * Nothing here may name a class that extends a WooCommerce class before WooCommerce has loaded
 * (WordPress loads plug-ins by folder name: mypos-ipc-woocommerce sorts before woocommerce):
 * Gateway and BlocksSupport are only named inside hooks that WooCommerce itself fires.
 */
final class Plugin
{
    public const VERSION = '0.1.0';
    /** Oldest mypos_ipc extension version this plug-in works with (Extension::MIN_VERSION). */
    public const MIN_EXTENSION_VERSION = Extension::MIN_VERSION;
    /** The gateway's wc-api hook (NotifyEndpoint::HOOK). */
    public const NOTIFY_HOOK = NotifyEndpoint::HOOK;

    private ?NotifyEndpoint $notifyEndpoint = null;
    private ?StatusChecks $statusChecks = null;
    private ?ConnectionTest $connectionTest = null;
    private ?Notices $notices = null;
    private ?TestMark $testMark = null;
    private ?Privacy $privacy = null;
    private ?CancelReturn $cancelReturn = null;
    private ?NotifyCheck $notifyCheck = null;
    private ?SiteHealth $siteHealth = null;
    private ?AuthorizationActions $authorizationActions = null;

    public function __construct(private string $file)
    {
    }

    /** Builds the plug-in for its main file $file and registers its hooks. */
    public static function boot(string $file): self
    {
        $plugin = new self($file);
        $plugin->register();
        return $plugin;
    }

    public function register(): void
    {
        add_action('before_woocommerce_init', [$this, 'declareCompatibility']);
        add_action('plugins_loaded', [$this, 'loadTextDomain']);
        add_filter('woocommerce_payment_gateways', [$this, 'registerGateway']);
        add_action('woocommerce_blocks_payment_method_type_registration', [$this, 'registerBlocks']);
        add_action(self::NOTIFY_HOOK, [$this->notifyEndpoint(), 'handle']);
        if (NotifyEndpoint::isRequest()) {
            // WooCommerce sends transactional e-mails from inside the order's save(), before the
            // answer; deferred, they run at shutdown, after NotifyEndpoint::send() has sent `OK`.
            // Added at load time: WooCommerce reads this filter on `init`, before wc-api runs.
            add_filter('woocommerce_defer_transactional_emails', '__return_true', 100);
        }
        add_action('init', [Reconciler::class, 'schedule']);
        add_action('init', [Authorizations::class, 'schedule']);
        add_action('init', [Attempts::class, 'recordSince']);
        add_action('init', [$this, 'migrateSecrets']);
        add_action(Reconciler::HOOK_ALL, [$this->statusChecks(), 'checkPending']);
        add_action(Reconciler::HOOK_ONE, [$this->statusChecks(), 'checkOrder']);
        add_action(Refunds::HOOK_RESOLVE, [$this->statusChecks(), 'resolveRefund']);
        add_filter('woocommerce_order_actions', [$this->statusChecks(), 'orderActions'], 10, 2);
        add_action('woocommerce_order_action_' . StatusChecks::ORDER_ACTION, [$this->statusChecks(), 'runOrderAction']);
        add_action('admin_post_' . ConnectionTest::ACTION, [$this->connectionTest(), 'handleAdminPost']);
        add_action('admin_notices', [$this->notices(), 'show']);
        add_action('admin_post_' . NotifyCheck::ACTION, [$this->notifyCheck(), 'handleAdminPost']);
        add_filter('site_status_tests', [$this->siteHealth(), 'tests']);
        add_action('woocommerce_system_status_report', [$this->siteHealth(), 'statusReport']);
        $release = 'woocommerce_order_action_' . StatusChecks::RELEASE_ACTION;
        add_action($release, [$this->statusChecks(), 'releaseRefund']);
        $confirm = 'woocommerce_order_action_' . StatusChecks::CONFIRM_ACTION;
        add_action($confirm, [$this->statusChecks(), 'confirmRefund']);
        $auth = $this->authorizationActions();
        add_filter('woocommerce_order_actions', [$auth, 'orderActions'], 10, 2);
        add_action('woocommerce_order_action_' . AuthorizationActions::CAPTURE_ACTION, [$auth, 'captureAction']);
        add_action('woocommerce_order_action_' . AuthorizationActions::RELEASE_ACTION, [$auth, 'releaseAction']);
        add_action('woocommerce_order_status_processing', [$auth, 'statusChanged']);
        add_action('woocommerce_order_status_completed', [$auth, 'statusChanged']);
        add_action('woocommerce_order_status_cancelled', [$auth, 'cancelled']);
        add_action(Authorizations::HOOK_CHECK, [$auth, 'checkOpen']);
        $mark = $this->testMark();
        add_filter('manage_edit-shop_order_columns', [$mark, 'columns']);
        add_filter('manage_woocommerce_page_wc-orders_columns', [$mark, 'columns']);
        add_action('manage_shop_order_posts_custom_column', [$mark, 'cell'], 10, 2);
        add_action('manage_woocommerce_page_wc-orders_custom_column', [$mark, 'cell'], 10, 2);
        add_action('woocommerce_admin_order_data_after_order_details', [$mark, 'orderScreen']);
        add_action('woocommerce_email_order_meta', [$mark, 'email'], 10, 3);
        add_action('admin_init', [$this->privacy(), 'addPolicyContent']);
        // Before WooCommerce's own (priority 10), whose order eraser may blank the billing e-mail
        // these find the orders by.
        add_filter('wp_privacy_personal_data_exporters', [$this->privacy(), 'registerExporter'], 5);
        add_filter('wp_privacy_personal_data_erasers', [$this->privacy(), 'registerEraser'], 5);
        if (CancelReturn::isCancelReturn()) {
            add_filter('woocommerce_get_checkout_payment_url', [$this->cancelReturn(), 'flag'], 10, 2);
        }
        add_action('template_redirect', [$this->cancelReturn(), 'notice']);
        // Saved cards and WooCommerce Subscriptions (Gateway's names spelled out, see above).
        add_action(Subscriptions::RENEWAL_HOOK, [$this, 'renew'], 10, 2);
        add_action('woocommerce_api_' . SavedCardPayment::RETURN_API, [$this, 'tdsReturn']);
        add_action('woocommerce_api_mypos_ipc_add_card', [$this, 'addCardPage']);
        add_filter('woocommerce_payment_methods_list_item', [CardTokens::class, 'markExpired'], 10, 2);
        add_filter('woocommerce_get_customer_payment_tokens', [CardTokens::class, 'offerable'], 10, 3);
        register_deactivation_hook($this->file, [Lifecycle::class, 'deactivate']);
    }

    /** Brings secrets stored by earlier versions up to date (Settings::migrated()), once. */
    public function migrateSecrets(): void
    {
        if (Extension::problem() !== null) {
            return;
        }
        $values = (new Settings())->migrated();
        if ($values !== null) {
            update_option(Settings::OPTION, $values);
        }
    }

    public function file(): string
    {
        return $this->file;
    }

    // --- the objects, built here and nowhere else -------------------------------------------------

    /** The saved settings, read when asked (they change when the admin saves the form). */
    public function settings(): Settings
    {
        return new Settings();
    }

    public function log(): Log
    {
        return new Log($this->settings()->logLevel());
    }

    public function notifyHandler(): NotifyHandler
    {
        $settings = $this->settings();
        return new NotifyHandler($settings, new OrderLock(), new Log($settings->logLevel()));
    }

    public function reconciler(): Reconciler
    {
        $settings = $this->settings();
        $log = new Log($settings->logLevel());
        return new Reconciler($settings, new NotifyHandler($settings, new OrderLock(), $log), $log);
    }

    public function refundResolver(): RefundResolver
    {
        $settings = $this->settings();
        return new RefundResolver($settings, new Log($settings->logLevel()), new OrderGate());
    }

    public function captures(): Captures
    {
        $settings = $this->settings();
        return new Captures($settings, new Log($settings->logLevel()), new OrderGate());
    }

    public function authorizations(): Authorizations
    {
        $settings = $this->settings();
        return new Authorizations($settings, new Log($settings->logLevel()), new OrderGate());
    }

    public function authorizationActions(): AuthorizationActions
    {
        return $this->authorizationActions ??= new AuthorizationActions(
            [$this, 'captures'],
            [$this, 'authorizations'],
            [$this, 'settings']
        );
    }

    public function notifyEndpoint(): NotifyEndpoint
    {
        return $this->notifyEndpoint ??= new NotifyEndpoint([$this, 'notifyHandler'], [$this, 'log']);
    }

    public function statusChecks(): StatusChecks
    {
        return $this->statusChecks ??= new StatusChecks([$this, 'reconciler'], [$this, 'refundResolver']);
    }

    public function connectionTest(): ConnectionTest
    {
        return $this->connectionTest ??= new ConnectionTest([$this, 'settings']);
    }

    public function notices(): Notices
    {
        return $this->notices ??= new Notices([$this, 'settings']);
    }

    public function testMark(): TestMark
    {
        return $this->testMark ??= new TestMark();
    }

    public function privacy(): Privacy
    {
        return $this->privacy ??= new Privacy();
    }

    public function cancelReturn(): CancelReturn
    {
        return $this->cancelReturn ??= new CancelReturn();
    }

    public function notifyCheck(): NotifyCheck
    {
        return $this->notifyCheck ??= new NotifyCheck();
    }

    public function siteHealth(): SiteHealth
    {
        return $this->siteHealth ??= new SiteHealth([$this, 'settings']);
    }

    // --- saved cards ------------------------------------------------------------------------------

    /**
     * WooCommerce Subscriptions' scheduled renewal for this gateway.
     *
     * @param float|string $amount
     */
    public function renew($amount, $renewal): void
    {
        if ($renewal instanceof \WC_Order && Extension::problem() === null) {
            $settings = $this->settings();
            (new Subscriptions($settings, new Log($settings->logLevel()), new OrderGate()))->renew($amount, $renewal);
        }
    }

    /** ?wc-api=mypos_ipc_tds: the buyer is back from 3-D Secure for a saved card. */
    public function tdsReturn(): void
    {
        $orderId = (int) ($_GET['order'] ?? 0); // phpcs:ignore -- the body is signed by myPOS
        $settings = $this->settings();
        $answer = Extension::problem() !== null
            ? new Answer(302, '', wc_get_checkout_url())
            : (new SavedCardPayment($settings, new Log($settings->logLevel()), new OrderGate()))
                ->finish((string) file_get_contents('php://input'), $orderId);
        wp_safe_redirect($answer->redirect ?? wc_get_checkout_url());
        exit;
    }

    /** ?wc-api=mypos_ipc_add_card: the store-only form of My Account → Add payment method. */
    public function addCardPage(): void
    {
        $nonce = (string) ($_GET['_wpnonce'] ?? ''); // phpcs:ignore -- checked right here
        $gateways = WC()->payment_gateways()->payment_gateways();
        $gateway = $gateways['mypos_ipc'] ?? null;
        $form = wp_verify_nonce($nonce, 'mypos_ipc_add_card') && $gateway !== null ? $gateway->addCardForm() : '';
        if ($form === '') {
            wc_add_notice(__('Cards cannot be added right now.', 'mypos-ipc'), 'error');
            wp_safe_redirect(wc_get_account_endpoint_url('payment-methods'));
            exit;
        }
        nocache_headers();
        echo '<!DOCTYPE html><html><head><meta charset="utf-8"><title>' . esc_html__('Add a card', 'mypos-ipc')
            . '</title></head><body>' . $form . '</body></html>'; // phpcs:ignore -- the form is built and escaped by the extension
        exit;
    }

    // --- bootstrap hooks ------------------------------------------------------------------------

    public function declareCompatibility(): void
    {
        if (class_exists('\\Automattic\\WooCommerce\\Utilities\\FeaturesUtil')) {
            $features = '\\Automattic\\WooCommerce\\Utilities\\FeaturesUtil';
            $features::declare_compatibility('custom_order_tables', $this->file, true);
            $features::declare_compatibility('cart_checkout_blocks', $this->file, true);
        }
    }

    /**
     * Translations the owner installed (WP_LANG_DIR/plugins) first, then the plug-in's own
     * languages/ folder wherever the plug-in lives (plugins, mu-plugins, elsewhere).
     */
    public function loadTextDomain(): void
    {
        if (!load_plugin_textdomain('mypos-ipc', false, dirname(plugin_basename($this->file)) . '/languages')) {
            load_textdomain('mypos-ipc', dirname($this->file) . '/languages/mypos-ipc-' . determine_locale() . '.mo');
        }
    }

    /**
     * The gateway, by class name (WooCommerce builds it), only when the extension is usable.
     *
     * @param array<int, mixed> $gateways
     * @return array<int, mixed>
     */
    public function registerGateway(array $gateways): array
    {
        if (Extension::problem() === null) {
            $gateways[] = Gateway::class;
        }
        return $gateways;
    }

    /**
     * @param object $registry Automattic\WooCommerce\Blocks\Payments\PaymentMethodRegistry
     */
    public function registerBlocks($registry): void
    {
        if (class_exists('\\Automattic\\WooCommerce\\Blocks\\Payments\\Integrations\\AbstractPaymentMethodType')) {
            $registry->register(new BlocksSupport($this->file));
        }
    }
}
