<?php

// phpcs:ignoreFile -- test stand-ins keep WordPress/WooCommerce names and layout.
/**
 * Small, faithful stand-ins for the WordPress and WooCommerce API the plug-in calls.
 * State lives in Stub::$options, Stub::$orders (saved copies), Stub::$log, Stub::$locks.
 */

define('ABSPATH', __DIR__ . '/');

final class Stub
{
    public static array $options = [];
    /** @var array<int, WC_Order> saved orders (copies) */
    public static array $orders = [];
    public static array $log = [];
    public static array $locks = [];
    public static array $actions = [];
    public static array $adminErrors = [];
    public static array $http = [];
    /** @var callable|null */
    public static $httpHandler = null;
    /** Set to a MySQL error text to make the order data store fail, as a broken database would. */
    public static ?string $dbError = null;
    /** Set to a MySQL error text to make wc_get_order() fail as a lost connection would (false, the error in wpdb). */
    public static ?string $lookupError = null;
    /** Set to 'null' (GET_LOCK answers NULL) or 'error' (the query fails) to break the order lock. */
    public static ?string $lockFault = null;
    /** @var list<array{int, string}> every order note as written (WooCommerce stores notes at once, unsaved or not) */
    public static array $noteLog = [];
    /** @var list<array<string, mixed>> the arguments of every wc_create_refund() call */
    public static array $refunds = [];
    /** @var list<string> queries the fake database connection received */
    public static array $queries = [];
    /**
     * The rows of {prefix}mypos_ipc_messages (MessageClaims), keyed by "OrderID|trnref|method":
     * [order_id, state, gate]. Its unique keys are enforced as MySQL does.
     */
    public static array $messages = [];
    /** Set to a MySQL error text to make every write to the messages table fail ('throw': throw instead). */
    public static ?string $claimError = null;
    /** Whether the messages table exists (MessageClaims creates it when a write says it is missing). */
    public static bool $messagesTable = true;
    /** As WooCommerce with HPOS: wc_get_order() keeps the objects a request loaded (OrderCache). */
    public static bool $hposCache = false;
    /** @var array<int, WC_Order> */
    public static array $orderCache = [];

    /** @var array<string, array<string, string>> domain => msgid => translation, as a loaded .mo gives */
    public static array $translations = [];

    /** What the WordPress salts hold (a test changes it as a migration or security plug-in would). */
    public static string $salt = '';

    /** wp_get_environment_type(); the notify URL's scheme (WC()->api_request_url()). */
    public static string $environment = 'production';
    public static string $scheme = 'https';
    /** The autoload flag each update_option() was given (null: not given). */
    public static array $autoload = [];
    /** Whether check_admin_referer() finds a valid nonce. */
    public static bool $nonceValid = true;
    /** Whether the current user may manage WooCommerce (current_user_can()). */
    public static bool $canManage = true;
    /** @var list<array{hook: string, group: string, status: string, at: int}> Action Scheduler's actions table */
    public static array $asActions = [];

    public static function reset(): void
    {
        self::$salt = str_repeat('x', 40);
        self::$hposCache = false;
        self::$translations = [];
        self::$options = self::$orders = self::$orderCache = self::$log = self::$locks = self::$actions = [];
        self::$adminErrors = self::$http = [];
        self::$httpHandler = null;
        self::$dbError = self::$lockFault = self::$lookupError = null;
        self::$environment = 'production';
        self::$scheme = 'https';
        self::$autoload = self::$asActions = [];
        self::$nonceValid = self::$canManage = true;
        self::$queries = self::$noteLog = self::$refunds = self::$messages = [];
        self::$claimError = null;
        self::$messagesTable = true;
        $GLOBALS['wpdb']->last_error = '';
    }
}

