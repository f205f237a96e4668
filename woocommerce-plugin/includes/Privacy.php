<?php

namespace MyPOS\IPC\WooCommerce;

/**
 * WordPress's privacy tools for what the plug-in adds about a buyer: the suggested privacy-policy
 * text, and a personal-data exporter and eraser for the myPOS data kept in the buyer's orders
 * (the IPC_Trnref meta and the payment attempts record) and the buyer's saved myPOS cards
 * (exported as last four digits and expiry only; erased as a whole). The buyer's name and
 * addresses are WooCommerce's own order data, exported and erased by WooCommerce.
 */
final class Privacy
{
    /** The exporter's and eraser's key, and the export group. */
    public const ID = 'mypos-ipc';
    /** Orders per page, as WooCommerce's own order exporter. */
    private const PAGE = 10;
    /** While an order is in these, a payment may still arrive: its attempts must stay to verify it. */
    private const OPEN = ['pending', 'on-hold', 'checkout-draft'];

    /** admin_init: offers the text on Settings → Privacy → Policy Guide. */
    public function addPolicyContent(): void
    {
        if (function_exists('wp_add_privacy_policy_content')) {
            wp_add_privacy_policy_content(
                __('myPOS IPC for WooCommerce', 'mypos-ipc'),
                wp_kses_post(self::policyText())
            );
        }
    }

    /** The suggested privacy-policy paragraphs (HTML). */
    public static function policyText(): string
    {
        $paragraphs = [
            __(
                'When you pay with myPOS, we send myPOS the order number, amount, currency and items, and your'
                . ' billing name, e-mail address, phone number, country, city, postcode and address, so that myPOS'
                . ' can take the payment and check it for fraud.',
                'mypos-ipc'
            ),
            __(
                'You enter your card details on the myPOS payment page; they never reach this store.',
                'mypos-ipc'
            ),
            __(
                'With each order we keep the myPOS transaction reference and a record of each payment attempt'
                . ' (the order number sent to myPOS, test or live mode, amount, currency, state and times).'
                . ' We keep them as long as the order, for refunds and accounting.',
                'mypos-ipc'
            ),
            __(
                'If you save a card, we keep the reference myPOS gives for it (not the card number) with its last'
                . ' four digits, expiry and type, to charge it for your later purchases and subscription renewals.'
                . ' You can delete it in My Account at any time.',
                'mypos-ipc'
            ),
        ];
        return '<p>' . implode('</p><p>', array_map('esc_html', $paragraphs)) . '</p>';
    }

    /**
     * wp_privacy_personal_data_exporters.
     *
     * @param array<string, mixed> $exporters
     * @return array<string, mixed>
     */
    public function registerExporter(array $exporters): array
    {
        $exporters[self::ID] = [
            'exporter_friendly_name' => __('myPOS payments', 'mypos-ipc'),
            'callback' => [$this, 'export'],
        ];
        return $exporters;
    }

    /**
     * wp_privacy_personal_data_erasers.
     *
     * @param array<string, mixed> $erasers
     * @return array<string, mixed>
     */
    public function registerEraser(array $erasers): array
    {
        $erasers[self::ID] = [
            'eraser_friendly_name' => __('myPOS payments', 'mypos-ipc'),
            'callback' => [$this, 'erase'],
        ];
        return $erasers;
    }

    /**
     * The exporter: one item per order of $email that holds myPOS data.
     *
     * @return array{data: list<array<string, mixed>>, done: bool}
     */
    public function export(string $email, int $page = 1): array
    {
        $orders = self::orders($email, $page);
        $data = $page <= 1 ? self::cards($email) : [];
        foreach ($orders as $order) {
            $fields = self::fields($order);
            if ($fields !== []) {
                $data[] = [
                    'group_id' => self::ID,
                    'group_label' => __('myPOS payments', 'mypos-ipc'),
                    'group_description' => __('What the myPOS gateway keeps with your orders.', 'mypos-ipc'),
                    'item_id' => 'mypos-ipc-order-' . $order->get_id(),
                    'data' => array_merge(
                        [['name' => __('Order', 'mypos-ipc'), 'value' => $order->get_order_number()]],
                        $fields
                    ),
                ];
            }
        }
        return ['data' => $data, 'done' => count($orders) < self::PAGE];
    }

