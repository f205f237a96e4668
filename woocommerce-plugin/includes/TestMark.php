<?php

namespace MyPOS\IPC\WooCommerce;

/**
 * The visible TEST mark of orders whose payment attempt was made in the myPOS test environment
 * (no money was taken): a column in the order list (posts and HPOS screens), a line on the
 * order screen and in the admin's new-order e-mail.
 */
final class TestMark
{
    public const COLUMN = 'mypos_ipc_mode';

    /** Whether the order's payment (or latest attempt) was made in test mode. */
    public static function isTest(mixed $order): bool
    {
        return $order instanceof \WC_Order
            && $order->get_payment_method() === Gateway::ID
            && Attempts::mode($order) === 'test';
    }

    public static function label(): string
    {
        return __('TEST', 'mypos-ipc');
    }

    /**
     * Adds the column after the order status (manage_edit-shop_order_columns and
     * manage_woocommerce_page_wc-orders_columns).
     *
     * @param array<string, string> $columns
     * @return array<string, string>
     */
    public function columns(array $columns): array
    {
        $out = [];
        foreach ($columns as $key => $title) {
            $out[$key] = $title;
            if ($key === 'order_status') {
                $out[self::COLUMN] = __('myPOS mode', 'mypos-ipc');
            }
        }
        $out[self::COLUMN] ??= __('myPOS mode', 'mypos-ipc');
        return $out;
    }

    /**
     * Prints the column's cell: $order is the WC_Order (HPOS) or the post id (posts storage).
     */
    public function cell(string $column, mixed $order): void
    {
        if ($column !== self::COLUMN) {
            return;
        }
        $order = $order instanceof \WC_Order ? $order : wc_get_order((int) $order);
        if (self::isTest($order)) {
            printf('<mark class="order-status status-on-hold"><span>%s</span></mark>', esc_html(self::label()));
        }
    }

    /** On the order screen, under the order details. */
    public function orderScreen(mixed $order): void
    {
        if (self::isTest($order)) {
            printf(
                '<p class="form-field form-field-wide">'
                . '<mark class="order-status status-on-hold"><span>%s</span></mark> %s</p>',
                esc_html(self::label()),
                esc_html__('Paid in the myPOS test environment: no money was taken.', 'mypos-ipc')
            );
        }
    }

    /** In e-mails sent to the admin (woocommerce_email_order_meta). */
    public function email(mixed $order, bool $sentToAdmin = false, bool $plainText = false): void
    {
        if (!$sentToAdmin || !self::isTest($order)) {
            return;
        }
        $text = self::label() . ': ' . __('Paid in the myPOS test environment: no money was taken.', 'mypos-ipc');
        echo $plainText ? "\n" . $text . "\n" : '<p><strong>' . esc_html($text) . '</strong></p>';
    }
}