function add_action(string $hook, $callback, int $priority = 10, int $args = 1): void
{
    Stub::$actions[$hook][] = $callback;
}
function add_filter(string $hook, $callback, int $priority = 10, int $args = 1): void
{
    Stub::$actions[$hook][] = $callback;
}
function __(string $text, string $domain = 'default'): string { return Stub::$translations[$domain][$text] ?? $text; }
function esc_html__(string $text, string $domain = 'default'): string { return esc_html(__($text, $domain)); }
function determine_locale(): string { return 'en_US'; }
function load_textdomain(string $domain, string $mofile, ?string $locale = null): bool { return is_readable($mofile); }
function wp_set_script_translations(string $handle, string $domain = 'default', string $path = ''): bool
{
    Stub::$actions['script_translations'][$handle] = [$domain, $path];
    return true;
}
function esc_html(string $text): string { return htmlspecialchars($text, ENT_QUOTES, 'UTF-8'); }
function esc_attr(string $text): string { return htmlspecialchars($text, ENT_QUOTES, 'UTF-8'); }
function wp_unslash($value) { return is_string($value) ? stripslashes($value) : $value; }
function current_user_can(string $cap): bool { return Stub::$canManage; }
function load_plugin_textdomain(string $domain, $deprecated = false, string $path = ''): bool { return true; }
function plugin_basename(string $file): string { return basename(dirname($file)) . '/' . basename($file); }
function status_header(int $code): void {}
function wc_get_checkout_url(): string { return 'https://shop.test/checkout/'; }
function get_option(string $name, $default = false) { return Stub::$options[$name] ?? $default; }
function add_option(string $name, $value = '', string $deprecated = '', $autoload = 'yes'): bool
{
    if (array_key_exists($name, Stub::$options)) {
        return false;
    }
    Stub::$options[$name] = $value;
    return true;
}
function update_option(string $name, $value, $autoload = null): bool { Stub::$options[$name] = $value; Stub::$autoload[$name] = $autoload; return true; }
function delete_option(string $name): bool { $had = isset(Stub::$options[$name]); unset(Stub::$options[$name]); return $had; }
function wp_salt(string $scheme = 'auth'): string { return 'test-salt-' . $scheme . '-' . Stub::$salt; }

function wc_get_order($id)
{
    $id = (int) $id;
    if (Stub::$lookupError !== null) {
        $GLOBALS['wpdb']->last_error = Stub::$lookupError;
        return false;
    }
    if (Stub::$hposCache && isset(Stub::$orderCache[$id])) {
        return Stub::$orderCache[$id];
    }
    $order = isset(Stub::$orders[$id]) ? clone Stub::$orders[$id] : false;
    if ($order && Stub::$hposCache) {
        Stub::$orderCache[$id] = $order;
    }
    return $order;
}

function wc_get_logger(): WC_Logger
{
    static $logger = null;
    return $logger ??= new WC_Logger();
}

final class WC_Logger
{
    public function log(string $level, string $message, array $context = []): void
    {
        Stub::$log[] = ['level' => $level, 'message' => $message, 'source' => $context['source'] ?? ''];
        // Also kept on disk (as WooCommerce does) for the secrets suite (Makefile: MYPOS_TEST_ARTIFACTS).
        $dir = getenv('MYPOS_TEST_ARTIFACTS');
        if ($dir !== false && $dir !== '') {
            is_dir($dir . '/plugin/logs') || mkdir($dir . '/plugin/logs', 0777, true);
            file_put_contents($dir . '/plugin/logs/wc.log', strtoupper($level) . ' ' . $message . "\n", FILE_APPEND);
        }
    }
}

class WP_Error
{
    public function __construct(private string $code = '', private string $message = '') {}
    public function get_error_code(): string { return $this->code; }
    public function get_error_message(): string { return $this->message; }
}
function is_wp_error($thing): bool { return $thing instanceof WP_Error; }

/**
 * As WordPress's HTTP API on its curl transport: a response array for any HTTP status, a
 * WP_Error 'http_request_failed' with "cURL error N: ..." when no answer came (refused, timeout).
 */
