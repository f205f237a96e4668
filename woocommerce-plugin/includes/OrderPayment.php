<?php

namespace MyPOS\IPC\WooCommerce;

use MyPOS\IPC\Config;

/**
 * Which myPOS payment an order's later operations (refunds, status checks) address: the
 * OrderID of its attempt and the configuration of the mode (test or live) that attempt was made
 * in, whatever mode is chosen now. An order without attempt records (paid before they were
 * kept) is addressed by its bare id in the chosen mode.
 */
final class OrderPayment
{
    /** The OrderID of the paid attempt (refunds, re-checks of paid orders). */
    public static function paidId(\WC_Order $order): string
    {
        $paid = Attempts::paid($order);
        return is_string($paid['id'] ?? null) ? $paid['id'] : (string) $order->get_id();
    }

    /** The IPC_Trnref of the paid attempt, else the one the order holds ('' for none). */
    public static function trnref(\WC_Order $order): string
    {
        $paid = Attempts::paid($order);
        $trnref = is_string($paid['trnref'] ?? null) && $paid['trnref'] !== ''
            ? $paid['trnref']
            : $order->get_meta(Orders::META_TRNREF);
        return is_string($trnref) ? $trnref : '';
    }

    /** The OrderID to ask myPOS about: the paid attempt's, else the latest attempt's. */
    public static function currentId(\WC_Order $order): string
    {
        $attempt = Attempts::paid($order) ?? Attempts::latest($order);
        return is_string($attempt['id'] ?? null) ? $attempt['id'] : (string) $order->get_id();
    }

    /** 'test' or 'live': the mode the order's payment was made in, else the chosen mode. */
    public static function mode(\WC_Order $order, Settings $settings): ?string
    {
        return Attempts::mode($order) ?? $settings->mode();
    }

    /**
     * The configuration of that mode for signing, or null when it is missing, unusable or its
     * private key cannot be opened (Settings::keyNotice() says why).
     */
    public static function config(\WC_Order $order, Settings $settings): ?Config
    {
        $mode = self::mode($order, $settings);
        return $mode === null ? null : $settings->signingConfig($mode);
    }
}
