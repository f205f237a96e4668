<?php

namespace MyPOS\IPC\WooCommerce;

/**
 * Bootstrap: checks the extension, declares HPOS and Blocks compatibility, registers the gateway.
 */
final class Plugin
{
    /** Oldest mypos_ipc extension version this plug-in works with. */
    public const MIN_EXTENSION_VERSION = '0.1.0';
    public const VERSION = '0.1.0';

    /**
     * Gateway::ID's notify hook, spelled out: naming Gateway here would load it, and it extends
     * WC_Payment_Gateway, which does not exist yet when this plug-in loads before WooCommerce
     * (WordPress loads plug-ins by folder name: mypos-ipc-woocommerce sorts before woocommerce).
     */
    public const NOTIFY_HOOK = 'woocommerce_api_mypos_ipc';
    /** The wc-api name of the endpoint (Gateway::ID, spelled out for the same reason). */
    private const ENDPOINT = 'mypos_ipc';

    private static string $file = '';

    public static function boot(string $file): void
    {
        self::$file = $file;
        add_action('before_woocommerce_init', [self::class, 'declareCompatibility']);
        add_action('plugins_loaded', [self::class, 'loadTextDomain']);
        add_filter('woocommerce_payment_gateways', [self::class, 'registerGateway']);
        add_action('admin_notices', [self::class, 'adminNotices']);
        add_action(self::NOTIFY_HOOK, [self::class, 'handleNotify']);
        if (self::isNotifyRequest()) {
            // WooCommerce sends transactional e-mails from inside the order's save(), before the
            // answer; deferred, they run at shutdown, after finishResponse() has sent `OK`.
            // Added at load time: WooCommerce reads this filter on `init`, before wc-api runs.
            add_filter('woocommerce_defer_transactional_emails', '__return_true', 100);
        }
        add_action('woocommerce_blocks_payment_method_type_registration', [self::class, 'registerBlocks']);
        add_action('init', [Reconciler::class, 'schedule']);
        add_action(Reconciler::HOOK_ALL, [self::class, 'reconcilePending']);
        add_action(Reconciler::HOOK_ONE, [self::class, 'reconcileOrder']);
        add_filter('woocommerce_order_actions', [self::class, 'orderActions'], 10, 2);
        add_action('woocommerce_order_action_mypos_ipc_check_status', [self::class, 'orderActionCheck']);
        add_action('admin_post_mypos_ipc_test_connection', [self::class, 'testConnection']);
    }

    /** The "Test connection" link of the settings page (admin-post.php, nonce-protected). */
    public static function testConnectionUrl(): string
    {
        return wp_nonce_url(admin_url('admin-post.php?action=mypos_ipc_test_connection'), 'mypos_ipc_test_connection');
    }

    /** Runs the connection test and shows its result on the settings page. */
    public static function testConnection(): void
    {
        if (!current_user_can('manage_woocommerce')) {
            wp_die(esc_html__('You are not allowed to do this.', 'mypos-ipc'), '', ['response' => 403]);
        }
        check_admin_referer('mypos_ipc_test_connection');
        $result = self::extensionProblem() === null
            ? ConnectionTest::run((new Settings())->config())
            : ['ok' => false, 'message' => (string) self::extensionProblem()];
        set_transient('mypos_ipc_connection_test', $result, 300);
        wp_safe_redirect(admin_url('admin.php?page=wc-settings&tab=checkout&section=' . Gateway::ID));
        exit;
    }

    public static function reconciler(): Reconciler
    {
        $settings = new Settings();
        $log = new Log($settings->logLevel());
        return new Reconciler($settings, new NotifyHandler($settings, new OrderLock(), $log), $log);
    }

    public static function reconcilePending(): void
    {
        if (self::extensionProblem() === null) {
            self::reconciler()->checkPending();
        }
    }

    /**
     * @param int|string $orderId
     */
    public static function reconcileOrder($orderId): void
    {
        $order = Orders::find((string) $orderId);
        if ($order !== null && self::extensionProblem() === null) {
            self::reconciler()->check($order);
        }
    }

    /**
     * @param array<string, string> $actions
     * @param mixed $order
     * @return array<string, string>
     */
    public static function orderActions(array $actions, $order = null): array
    {
        if ($order instanceof \WC_Order && $order->get_payment_method() === Gateway::ID) {
            $actions['mypos_ipc_check_status'] = __('Check payment status with myPOS', 'mypos-ipc');
        }
        return $actions;
    }

    public static function orderActionCheck(\WC_Order $order): void
    {
        if (self::extensionProblem() !== null) {
            return;
        }
        $result = self::reconciler()->check($order);
        $fresh = wc_get_order($order->get_id());
        if ($fresh instanceof \WC_Order) {
            $fresh->add_order_note($result);
            $fresh->save();
        }
    }

    public static function file(): string
    {
        return self::$file;
    }

    /**
     * @param object $registry Automattic\WooCommerce\Blocks\Payments\PaymentMethodRegistry
     */
    public static function registerBlocks($registry): void
    {
        if (class_exists('\\Automattic\\WooCommerce\\Blocks\\Payments\\Integrations\\AbstractPaymentMethodType')) {
            $registry->register(new BlocksSupport());
        }
    }

    /**
     * Null when the extension is usable, else a sentence saying why not.
     */
    public static function extensionProblem(): ?string
    {
        if (!extension_loaded('mypos_ipc') || !defined('MyPOS\\IPC\\VERSION')) {
            return __('the PHP extension mypos_ipc is not loaded', 'mypos-ipc');
        }
        $version = (string) constant('MyPOS\\IPC\\VERSION');
        if (version_compare($version, self::MIN_EXTENSION_VERSION, '<')) {
            return sprintf(
                /* translators: 1: installed version, 2: required version */
                __('the PHP extension mypos_ipc is version %1$s; %2$s or newer is required', 'mypos-ipc'),
                $version,
                self::MIN_EXTENSION_VERSION
            );
        }
        return null;
    }

