<?php

namespace MyPOS\IPC\WooCommerce;

/**
 * Converts WooCommerce decimal amounts to integer minor units of the currency.
 */
final class Money
{
    /** Currencies sent without decimals; the same list as the native core (src/amount.rs). */
    private const ZERO_DECIMAL = ['HUF', 'JPY', 'TWD'];

    /** Store currencies myPOS Checkout accepts (as the official plug-in; filter mypos_ipc_supported_currencies). */
    private const SUPPORTED = [
        'BGN', 'CHF', 'CZK', 'DKK', 'EUR', 'GBP', 'HRK', 'HUF', 'ISK', 'JPY', 'NOK', 'PLN', 'RON', 'SEK', 'USD',
    ];

    public static function isSupported(string $currency): bool
    {
        $supported = (array) apply_filters('mypos_ipc_supported_currencies', self::SUPPORTED);
        return in_array(strtoupper($currency), $supported, true);
    }

    public static function decimals(string $currency): int
    {
        return in_array(strtoupper($currency), self::ZERO_DECIMAL, true) ? 0 : 2;
    }

    public static function toMinor(float|int|string $amount, string $currency): int
    {
        return (int) round(((float) $amount) * (10 ** self::decimals($currency)));
    }
}