function wp_remote_post(string $url, array $args = [])
{
    Stub::$http[] = ['url' => $url, 'args' => $args];
    if (Stub::$httpHandler !== null) {
        return (Stub::$httpHandler)($url, $args);
    }
    $verify = (bool) ($args['sslverify'] ?? true);
    $curl = curl_init($url);
    curl_setopt_array($curl, [
        CURLOPT_POST => true, CURLOPT_POSTFIELDS => (string) ($args['body'] ?? ''), CURLOPT_RETURNTRANSFER => true,
        CURLOPT_TIMEOUT => (int) ($args['timeout'] ?? 5), CURLOPT_CONNECTTIMEOUT => (int) ($args['timeout'] ?? 5),
        CURLOPT_SSL_VERIFYPEER => $verify, CURLOPT_SSL_VERIFYHOST => $verify ? 2 : 0,
        CURLOPT_HTTPHEADER => ['Content-Type: application/x-www-form-urlencoded'],
        CURLOPT_HEADERFUNCTION => static function ($curl, string $line) use (&$headers): int {
            if (str_contains($line, ':')) {
                [$name, $value] = explode(':', $line, 2);
                $headers[strtolower(trim($name))] = trim($value);
            }
            return strlen($line);
        },
    ]);
    $headers = [];
    $body = curl_exec($curl);
    if ($body === false) {
        $error = new WP_Error('http_request_failed', 'cURL error ' . curl_errno($curl) . ': ' . curl_error($curl));
        curl_close($curl);
        return $error;
    }
    $code = (int) curl_getinfo($curl, CURLINFO_RESPONSE_CODE);
    curl_close($curl);
    return ['headers' => $headers, 'body' => (string) $body, 'response' => ['code' => $code, 'message' => ''], 'cookies' => []];
}
function wp_remote_retrieve_response_code($response) { return is_array($response) ? (int) ($response['response']['code'] ?? 200) : ''; }
function wp_remote_retrieve_body($response): string { return is_array($response) ? (string) ($response['body'] ?? '') : ''; }
function wp_remote_retrieve_header($response, string $header) { return is_array($response) ? ($response['headers'][strtolower($header)] ?? '') : ''; }

final class WC_Admin_Settings
{
    public static function add_error(string $text): void { Stub::$adminErrors[] = $text; }
}

final class WC_Stub_Main
{
    public function api_request_url(string $request): string { return Stub::$scheme . '://shop.test/?wc-api=' . $request; }
}
function WC(): WC_Stub_Main { return new WC_Stub_Main(); }

/** The fake database connection: named locks as MySQL GET_LOCK/RELEASE_LOCK behave (per name). */
final class Stub_WPDB
{
    public string $prefix = 'wp_';
    public string $options = 'wp_options';
    public string $last_error = '';
    public int $rows_affected = 0;

    public function suppress_errors(bool $suppress = true): bool { return false; }

