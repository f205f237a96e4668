<?php

// phpcs:ignoreFile -- test bootstrap.
require __DIR__ . '/stubs/wordpress.php';
require __DIR__ . '/stubs/blocks.php';
require __DIR__ . '/stubs/wc-caches.php';
require __DIR__ . '/stubs/host.php';
require __DIR__ . '/stubs/cards.php';
require __DIR__ . '/../includes/autoload.php';

if (!extension_loaded('mypos_ipc')) {
    fwrite(STDERR, "the mypos_ipc extension is not loaded (run with -d extension=...)\n");
    exit(1);
}

// A fresh WooCommerce log file per run (see WC_Logger in the stubs).
if (getenv('MYPOS_TEST_ARTIFACTS')) {
    @unlink(getenv('MYPOS_TEST_ARTIFACTS') . '/plugin/logs/wc.log');
}

// Vectors and keys (provenance in tests/data/README.md).
const TEST_DATA = __DIR__ . '/../../tests/data';
require __DIR__ . '/TestCase.php';
require __DIR__ . '/SandboxTestCase.php';
