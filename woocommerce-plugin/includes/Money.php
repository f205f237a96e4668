<?php

namespace MyPOS\IPC\WooCommerce;

/**
 * Converts WooCommerce decimal amounts to integer minor units of the currency.
 */
final class Money
{
    /** Currencies sent without decimals; the same list as the native core (src/amount.rs). */
    private const ZERO_DECIMAL = ['HUF', 'JPY', 'TWD'];

    public static function decimals(string $currency): int
    {
        return in_array(strtoupper($currency), self::ZERO_DECIMAL, true) ? 0 : 2;
    }

    public static function toMinor(float|int|string $amount, string $currency): int
    {
        return (int) round(((float) $amount) * (10 ** self::decimals($currency)));
    }
}