    /** The statements MessageClaims sends, on Stub::$messages. */
    public function query(string $query)
    {
        Stub::$queries[] = $query;
        $this->last_error = '';
        $this->rows_affected = 0;
        if (!str_contains($query, 'wp_mypos_ipc_messages')) {
            throw new RuntimeException('unexpected query: ' . $query);
        }
        if ($query === 'DROP TABLE IF EXISTS wp_mypos_ipc_messages') {
            Stub::$messagesTable = false;
            Stub::$messages = [];
            return true;
        }
        if (str_starts_with($query, 'CREATE TABLE IF NOT EXISTS wp_mypos_ipc_messages (')) {
            Stub::$messagesTable = true;
            return true;
        }
        if (!Stub::$messagesTable) {
            $this->last_error = "Table 'wp.wp_mypos_ipc_messages' doesn't exist";
            return false;
        }
        if (Stub::$claimError === 'throw') {
            throw new RuntimeException('a db.php drop-in failed');
        }
        if (Stub::$claimError !== null) {
            $this->last_error = Stub::$claimError;
            return false;
        }
        $gateHeld = static function (int $order, ?string $except = null): bool {
            foreach (Stub::$messages as $key => [$o, , $gate]) {
                if ($o === $order && $gate === 1 && $key !== $except) {
                    return true;
                }
            }
            return false;
        };
        if (preg_match("/^INSERT INTO wp_mypos_ipc_messages .* VALUES \\((\\d+), '(.*)', '(.*)', '(.*)', 'applying', 1,/", $query, $m)) {
            $key = "{$m[2]}|{$m[3]}|{$m[4]}";
            if (isset(Stub::$messages[$key]) || $gateHeld((int) $m[1])) {
                $this->last_error = "Duplicate entry '{$m[1]}-1' for key 'gate'";
                return false;
            }
            Stub::$messages[$key] = [(int) $m[1], 'applying', 1];
            return $this->rows_affected = 1;
        }
        if (preg_match("/^UPDATE wp_mypos_ipc_messages SET gate = 1, .* WHERE ipc_order_id = '(.*)' AND trnref = '(.*)' AND method = '(.*)' AND gate IS NULL$/", $query, $m)) {
            $key = "{$m[1]}|{$m[2]}|{$m[3]}";
            if (!isset(Stub::$messages[$key]) || Stub::$messages[$key][2] !== null) {
                return 0;
            }
            if ($gateHeld(Stub::$messages[$key][0], $key)) {
                $this->last_error = "Duplicate entry for key 'gate'";
                return false;
            }
            Stub::$messages[$key] = [Stub::$messages[$key][0], 'applying', 1];
            return $this->rows_affected = 1;
        }
        if (preg_match("/^UPDATE wp_mypos_ipc_messages SET gate = NULL, state = '(\\w+)', .* AND ipc_order_id = '(.*)' AND trnref = '(.*)' AND method = '(.*)'$/", $query, $m)) {
            $key = "{$m[2]}|{$m[3]}|{$m[4]}";
            Stub::$messages[$key] = [Stub::$messages[$key][0] ?? 0, $m[1], null];
            return $this->rows_affected = 1;
        }
        if (str_starts_with($query, "UPDATE wp_mypos_ipc_messages SET gate = NULL, state = 'abandoned'")) {
            return 0; // the stub's workers never die
        }
        throw new RuntimeException('unexpected query: ' . $query);
    }

    /** As wpdb: escapes LIKE's wildcards. */
    public function esc_like(string $text): string { return addcslashes($text, '_%\\'); }

    /** SELECT option_name ... WHERE option_name LIKE '...' OR ...: the matching names of Stub::$options. */
    public function get_col(string $query): array
    {
        Stub::$queries[] = $query;
        if (!preg_match('/^SELECT option_name FROM wp_options WHERE /', $query)) {
            throw new RuntimeException('unexpected query: ' . $query);
        }
        preg_match_all("/option_name LIKE '((?:[^'\\\\]|\\\\.)*)'/", $query, $m);
        $patterns = array_map(static function (string $quoted): string {
            $like = stripslashes($quoted); // prepare()'s addslashes
            $regex = preg_replace_callback('/\\\\(.)|(%)|(_)|([^\\\\%_]+)/', static fn ($p) => match (true) {
                ($p[1] ?? '') !== '' => preg_quote($p[1], '/'),
                ($p[2] ?? '') !== '' => '.*',
                ($p[3] ?? '') !== '' => '.',
                default => preg_quote($p[4], '/'),
            }, $like);
            return '/^' . $regex . '$/s';
        }, $m[1]);
        return array_values(array_filter(array_keys(Stub::$options), static function ($name) use ($patterns): bool {
            foreach ($patterns as $pattern) {
                if (preg_match($pattern, (string) $name)) {
                    return true;
                }
            }
            return false;
        }));
    }

    public function prepare(string $query, ...$args): string
    {
        $i = 0;
        return (string) preg_replace_callback('/%[sd]/', function (array $m) use (&$i, $args) {
            $v = $args[$i++];
            return $m[0] === '%d' ? (string) (int) $v : "'" . addslashes((string) $v) . "'";
        }, $query);
    }

