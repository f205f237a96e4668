<?php

/**
 * Plugin Name: WooCommerce stand-in (tests only)
 * Description: The small part of WooCommerce the myPOS IPC plug-in uses on its notify path,
 *              faithful to WooCommerce's behaviour and storage: orders are `shop_order` posts
 *              with `wc-<status>` post statuses and `_order_total`/`_order_currency`/
 *              `_payment_method`/`_transaction_id`/`_date_paid` post meta, order notes are
 *              `order_note` comments, `?wc-api=X` fires `woocommerce_api_X` on parse_request.
 */

// phpcs:ignoreFile -- test fixture.

if (!defined('ABSPATH')) {
    exit;
}

/**
 * WooCommerce's gateway base classes, as far as the plug-in's Gateway needs: the notify path
 * only reads Gateway::ID; tests/plugin-wp/keys.php builds the gateway to save its settings form
 * and ask whether checkout offers it (the Settings API as WooCommerce runs it).
 */
abstract class WC_Settings_API
{
    public $plugin_id = 'woocommerce_';
    public $id = '';
    public $settings = [];
    public $form_fields = [];
    private array $postData = [];

    public function get_option_key(): string { return $this->plugin_id . $this->id . '_settings'; }
    public function get_field_key(string $key): string { return $this->plugin_id . $this->id . '_' . $key; }

    public function init_settings(): void
    {
        $this->settings = (array) get_option($this->get_option_key(), []);
        foreach ($this->form_fields as $key => $field) {
            $this->settings[$key] ??= $field['default'] ?? '';
        }
    }

    public function get_option(string $key, $empty = null) { return $this->settings[$key] ?? $empty; }
    public function set_post_data(array $data = []): void { $this->postData = $data; }

    /** As WooCommerce: validate_{key}_field, else validate_{type}_field, else text; then the option is saved. */
    public function process_admin_options(): bool
    {
        $this->init_settings();
        foreach ($this->form_fields as $key => $field) {
            $type = $field['type'] ?? 'text';
            if ($type === 'title') {
                continue;
            }
            $raw = $this->postData[$this->get_field_key($key)] ?? null;
            if (method_exists($this, 'validate_' . $key . '_field')) {
                $this->settings[$key] = $this->{'validate_' . $key . '_field'}($key, $raw);
            } elseif (method_exists($this, 'validate_' . $type . '_field')) {
                $this->settings[$key] = $this->{'validate_' . $type . '_field'}($key, $raw);
            } elseif ($type === 'checkbox') {
                $this->settings[$key] = $raw !== null ? 'yes' : 'no';
            } else {
                $this->settings[$key] = is_string($raw) ? trim(wp_unslash($raw)) : '';
            }
        }
        return update_option($this->get_option_key(), $this->settings);
    }
}

abstract class WC_Payment_Gateway extends WC_Settings_API
{
    public $enabled = 'no';
    public $title = '';
    public $description = '';
    public $icon = '';
    public $method_title = '';
    public $method_description = '';
    public $has_fields = false;
    public $supports = ['products'];

    public function is_available(): bool { return $this->enabled === 'yes'; }
}

final class WC_Admin_Settings
{
    public static array $errors = [];
    public static function add_error(string $text): void { self::$errors[] = $text; }
}

function get_woocommerce_currency(): string { return 'EUR'; }

final class WC_Logger
{
    public function log(string $level, string $message, array $context = []): void
    {
        if (defined('MYPOS_WP_TEST_WC_LOG')) {
            $source = (string) ($context['source'] ?? '-');
            file_put_contents(MYPOS_WP_TEST_WC_LOG, gmdate('c') . " {$level} {$source}: {$message}\n", FILE_APPEND | LOCK_EX);
        }
    }
}

function wc_get_logger(): WC_Logger
{
    static $logger = null;
    return $logger ??= new WC_Logger();
}

function wc_get_checkout_url(): string
{
    return home_url('/checkout/');
}

/** @return WC_Order|false */
function wc_get_order($id)
{
    $post = get_post((int) $id);
    if (!$post instanceof WP_Post || $post->post_type !== 'shop_order') {
        return false;
    }
    return new WC_Order((int) $post->ID);
}

final class WC_Order
{
    private int $id = 0;
    private string $status = 'pending';
    /** @var array<string, mixed> meta changed since the last save */
    private array $changes = [];
    private ?string $newStatus = null;

    public function __construct(int $id = 0)
    {
        if ($id > 0) {
            $post = get_post($id);
            $this->id = $id;
            $this->status = preg_replace('/^wc-/', '', (string) $post->post_status);
        }
    }

