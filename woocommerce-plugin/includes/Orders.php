<?php

namespace MyPOS\IPC\WooCommerce;

/**
 * Finds orders and describes them to the native core, through WooCommerce CRUD only.
 */
final class Orders
{
    public const META_TRNREF = '_mypos_ipc_trnref';

    /**
     * The WooCommerce order id an OrderID names (`<prefix>-<order id>-<n>` or a bare order id,
     * parsed by the extension), or null when it names none.
     */
    public static function orderIdOf(?string $ipcOrderId): ?int
    {
        if ($ipcOrderId === null) {
            return null;
        }
        try {
            $order = \MyPOS\IPC\parse_attempt_id($ipcOrderId)['order'];
        } catch (\MyPOS\IPC\Exception $e) {
            return null;
        }
        return ctype_digit($order) && strlen($order) < 19 ? (int) $order : null;
    }

    /** The attempt number an OrderID names (1 for a bare order id), or null when none. */
    public static function attemptOf(?string $ipcOrderId): ?int
    {
        try {
            return $ipcOrderId === null ? null : (int) \MyPOS\IPC\parse_attempt_id($ipcOrderId)['attempt'];
        } catch (\MyPOS\IPC\Exception $e) {
            return null;
        }
    }

    /** The order paid through this gateway that an OrderID names (any of its attempts), or null. */
    public static function find(?string $ipcOrderId): ?\WC_Order
    {
        $id = self::orderIdOf($ipcOrderId);
        if ($id === null) {
            return null;
        }
        $order = wc_get_order($id);
        if (!$order instanceof \WC_Order || $order->get_payment_method() !== Gateway::ID) {
            return null;
        }
        return $order;
    }

    /**
     * The order as the database has it now, for a re-read under the order lock: drops what this
     * request cached about it first, else a notification handled while another worker paid the
     * order would still see it pending and pay it again. With posts storage that is WordPress's
     * post cache; with HPOS, wc_get_order() answers from WooCommerce's OrderCache (the order
     * objects this request already loaded), which clean_post_cache() does not touch. Meta comes
     * from WooCommerce's own meta cache in both: read it again, else a duplicate notify sees the
     * order paid without its IPC_Trnref and is refused (and myPOS reverses the payment).
     */
    public static function findFresh(?string $ipcOrderId): ?\WC_Order
    {
        $id = self::orderIdOf($ipcOrderId);
        if ($id !== null) {
            if (function_exists('clean_post_cache')) {
                clean_post_cache($id);
            }
            $orderCache = \Automattic\WooCommerce\Caches\OrderCache::class; // a name only: no autoload
            if (function_exists('wc_get_container') && class_exists($orderCache)) {
                wc_get_container()->get($orderCache)->remove($id);
            }
        }
        $order = self::find($ipcOrderId);
        $order?->read_meta_data(true);
        return $order;
    }

    /**
     * The statuses WooCommerce counts as paid (wc_get_is_paid_statuses(), which other plug-ins
     * extend through the woocommerce_order_is_paid_statuses filter), without the wc- prefix.
     *
     * @return list<string>
     */
    public static function paidStatuses(): array
    {
        $statuses = function_exists('wc_get_is_paid_statuses')
            ? (array) wc_get_is_paid_statuses()
            : ['processing', 'completed'];
        return array_values(array_map(
            static fn ($s): string => (string) preg_replace('/^wc-/', '', (string) $s),
            $statuses
        ));
    }

    /**
     * The snapshot Notification::decide() expects (the status mapped by OrderState).
     *
     * @return array{amount: int, currency: string, state: string, trnref: ?string}
     */
    public static function snapshot(\WC_Order $order): array
    {
        $authorized = Attempts::authorized($order);
        if ($authorized !== null) {
            // Held by a pre-authorization, whatever the status says: not paid until captured.
            return [
                'amount' => Money::toMinor($order->get_total(), $order->get_currency()),
                'currency' => $order->get_currency(),
                'state' => 'authorized',
                'trnref' => (string) ($authorized['trnref'] ?? ''),
            ];
        }
        return OrderState::snapshot(
            Money::toMinor($order->get_total(), $order->get_currency()),
            $order->get_currency(),
            $order->get_status(),
            (string) $order->get_meta(self::META_TRNREF),
            self::paidStatuses()
        );
    }
}
