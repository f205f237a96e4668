<?php

// phpcs:ignoreFile -- test bootstrap.
require __DIR__ . '/stubs/wordpress.php';
require __DIR__ . '/stubs/blocks.php';
require __DIR__ . '/stubs/wc-caches.php';
require __DIR__ . '/../includes/autoload.php';

if (!extension_loaded('mypos_ipc')) {
    fwrite(STDERR, "the mypos_ipc extension is not loaded (run with -d extension=...)\n");
    exit(1);
}

const VECTORS = __DIR__ . '/../../../shared/protocol/vectors';
require __DIR__ . '/TestCase.php';