    /** Creates a pending order (tests): total, currency, payment method. */
    public static function create(string $total, string $currency, string $paymentMethod): self
    {
        $id = wp_insert_post([
            'post_type' => 'shop_order', 'post_status' => 'wc-pending', 'post_title' => 'Order',
            'ping_status' => 'closed', 'comment_status' => 'open',
        ], true);
        if (is_wp_error($id)) {
            throw new RuntimeException('order not created: ' . $id->get_error_message());
        }
        update_post_meta($id, '_order_total', $total);
        update_post_meta($id, '_order_currency', $currency);
        update_post_meta($id, '_payment_method', $paymentMethod);
        return new self((int) $id);
    }

    public function get_id(): int { return $this->id; }
    public function get_order_number(): string { return (string) $this->id; }
    /** As WC_Order: the creation time (here the post's GMT date), null before it is saved. */
    public function get_date_created(): ?DateTimeImmutable
    {
        $gmt = $this->id > 0 ? (string) get_post_field('post_date_gmt', $this->id) : '';
        return $gmt === '' ? null : new DateTimeImmutable($gmt, new DateTimeZone('UTC'));
    }
    public function get_total(): string { return (string) $this->get_meta('_order_total'); }
    /** No lines here: the purchase form then sends one summary line. One fixed buyer. */
    public function get_items($types = 'line_item'): array { return []; }
    public function __call(string $name, array $args)
    {
        $billing = ['email' => 'buyer@example.com', 'phone' => '+359888000000', 'first_name' => 'Ivan', 'last_name' => 'Petrov',
            'country' => 'BG', 'city' => 'Sofia', 'postcode' => '1000', 'address_1' => 'ul. Vitosha 1'];
        if (str_starts_with($name, 'get_billing_')) {
            return $billing[substr($name, 12)] ?? '';
        }
        throw new BadMethodCallException($name);
    }
    public function get_currency(): string { return (string) $this->get_meta('_order_currency'); }
    public function get_payment_method(): string { return (string) $this->get_meta('_payment_method'); }
    public function get_transaction_id(): string { return (string) $this->get_meta('_transaction_id'); }
    public function get_customer_id(): int { return (int) $this->get_meta('_customer_user'); }
    public function get_status(): string { return $this->newStatus ?? $this->status; }
    public function has_status($status): bool { return in_array($this->get_status(), (array) $status, true); }

    public function get_meta(string $key, bool $single = true)
    {
        if (array_key_exists($key, $this->changes)) {
            return $this->changes[$key];
        }
        return get_post_meta($this->id, $key, $single);
    }

    /** As WC_Data::read_meta_data(); get_meta() here always reads post meta, so nothing to do. */
    public function read_meta_data(bool $force = false): void {}
    public function update_meta_data(string $key, $value): void { $this->changes[$key] = $value; }
    public function set_transaction_id(string $id): void { $this->changes['_transaction_id'] = $id; }
    public function set_status(string $status): void { $this->newStatus = preg_replace('/^wc-/', '', $status); }

    /** As WooCommerce: a note is a comment of type order_note, written at once. */
    public function add_order_note(string $note): int
    {
        $id = wp_insert_comment([
            'comment_post_ID' => $this->id, 'comment_author' => 'WooCommerce', 'comment_content' => $note,
            'comment_agent' => 'WooCommerce', 'comment_type' => 'order_note', 'comment_approved' => 1,
        ]);
        return (int) $id;
    }

    public function update_status(string $status, string $note = ''): bool
    {
        $from = $this->get_status();
        $this->set_status($status);
        $this->save();
        $to = $this->get_status();
        $this->add_order_note(trim($note . ' ' . sprintf('Order status changed from %s to %s.', $from, $to)));
        return true;
    }

    /**
     * As WooCommerce 11's WC_Order::payment_complete(): from on-hold, pending, failed or
     * cancelled (filter woocommerce_valid_order_statuses_for_payment_complete) it sets the
     * transaction id, date paid and the status (filter woocommerce_payment_complete_order_status),
     * saves, and only then fires woocommerce_payment_complete. An Exception thrown by any of it
     * (not an Error) is caught: logged, noted, and false returned.
     */
    public function payment_complete(string $transactionId = ''): bool
    {
        if (!$this->id) {
            return false;
        }
        try {
            do_action('woocommerce_pre_payment_complete', $this->id, $transactionId);
            $valid = apply_filters('woocommerce_valid_order_statuses_for_payment_complete', ['on-hold', 'pending', 'failed', 'cancelled'], $this);
            if ($this->has_status($valid)) {
                if ($transactionId !== '') {
                    $this->set_transaction_id($transactionId);
                }
                if ((string) $this->get_meta('_date_paid') === '') {
                    $this->changes['_date_paid'] = (string) time();
                }
                $this->set_status((string) apply_filters('woocommerce_payment_complete_order_status', 'processing', $this->id, $this));
                $this->save();
                do_action('woocommerce_payment_complete', $this->id, $transactionId);
            } else {
                do_action('woocommerce_payment_complete_order_status_' . $this->get_status(), $this->id, $transactionId);
            }
        } catch (Exception $e) {
            wc_get_logger()->log('error', sprintf('Error completing payment for order #%d', $this->id), ['source' => 'woocommerce']);
            $this->add_order_note('Payment complete event failed. ' . $e->getMessage());
            return false;
        }
        return true;
    }