    public function get_var(string $query)
    {
        Stub::$queries[] = $query;
        $this->last_error = ''; // as wpdb::flush() before each query
        if (str_starts_with($query, 'SELECT GET_LOCK(') && Stub::$lockFault === 'null') {
            return null;
        }
        if (str_starts_with($query, 'SELECT GET_LOCK(') && Stub::$lockFault === 'error') {
            $this->last_error = "Lost connection to server during query";
            return null;
        }
        if (preg_match("/^SELECT GET_LOCK\\('(.*)', (\\d+)\\)$/", $query, $m)) {
            if (isset(Stub::$locks[$m[1]])) {
                return '0'; // held by another connection until the timeout
            }
            Stub::$locks[$m[1]] = true;
            return '1';
        }
        if ($query === 'SELECT @@wsrep_on') {
            return '0'; // MariaDB without Galera
        }
        if (preg_match("/^SELECT RELEASE_LOCK\\('(.*)'\\)$/", $query, $m)) {
            $had = isset(Stub::$locks[$m[1]]);
            unset(Stub::$locks[$m[1]]);
            return $had ? '1' : null;
        }
        throw new RuntimeException('unexpected query: ' . $query);
    }
}
$GLOBALS['wpdb'] = new Stub_WPDB();

abstract class WC_Settings_API
{
    public $id = '';
    public $plugin_id = 'woocommerce_';
    public $settings = [];
    public $form_fields = [];

    public function get_option_key(): string { return $this->plugin_id . $this->id . '_settings'; }
    public function get_field_key(string $key): string { return $this->plugin_id . $this->id . '_' . $key; }

    public function init_settings(): void
    {
        $this->settings = get_option($this->get_option_key(), []);
        foreach ($this->form_fields as $key => $field) {
            if (!isset($this->settings[$key])) {
                $this->settings[$key] = $field['default'] ?? '';
            }
        }
    }

    public function get_option(string $key, $empty = null)
    {
        return $this->settings[$key] ?? $empty;
    }

    public $data = [];

    public function set_post_data(array $data = []): void { $this->data = $data; }
    public function get_post_data(): array { return !empty($this->data) && is_array($this->data) ? $this->data : $_POST; }

    /** As WooCommerce: validate_{key}_field, else validate_{type}_field, else as text; then save the option. */
    public function process_admin_options(): bool
    {
        $post = $this->get_post_data();
        $this->init_settings();
        foreach ($this->form_fields as $key => $field) {
            $raw = $post[$this->get_field_key($key)] ?? null;
            $type = $field['type'] ?? 'text';
            if (method_exists($this, 'validate_' . $key . '_field')) {
                $value = $this->{'validate_' . $key . '_field'}($key, $raw);
            } elseif (method_exists($this, 'validate_' . $type . '_field')) {
                $value = $this->{'validate_' . $type . '_field'}($key, $raw);
            } elseif (($field['type'] ?? 'text') === 'checkbox') {
                $value = $raw !== null ? 'yes' : 'no';
            } else {
                $value = is_string($raw) ? trim(stripslashes($raw)) : ($raw ?? '');
            }
            $this->settings[$key] = $value;
        }
        return update_option($this->get_option_key(), $this->settings);
    }
}

abstract class WC_Payment_Gateway extends WC_Settings_API
{
    public $title = '';
    public $description = '';
    public $enabled = 'no';
    public $method_title = '';
    public $method_description = '';
    public $has_fields = false;
    public $supports = [];
    public $icon = '';

    public function is_available(): bool { return $this->enabled === 'yes'; }
    /** As WooCommerce: an img of $icon, through the woocommerce_gateway_icon filter. */
    public function get_icon(): string
    {
        $icon = $this->icon ? '<img src="' . esc_url($this->icon) . '" alt="' . esc_attr($this->title) . '" />' : '';
        return apply_filters('woocommerce_gateway_icon', $icon, $this->id);
    }
    public function supports(string $feature): bool { return in_array($feature, $this->supports, true); }
    /** As WC_Payment_Gateway's tokenization fields: a radio per offered saved card, "new", the save box. */
    public function tokenization_script(): void {}
    public function saved_payment_methods(): void
    {
        foreach (WC_Payment_Tokens::get_customer_tokens(get_current_user_id(), $this->id) as $token) {
            echo '<input type="radio" name="wc-' . esc_attr($this->id) . '-payment-token" value="' . $token->get_id() . '">' . esc_html($token->get_display_name());
        }
        echo '<input type="radio" name="wc-' . esc_attr($this->id) . '-payment-token" value="new">';
    }
    public function save_payment_method_checkbox(): void
    {
        echo '<input type="checkbox" name="wc-' . esc_attr($this->id) . '-new-payment-method" value="true">';
    }
}

