<?php

namespace MyPOS\IPC\WooCommerce;

use MyPOS\IPC\Config;
use MyPOS\IPC\Request;

/**
 * Builds the signed IPCPurchase for an order: lines, shipping and fees as cart lines in minor
 * units (discounts are already inside WooCommerce's line totals).
 */
final class PurchaseForm
{
    public function __construct(private Settings $settings)
    {
    }

    /**
     * The purchase of the order's current attempt (a new one unless the pay page is shown again
     * before anything happened to the last), recorded on the order and saved before the form
     * exists, so that myPOS's answer always finds its attempt.
     *
     * @throws \LengthException when the order has made its last allowed attempt
     * @throws \MyPOS\IPC\Exception when no OrderID can be made (the prefix)
     */
    public function forAttempt(Config $config, \WC_Order $order, string $mode, string $notifyUrl): Request
    {
        $currency = $order->get_currency();
        $amount = Money::toMinor($order->get_total(), $currency);
        $kind = Authorizations::authorizeOnly($this->settings) ? Attempts::PREAUTH : Attempts::PURCHASE;
        $prefix = $this->settings->orderPrefix();
        $attempt = Attempts::forRedirect($order, $prefix, $mode, $amount, $currency, $kind);
        // A pre-authorization never saves the card here (saved cards pay by their own charge).
        $save = $kind === Attempts::PURCHASE && self::savesCard($order);
        if (($attempt['card'] ?? null) !== ($save ? 'save' : null)) {
            // A reused attempt follows the buyer's latest choice (nothing reached myPOS yet).
            $attempt['card'] = $save ? 'save' : null;
            Attempts::put($order, $attempt);
        }
        $order->save();
        return $kind === Attempts::PREAUTH
            ? $this->buildPreAuthorization($config, $order, (string) $attempt['id'], $notifyUrl)
            : $this->build($config, $order, (string) $attempt['id'], $notifyUrl, $save);
    }

    /** IPCPreAuthorization: the amount is held on the card, to be captured from the order. */
    public function buildPreAuthorization(
        Config $config,
        \WC_Order $order,
        string $ipcOrderId,
        string $notifyUrl
    ): Request {
        $currency = $order->get_currency();
        return $config->preAuthorization([
            'order_id' => $ipcOrderId,
            /* translators: %s: order number */
            'item_name' => sprintf(__('Order %s', 'mypos-ipc'), $order->get_order_number()),
            'amount' => Money::toMinor($order->get_total(), $currency),
            'currency' => $currency,
            'url_ok' => $notifyUrl,
            'url_cancel' => $notifyUrl,
            'url_notify' => $notifyUrl,
        ]);
    }

    /**
     * Whether the payment also saves the card: the logged-in buyer ticked "Save this card", or
     * the order starts a subscription (its renewals charge the saved card).
     */
    public static function savesCard(\WC_Order $order): bool
    {
        return $order->get_customer_id() > 0
            && ($order->get_meta(Gateway::SAVE_CARD_META) === 'yes' || Subscriptions::hasSubscription($order));
    }

    public function build(
        Config $config,
        \WC_Order $order,
        string $ipcOrderId,
        string $notifyUrl,
        bool $saveCard = false
    ): Request {
        $currency = $order->get_currency();
        $total = Money::toMinor($order->get_total(), $currency);
        $purchase = [
            'order_id' => $ipcOrderId,
            'amount' => $total,
            'currency' => $currency,
            'url_ok' => $notifyUrl,
            'url_cancel' => $notifyUrl,
            'url_notify' => $notifyUrl,
            'payment_parameters' => $this->intSetting('payment_page', 1, 3, 1),
            'payment_method' => $this->intSetting('payment_methods', 1, 3, 1),
            'customer' => [
                'email' => (string) $order->get_billing_email(),
                'phone' => (string) $order->get_billing_phone(),
                'first_names' => (string) $order->get_billing_first_name(),
                'family_name' => (string) $order->get_billing_last_name(),
                'country' => Countries::alpha3((string) $order->get_billing_country()),
                'city' => (string) $order->get_billing_city(),
                'zip_code' => (string) $order->get_billing_postcode(),
                'address' => (string) $order->get_billing_address_1(),
            ],
            'cart' => self::cart($order, $total),
        ];
        if ($saveCard) {
            $purchase['card_token_request'] = 2;
        }
        return $config->purchase($purchase);
    }

    /**
     * Cart lines whose sum is exactly the order total; one summary line when rounding would
     * make them differ.
     *
     * @return list<array{article: string, quantity: int, unit_price: int, delivery?: bool}>
     */
    public static function cart(\WC_Order $order, int $total): array
    {
        $currency = $order->get_currency();
        $lines = [];
        foreach ($order->get_items(['line_item', 'fee']) as $item) {
            $lines[] = self::line(
                (string) $item->get_name(),
                max(1, (int) $item->get_quantity()),
                Money::toMinor((float) $item->get_total() + (float) $item->get_total_tax(), $currency),
                false
            );
        }
        foreach ($order->get_items('shipping') as $item) {
            $lines[] = self::line(
                (string) $item->get_name(),
                1,
                Money::toMinor((float) $item->get_total() + (float) $item->get_total_tax(), $currency),
                true
            );
        }
        $sum = 0;
        foreach ($lines as $line) {
            $sum += $line['quantity'] * $line['unit_price'];
            if ($line['unit_price'] < 0) {
                $sum = -1;
                break;
            }
        }
        if ($lines === [] || $sum !== $total) {
            /* translators: %s: order number */
            $name = sprintf(__('Order %s', 'mypos-ipc'), $order->get_order_number());
            return [['article' => $name, 'quantity' => 1, 'unit_price' => $total]];
        }
        return $lines;
    }

    /**
     * @return array{article: string, quantity: int, unit_price: int, delivery?: bool}
     */
    private static function line(string $name, int $quantity, int $lineTotal, bool $delivery): array
    {
        if ($lineTotal % $quantity !== 0) {
            // The unit price is not a whole number of minor units: send one line for all.
            $name = $quantity . ' × ' . $name;
            $quantity = 1;
        }
        $line = ['article' => $name, 'quantity' => $quantity, 'unit_price' => intdiv($lineTotal, $quantity)];
        if ($delivery) {
            $line['delivery'] = true;
        }
        return $line;
    }

    private function intSetting(string $key, int $min, int $max, int $default): int
    {
        $value = (int) $this->settings->get($key, (string) $default);
        return $value >= $min && $value <= $max ? $value : $default;
    }
}