    /**
     * As WooCommerce: writes the changes, then runs the status transition hooks, whose
     * Exceptions WooCommerce catches and logs: woocommerce_order_status_<to>,
     * ..._<from>_to_<to> (where transactional e-mails hang), woocommerce_order_status_changed.
     */
    public function save(): int
    {
        foreach ($this->changes as $key => $value) {
            update_post_meta($this->id, $key, $value);
        }
        $this->changes = [];
        if ($this->newStatus !== null && $this->newStatus !== $this->status) {
            wp_update_post(['ID' => $this->id, 'post_status' => 'wc-' . $this->newStatus]);
            $from = $this->status;
            $this->status = $this->newStatus;
            $this->newStatus = null;
            try {
                do_action('woocommerce_order_status_' . $this->status, $this->id, $this);
                do_action('woocommerce_order_status_' . $from . '_to_' . $this->status, $this->id, $this);
                do_action('woocommerce_order_status_changed', $this->id, $from, $this->status, $this);
            } catch (Exception $e) {
                wc_get_logger()->log('error', sprintf('Status transition of order #%d errored!', $this->id), ['source' => 'woocommerce']);
                $this->add_order_note('Error during status transition. ' . $e->getMessage());
            }
        }
        $this->newStatus = null;
        return $this->id;
    }

    public function get_checkout_order_received_url(): string
    {
        return home_url('/checkout/order-received/' . $this->id . '/');
    }

    public function get_checkout_payment_url(bool $onCheckout = false): string
    {
        return home_url('/checkout/order-pay/' . $this->id . '/?pay_for_order=true');
    }
}

/** As WC_API::handle_api_requests(): `?wc-api=X` fires woocommerce_api_X, then dies. */
add_action('parse_request', static function (): void {
    if (empty($_GET['wc-api'])) {
        return;
    }
    $request = strtolower(sanitize_key(wp_unslash((string) $_GET['wc-api'])));
    ob_start();
    nocache_headers();
    do_action('woocommerce_api_request', $request);
    status_header(has_action('woocommerce_api_' . $request) ? 200 : 400);
    do_action('woocommerce_api_' . $request);
    die('-1');
}, 0);

/** As WooCommerce's WC(), as far as the plug-in uses it: api_request_url() without pretty permalinks. */
final class WC_Standin_Main
{
    public function api_request_url(string $request, $ssl = null): string
    {
        return add_query_arg('wc-api', $request, trailingslashit(home_url('')));
    }
}
function WC(): WC_Standin_Main
{
    static $wc = null;
    return $wc ??= new WC_Standin_Main();
}

/** As wc_get_is_paid_statuses(): processing and completed, extended by other plug-ins. */
function wc_get_is_paid_statuses(): array
{
    return apply_filters('woocommerce_order_is_paid_statuses', ['processing', 'completed']);
}

/**
 * As WC_Emails::init_transactional_emails() on `init`: the new-order e-mail hangs on the
 * pending-to-processing transition. Sent there and then, inside save(), unless
 * woocommerce_defer_transactional_emails (off by default in WooCommerce 11) queues it; the
 * queue is sent at shutdown (priority 100) in this same PHP process. WooCommerce 11 hands it to
 * Action Scheduler there instead, to run in a later request: this stand-in is the harsher case.
 */
add_action('init', static function (): void {
    $defer = (bool) apply_filters('woocommerce_defer_transactional_emails', false);
    $send = static function ($orderId): void {
        wp_mail(get_option('admin_email'), 'New order #' . (int) $orderId, 'Order ' . (int) $orderId . ' was paid.');
    };
    foreach (['pending_to_processing', 'failed_to_processing', 'on-hold_to_processing', 'cancelled_to_processing'] as $transition) {
        add_action('woocommerce_order_status_' . $transition, static function ($orderId) use ($defer, $send): void {
            if (!$defer) {
                $send($orderId);
                return;
            }
            $GLOBALS['mypos_wc_standin_email_queue'][] = $orderId;
        });
    }
    add_action('shutdown', static function () use ($send): void {
        foreach ($GLOBALS['mypos_wc_standin_email_queue'] ?? [] as $orderId) {
            $send($orderId);
        }
    }, 100);
});

add_action('init', static function (): void {
    foreach (['pending', 'processing', 'on-hold', 'completed', 'cancelled', 'refunded', 'failed'] as $status) {
        register_post_status('wc-' . $status, ['internal' => true, 'label' => $status]);
    }
    register_post_type('shop_order', ['public' => false, 'supports' => ['title', 'comments', 'custom-fields']]);
});
