<?php

namespace MyPOS\IPC\WooCommerce;

/**
 * WooCommerce amounts as integer minor units: the core's rules (MyPOS\IPC\parse_amount), with
 * WooCommerce's float totals first rounded to the currency's decimals as WooCommerce shows them.
 */
final class Money
{
    /** Store currencies myPOS Checkout accepts (as the official plug-in; filter mypos_ipc_supported_currencies). */
    private const SUPPORTED = [
        'BGN', 'CHF', 'CZK', 'DKK', 'EUR', 'GBP', 'HRK', 'HUF', 'ISK', 'JPY', 'NOK', 'PLN', 'RON', 'SEK', 'USD',
    ];

    public static function isSupported(string $currency): bool
    {
        $supported = (array) apply_filters('mypos_ipc_supported_currencies', self::SUPPORTED);
        return in_array(strtoupper($currency), $supported, true);
    }

    /**
     * @throws \MyPOS\IPC\InvalidArgumentException when the text is not an amount of the currency
     */
    public static function toMinor(float|int|string $amount, string $currency): int
    {
        $currency = strtoupper($currency);
        if (is_float($amount)) {
            $amount = number_format($amount, \MyPOS\IPC\currency_decimals($currency), '.', '');
        }
        return \MyPOS\IPC\parse_amount(trim((string) $amount), $currency);
    }

    /** Minor units as text for order notes (1230 EUR is "12.30"). */
    public static function format(int $minor, string $currency): string
    {
        return \MyPOS\IPC\format_amount($minor, strtoupper($currency));
    }
}