class WC_Order_Item
{
    public function __construct(private string $name, private int $quantity, private float $total, private float $tax = 0.0) {}
    public function get_name(): string { return $this->name; }
    public function get_quantity(): int { return $this->quantity; }
    public function get_total(): float { return $this->total; }
    public function get_total_tax(): float { return $this->tax; }
}

class WC_Order
{
    private array $meta = [];
    public array $notes = [];
    public array $items = ['line_item' => [], 'fee' => [], 'shipping' => []];
    public int $stockReductions = 0;
    public int $saves = 0;
    public string $transactionId = '';
    public array $billing = ['email' => 'buyer@example.com', 'phone' => '+359888000000', 'first_name' => 'Ivan', 'last_name' => 'Petrov', 'country' => 'BG', 'city' => 'Sofia', 'postcode' => '1000', 'address_1' => 'ul. Vitosha 1'];

    public function __construct(
        private int $id,
        private string $total,
        private string $currency = 'EUR',
        private string $status = 'pending',
        private string $paymentMethod = 'mypos_ipc'
    ) {
        $this->created = time();
    }

    /** Unix time the order was created (null: unknown, as WooCommerce before saving). */
    public ?int $created;

    public function get_id(): int { return $this->id; }
    public function get_date_created(): ?DateTimeImmutable { return $this->created === null ? null : new DateTimeImmutable('@' . $this->created); }
    public function get_order_number(): string { return (string) $this->id; }
    public function get_total(): string { return $this->total; }
    public function get_currency(): string { return $this->currency; }
    public function get_status(): string { return $this->status; }
    public function get_payment_method(): string { return $this->paymentMethod; }
    public function get_transaction_id(): string { return $this->transactionId; }
    /** The customer's user id (0: a guest). */
    public int $customerId = 0;
    public function get_customer_id(): int { return $this->customerId; }
    public function get_view_order_url(): string { return 'https://shop.test/my-account/view-order/' . $this->id . '/'; }
    public function set_transaction_id(string $id): void { $this->transactionId = $id; }
    public function get_meta(string $key, bool $single = true) { return $this->meta[$key] ?? ''; }
    /** As WC_Data: $force reads the meta from the store again instead of the object cache. */
    public function read_meta_data(bool $force = false): void
    {
        if ($force && isset(Stub::$orders[$this->id])) {
            $this->meta = Stub::$orders[$this->id]->meta;
        }
    }
    public function update_meta_data(string $key, $value): void { $this->meta[$key] = $value; }
    public function delete_meta_data(string $key): void { unset($this->meta[$key]); }
    public function add_order_note(string $note): int { $this->notes[] = $note; Stub::$noteLog[] = [$this->id, $note]; return count($this->notes); }
    public function get_items($types = 'line_item'): array
    {
        $out = [];
        foreach ((array) $types as $type) {
            $out = array_merge($out, $this->items[$type] ?? []);
        }
        return $out;
    }
    /** As WooCommerce: through the woocommerce_get_checkout_payment_url filter. */
    public function get_checkout_payment_url(bool $onCheckout = false): string
    {
        return apply_filters('woocommerce_get_checkout_payment_url', 'https://shop.test/checkout/order-pay/' . $this->id . '/?pay_for_order=true', $this);
    }
    public function get_checkout_order_received_url(): string { return 'https://shop.test/checkout/order-received/' . $this->id . '/'; }
    public function __call(string $name, array $args)
    {
        if (str_starts_with($name, 'get_billing_')) {
            return $this->billing[substr($name, 12)] ?? '';
        }
        throw new BadMethodCallException($name);
    }