    /**
     * The eraser: removes the myPOS data from the orders of $email when the store erases order
     * data on request (WooCommerce's setting and its woocommerce_privacy_erase_order_personal_data
     * filter, as for the rest of the order) and no payment can still arrive for the order.
     *
     * @return array{items_removed: bool, items_retained: bool, messages: list<string>, done: bool}
     */
    public function erase(string $email, int $page = 1): array
    {
        $orders = self::orders($email, $page);
        $result = [
            'items_removed' => false,
            'items_retained' => false,
            'messages' => [],
            'done' => count($orders) < self::PAGE,
        ];
        if ($page <= 1) {
            $removed = self::eraseCards($email);
            if ($removed > 0) {
                $result['items_removed'] = true;
                $result['messages'][] = sprintf(
                    /* translators: %d: number of saved cards */
                    _n('Removed %d saved myPOS card.', 'Removed %d saved myPOS cards.', $removed, 'mypos-ipc'),
                    $removed
                );
            }
        }
        $enabled = get_option('woocommerce_erasure_request_removes_order_data', 'no') === 'yes';
        foreach ($orders as $order) {
            if (self::fields($order) === []) {
                continue;
            }
            if (in_array($order->get_status(), self::OPEN, true)) {
                $result['items_retained'] = true;
                $result['messages'][] = sprintf(
                    /* translators: %s: order number */
                    __('myPOS payment data of order %s was kept: a payment for it may still arrive.', 'mypos-ipc'),
                    $order->get_order_number()
                );
                continue;
            }
            if (!apply_filters('woocommerce_privacy_erase_order_personal_data', $enabled, $order)) {
                $result['items_retained'] = true;
                $result['messages'][] = sprintf(
                    __(
                        /* translators: %s: order number */
                        'myPOS payment data of order %s was kept with the order'
                        . ' (the store keeps order data on erasure requests).',
                        'mypos-ipc'
                    ),
                    $order->get_order_number()
                );
                continue;
            }
            $order->delete_meta_data(Orders::META_TRNREF);
            $order->delete_meta_data(Attempts::META);
            $order->save();
            $result['items_removed'] = true;
            $result['messages'][] = sprintf(
                /* translators: %s: order number */
                __('Removed the myPOS payment data of order %s.', 'mypos-ipc'),
                $order->get_order_number()
            );
        }
        return $result;
    }

    /** The account with the e-mail, or 0. */
    private static function userId(string $email): int
    {
        $user = get_user_by('email', $email);
        return $user instanceof \WP_User ? (int) $user->ID : 0;
    }

    /**
     * The buyer's saved myPOS cards as export items: last four digits and expiry, never the token.
     *
     * @return list<array<string, mixed>>
     */
    private static function cards(string $email): array
    {
        $items = [];
        foreach (CardTokens::all(self::userId($email)) as $card) {
            $items[] = [
                'group_id' => self::ID,
                'group_label' => __('myPOS payments', 'mypos-ipc'),
                'group_description' => __('What the myPOS gateway keeps with your orders.', 'mypos-ipc'),
                'item_id' => 'mypos-ipc-card-' . $card->get_id(),
                'data' => [
                    ['name' => __('Saved card, last four digits', 'mypos-ipc'), 'value' => (string) $card->get_last4()],
                    [
                        'name' => __('Saved card, expiry', 'mypos-ipc'),
                        'value' => sprintf(
                            '%02d/%s',
                            (int) $card->get_expiry_month(),
                            (string) $card->get_expiry_year()
                        ),
                    ],
                ],
            ];
        }
        return $items;
    }

    /** Deletes the buyer's saved myPOS cards; returns how many. */
    private static function eraseCards(string $email): int
    {
        $removed = 0;
        foreach (CardTokens::all(self::userId($email)) as $card) {
            \WC_Payment_Tokens::delete((int) $card->get_id());
            $removed++;
        }
        return $removed;
    }

    /**
     * The orders of a buyer, by billing e-mail and by the account with that e-mail, as
     * WooCommerce's own order exporter finds them.
     *
     * @return list<\WC_Order>
     */
    private static function orders(string $email, int $page): array
    {
        $customer = [$email];
        $user = get_user_by('email', $email);
        if ($user instanceof \WP_User) {
            $customer[] = (int) $user->ID;
        }
        $orders = wc_get_orders(['limit' => self::PAGE, 'page' => max(1, $page), 'customer' => $customer]);
        return array_values(array_filter($orders, static fn ($o): bool => $o instanceof \WC_Order));
    }

    /**
     * The myPOS data an order holds, as export name/value pairs (none: empty).
     *
     * @return list<array{name: string, value: string}>
     */
    private static function fields(\WC_Order $order): array
    {
        $fields = [];
        $trnref = (string) $order->get_meta(Orders::META_TRNREF);
        if ($trnref !== '') {
            $fields[] = ['name' => __('myPOS transaction reference', 'mypos-ipc'), 'value' => $trnref];
        }
        foreach (Attempts::all($order) as $attempt) {
            $fields[] = [
                /* translators: %d: attempt number (1, 2, ...) */
                'name' => sprintf(__('myPOS payment attempt %d', 'mypos-ipc'), $attempt['n']),
                'value' => self::describe($attempt),
            ];
        }
        return $fields;
    }

    /** @param array<string, mixed> $attempt */
    private static function describe(array $attempt): string
    {
        $parts = [sprintf(
            /* translators: %s: the OrderID sent to myPOS */
            __('order number at myPOS %s', 'mypos-ipc'),
            $attempt['id']
        )];
        if (is_string($attempt['mode'] ?? null)) {
            $parts[] = $attempt['mode'] === 'live' ? __('live mode', 'mypos-ipc') : __('test mode', 'mypos-ipc');
        }
        if (is_int($attempt['amount'] ?? null) && is_string($attempt['currency'] ?? null)) {
            $parts[] = Money::format($attempt['amount'], $attempt['currency']) . ' ' . $attempt['currency'];
        }
        if (is_string($attempt['state'] ?? null)) {
            $parts[] = $attempt['state'];
        }
        if (is_int($attempt['created'] ?? null)) {
            $parts[] = gmdate('Y-m-d H:i:s', $attempt['created']) . ' UTC';
        }
        if (is_string($attempt['trnref'] ?? null) && $attempt['trnref'] !== '') {
            $parts[] = 'IPC_Trnref ' . $attempt['trnref'];
        }
        return implode(', ', $parts);
    }
}
