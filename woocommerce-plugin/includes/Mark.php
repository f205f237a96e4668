<?php

namespace MyPOS\IPC\WooCommerce;

/**
 * The myPOS mark shown next to the payment method in the classic and the block checkout: an
 * SVG wordmark drawn for this plug-in (assets/images/mypos.svg).
 */
final class Mark
{
    public const FILE = 'assets/images/mypos.svg';

    /** Its URL, wherever the plug-in is installed. */
    public static function url(): string
    {
        return plugins_url(self::FILE, dirname(__DIR__) . '/mypos-ipc-woocommerce.php');
    }
}