    /**
     * As WooCommerce 11's WC_Order::payment_complete(): only from pending/on-hold/failed/
     * cancelled; sets the transaction id and the status (filter
     * woocommerce_payment_complete_order_status), reduces stock, saves, then fires
     * woocommerce_payment_complete. It catches an Exception (not an Error) thrown by any of
     * it, logs it, adds a note and returns false.
     */
    public function payment_complete(string $transactionId = ''): bool
    {
        try {
            do_action('woocommerce_pre_payment_complete', $this->id, $transactionId);
            if (in_array($this->status, ['pending', 'on-hold', 'failed', 'cancelled'], true)) {
                $this->transactionId = $transactionId;
                $this->status = (string) apply_filters('woocommerce_payment_complete_order_status', 'processing', $this->id, $this);
                $this->stockReductions++;
                $this->save();
                do_action('woocommerce_payment_complete', $this->id, $transactionId);
            } else {
                do_action('woocommerce_payment_complete_order_status_' . $this->status, $this->id, $transactionId);
            }
        } catch (Exception $e) {
            wc_get_logger()->log('error', sprintf('Error completing payment for order #%d', $this->id), ['source' => 'woocommerce', 'error' => $e]);
            $this->add_order_note('Payment complete event failed. ' . $e->getMessage());
            return false;
        }
        return true;
    }

    public function update_status(string $status, string $note = ''): bool
    {
        if ($note !== '') {
            $this->notes[] = $note;
        }
        $this->status = $status;
        $this->save();
        return true;
    }

    public function set_status(string $status): void { $this->status = $status; }

    /**
     * As WooCommerce: the data store writes the order; when the database fails the data store
     * throws and WC_Abstract_Order::save() catches it, logs "Error saving order." and returns the
     * id as if nothing happened. Nothing is stored then.
     */
    public function save(): int
    {
        $this->saves++;
        try {
            if (Stub::$dbError !== null) {
                $GLOBALS['wpdb']->last_error = Stub::$dbError;
                throw new Exception('Could not persist order to database table "wp_wc_orders". ' . Stub::$dbError);
            }
            Stub::$orders[$this->id] = clone $this;
        } catch (Exception $e) {
            wc_get_logger()->log('error', 'Error saving order.', ['source' => 'woocommerce', 'error' => $e->getMessage()]);
        }
        return $this->id;
    }
}

function is_ssl(): bool { return !empty($GLOBALS['stub_is_ssl']); }

function wp_register_script(string $handle, string $src, array $deps = [], $ver = false, $inFooter = false): bool
{
    Stub::$actions['scripts'][$handle] = $src;
    return true;
}
function plugins_url(string $path = '', string $plugin = ''): string { return 'https://shop.test/wp-content/plugins/' . basename(dirname($plugin)) . '/' . $path; }

const HOUR_IN_SECONDS = 3600;
const DAY_IN_SECONDS = 86400;

/** Action Scheduler: records what is scheduled. */
function as_has_scheduled_action(string $hook, $args = null, string $group = ''): bool
{
    return isset(Stub::$actions['scheduled'][$hook]);
}
function as_schedule_recurring_action(int $ts, int $interval, string $hook, array $args = [], string $group = ''): int
{
    Stub::$actions['scheduled'][$hook][] = ['at' => $ts, 'every' => $interval, 'args' => $args, 'group' => $group];
    return 1;
}
function as_schedule_single_action(int $ts, string $hook, array $args = [], string $group = ''): int
{
    Stub::$actions['scheduled'][$hook][] = ['at' => $ts, 'args' => $args, 'group' => $group];
    return 1;
}

/**
 * wc_get_orders with the arguments the plug-in uses: status list (none: any), payment_method,
 * customer (billing e-mails or user ids), limit and page.
 */
function wc_get_orders(array $query): array
{
    $out = [];
    foreach (Stub::$orders as $order) {
        if ((!isset($query['status']) || in_array($order->get_status(), (array) $query['status'], true))
            && $order->get_payment_method() === ($query['payment_method'] ?? $order->get_payment_method())
            && (!isset($query['customer']) || in_array($order->get_billing_email(), (array) $query['customer'], true))) {
            $out[] = clone $order;
        }
    }
    $limit = $query['limit'] ?? 10;
    return array_slice($out, (max(1, $query['page'] ?? 1) - 1) * $limit, $limit);
}

