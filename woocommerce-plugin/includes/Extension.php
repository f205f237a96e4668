<?php

namespace MyPOS\IPC\WooCommerce;

/**
 * The native dependency: whether the mypos_ipc extension is loaded and new enough.
 */
final class Extension
{
    /** Oldest mypos_ipc extension version this plug-in works with. */
    public const MIN_VERSION = '0.1.0';

    /**
     * Null when the extension is usable, else a sentence saying why not.
     */
    public static function problem(): ?string
    {
        if (!extension_loaded('mypos_ipc') || !defined('MyPOS\\IPC\\VERSION')) {
            return __('the PHP extension mypos_ipc is not loaded', 'mypos-ipc');
        }
        $version = (string) constant('MyPOS\\IPC\\VERSION');
        if (version_compare($version, self::MIN_VERSION, '<')) {
            return sprintf(
                /* translators: 1: installed version, 2: required version */
                __('the PHP extension mypos_ipc is version %1$s; %2$s or newer is required', 'mypos-ipc'),
                $version,
                self::MIN_VERSION
            );
        }
        return null;
    }
}