    public static function declareCompatibility(): void
    {
        if (class_exists('\\Automattic\\WooCommerce\\Utilities\\FeaturesUtil')) {
            $features = '\\Automattic\\WooCommerce\\Utilities\\FeaturesUtil';
            $features::declare_compatibility('custom_order_tables', self::$file, true);
            $features::declare_compatibility('cart_checkout_blocks', self::$file, true);
        }
    }

    public static function loadTextDomain(): void
    {
        load_plugin_textdomain('mypos-ipc', false, dirname(plugin_basename(self::$file)) . '/languages');
    }

    /**
     * @param array<int, mixed> $gateways
     * @return array<int, mixed>
     */
    public static function registerGateway(array $gateways): array
    {
        if (self::extensionProblem() === null) {
            $gateways[] = Gateway::class;
        }
        return $gateways;
    }

    public static function adminNotices(): void
    {
        if (!current_user_can('manage_woocommerce')) {
            return;
        }
        $test = get_transient('mypos_ipc_connection_test');
        if (is_array($test)) {
            delete_transient('mypos_ipc_connection_test');
            printf(
                '<div class="notice notice-%s"><p>%s</p></div>',
                $test['ok'] ? 'success' : 'error',
                esc_html((string) $test['message'])
            );
        }
        foreach (Notices::collect(new Settings(), is_ssl()) as $notice) {
            printf(
                '<div class="notice notice-%s"><p>%s</p></div>',
                esc_attr($notice['level']),
                esc_html($notice['text'])
            );
        }
    }

    /**
     * The answer to one request at the endpoint: the POST body, or for a GET (IPCPurchaseOK /
     * IPCPurchaseCancel may come that way) the query string without the wc-api parameter.
     */
    public static function notifyAnswer(string $body, string $query): Answer
    {
        $settings = new Settings();
        $handler = new NotifyHandler($settings, new OrderLock(), new Log($settings->logLevel()));
        return $handler->handle($body !== '' ? $body : $query);
    }

    /** Whether this request is for ?wc-api=mypos_ipc (or the /wc-api/mypos_ipc/ permalink). */
    public static function isNotifyRequest(): bool
    {
        $api = $_GET['wc-api'] ?? null; // phpcs:ignore -- routing only, myPOS signs the body
        if (is_string($api)) {
            return strtolower($api) === self::ENDPOINT;
        }
        $uri = (string) ($_SERVER['REQUEST_URI'] ?? '');
        return (bool) preg_match('#/wc-api/' . self::ENDPOINT . '/?(\?|$)#i', $uri);
    }

    /**
     * The ?wc-api=mypos_ipc endpoint: answers myPOS and the returning buyer.
     */
    public static function handleNotify(): void
    {
        if (self::extensionProblem() !== null) {
            self::send(new Answer(503, 'extension missing'));
            exit;
        }
        $answer = self::notifyAnswer(
            (string) file_get_contents('php://input'),
            (string) ($_SERVER['QUERY_STRING'] ?? '')
        );
        self::send($answer);
        // Shutdown work (deferred e-mails, other plug-ins' shutdown hooks) runs after this, when
        // the answer has already been delivered.
        exit;
    }

    /**
     * Sends an answer as the only output of the request and, where the server allows it,
     * completes the response so that myPOS has it before any later work runs. myPOS reverses
     * a payment whose answer is anything but the two bytes `OK`: whatever was printed before
     * (WooCommerce's wc-api buffer holding another plug-in's echo or a PHP notice, PHP's
     * output_buffering) is discarded, and whatever is printed after is swallowed.
     */
    public static function send(Answer $answer, ?Log $log = null): void
    {
        $discarded = self::discardOutputBuffers();
        $log ??= new Log((new Settings())->logLevel());
        if ($discarded !== '') {
            $log->warning(sprintf('notify endpoint: discarded %d bytes printed before the answer', strlen($discarded)));
        }
        if (headers_sent($file, $line)) {
            $log->error("notify endpoint: output started at {$file}:{$line} before the answer; it may not be clean");
        }
        if ($answer->redirect !== null) {
            wp_safe_redirect($answer->redirect);
        } else {
            status_header($answer->status);
            header('Content-Type: text/plain; charset=utf-8');
            header('Content-Length: ' . strlen($answer->body));
            echo $answer->body;
        }
        self::finishResponse();
    }

    /** Closes every output buffer without sending it; returns what they held. */
    public static function discardOutputBuffers(): string
    {
        $held = '';
        while (ob_get_level() > 0) {
            $level = ob_get_level();
            $held = (string) ob_get_contents() . $held;
            // A buffer that cannot be removed (zlib.output_compression) is emptied instead.
            if (!@ob_end_clean()) {
                @ob_clean();
                break;
            }
            if (ob_get_level() >= $level) {
                break;
            }
        }
        return $held;
    }

    /**
     * Delivers the answer now: PHP-FPM's fastcgi_finish_request() (LiteSpeed's equivalent)
     * completes the HTTP response while PHP goes on with shutdown work. Elsewhere the answer
     * is flushed with its Content-Length. Later output is swallowed either way.
     */
    public static function finishResponse(): void
    {
        if (function_exists('fastcgi_finish_request')) {
            fastcgi_finish_request();
        } elseif (function_exists('litespeed_finish_request')) {
            litespeed_finish_request();
        } else {
            flush();
        }
        ob_start(static fn (): string => '');
    }
}
