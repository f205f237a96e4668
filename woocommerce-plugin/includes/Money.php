<?php

namespace MyPOS\IPC\WooCommerce;

/**
 * Converts WooCommerce decimal amounts to integer minor units of the currency.
 */
final class Money
{
    /** ISO 4217 currencies without minor units. */
    private const ZERO_DECIMAL = [
        'BIF', 'CLP', 'DJF', 'GNF', 'ISK', 'JPY', 'KMF', 'KRW', 'PYG', 'RWF', 'UGX', 'VND', 'VUV',
        'XAF', 'XOF', 'XPF',
    ];

    public static function decimals(string $currency): int
    {
        return in_array(strtoupper($currency), self::ZERO_DECIMAL, true) ? 0 : 2;
    }

    public static function toMinor(float|int|string $amount, string $currency): int
    {
        return (int) round(((float) $amount) * (10 ** self::decimals($currency)));
    }
}