function admin_url(string $path = ''): string { return 'https://shop.test/wp-admin/' . $path; }
function wp_nonce_url(string $url, string $action): string { return $url . (str_contains($url, '?') ? '&' : '?') . '_wpnonce=' . md5($action); }
function esc_url(string $url): string { return htmlspecialchars($url, ENT_QUOTES, 'UTF-8'); }
function get_transient(string $name) { return Stub::$options['_transient_' . $name] ?? false; }
function set_transient(string $name, $value, int $ttl = 0): bool { Stub::$options['_transient_' . $name] = $value; return true; }
function delete_transient(string $name): bool { unset(Stub::$options['_transient_' . $name]); return true; }

function get_woocommerce_currency(): string { return Stub::$options['woocommerce_currency'] ?? 'EUR'; }
/** As WordPress: runs the callbacks add_action() registered for the hook, in order. */
function do_action(string $hook, ...$args): void
{
    foreach (Stub::$actions[$hook] ?? [] as $callback) {
        $callback(...$args);
    }
}
/** As WooCommerce: processing and completed, extended by the woocommerce_order_is_paid_statuses filter. */
function wc_get_is_paid_statuses(): array
{
    return apply_filters('woocommerce_order_is_paid_statuses', ['processing', 'completed']);
}
/** As WordPress. */
function __return_true(): bool { return true; }
/** As WordPress. */
function home_url(string $path = ''): string { return 'https://shop.test' . $path; }
/** As WordPress: sends a Location header. */
function wp_safe_redirect(string $location, int $status = 302): bool { header('Location: ' . $location, true, $status); return true; }
/** As WordPress: runs the callbacks add_filter() registered for the hook, in order.*/
function apply_filters(string $hook, $value, ...$args)
{
    foreach (Stub::$actions[$hook] ?? [] as $callback) {
        $value = $callback($value, ...$args);
    }
    return $value;
}

/** As WooCommerce: records the refund (refund_payment false: no gateway call) and returns it. */
function wc_create_refund(array $args = [])
{
    if (!isset(Stub::$orders[(int) ($args['order_id'] ?? 0)])) {
        return new WP_Error('woocommerce_refund', 'Invalid order ID.');
    }
    Stub::$refunds[] = $args;
    return new WC_Order(1000 + count(Stub::$refunds), (string) ($args['amount'] ?? '0'));
}

/** As WordPress: WP_ENVIRONMENT_TYPE, 'production' unless set. */
function wp_get_environment_type(): string { return Stub::$environment; }

final class Stub_WP_Die extends RuntimeException {}
/** As WordPress: ends the request with a message (here: throws, with the HTTP status as code). */
function wp_die($message = '', $title = '', $args = []): void
{
    throw new Stub_WP_Die((string) $message, (int) ($args['response'] ?? 500));
}
/** As WordPress: dies with "The link you followed has expired." unless the nonce of $action is valid. */
function check_admin_referer(string $action = '-1', string $queryArg = '_wpnonce'): int
{
    Stub::$actions['checked_nonce'][] = $action;
    if (!Stub::$nonceValid) {
        wp_die('The link you followed has expired.', '', ['response' => 403]);
    }
    return 1;
}

/** Action Scheduler: the next run of $hook (timestamp), false when none is pending. */
function as_next_scheduled_action(string $hook, $args = null, string $group = '')
{
    $at = array_column(Stub::$actions['scheduled'][$hook] ?? [], 'at');
    return $at === [] ? false : min($at);
}
/** Action Scheduler: ids of the actions matching group, status and date (date_compare <= or >=). */
function as_get_scheduled_actions(array $args = [], string $returnFormat = OBJECT): array
{
    $ids = [];
    foreach (Stub::$asActions as $id => $action) {
        if (isset($args['group']) && $action['group'] !== $args['group']) continue;
        if (isset($args['status']) && $action['status'] !== $args['status']) continue;
        if (isset($args['date'])) {
            $after = ($args['date_compare'] ?? '<=') === '>=';
            if ($after ? $action['at'] < $args['date'] : $action['at'] > $args['date']) continue;
        }
        $ids[] = $id + 1;
    }
    return array_slice($ids, 0, (int) ($args['per_page'] ?? 5));
}
const OBJECT = 'OBJECT';
