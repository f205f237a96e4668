<?php

/**
 * Loads the plug-in's classes (namespace MyPOS\IPC\WooCommerce, one file per class in includes/).
 */

spl_autoload_register(static function (string $class): void {
    $prefix = 'MyPOS\\IPC\\WooCommerce\\';
    if (strncmp($class, $prefix, strlen($prefix)) !== 0) {
        return;
    }
    $file = __DIR__ . '/' . substr($class, strlen($prefix)) . '.php';
    if (is_file($file)) {
        require_once $file;
    }
});
