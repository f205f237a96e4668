<?php

// phpcs:ignoreFile -- tests.
namespace MyPOS\IPC\WooCommerce\Tests;

use MyPOS\IPC\WooCommerce\Gateway;
use MyPOS\IPC\WooCommerce\Plugin;

/**
 * WordPress loads plug-ins by folder name, so mypos-ipc-woocommerce loads before woocommerce:
 * loading the main file must not need any WooCommerce class (it was a fatal error on every page).
 */
final class BootTest extends TestCase
{
    public function testMainFileLoadsBeforeWooCommerce(): void
    {
        // A separate PHP without the stand-ins: only the two WordPress functions boot() calls.
        $script = 'define("ABSPATH", "/");'
            . 'function add_action($h, $c) { $GLOBALS["hooks"][] = $h; }'
            . 'function add_filter($h, $c) { $GLOBALS["hooks"][] = $h; }'
            . 'require ' . var_export(dirname(__DIR__, 2) . '/mypos-ipc-woocommerce.php', true) . ';'
            . 'echo json_encode([class_exists("WC_Payment_Gateway", false), $GLOBALS["hooks"]]);';
        exec(escapeshellarg(PHP_BINARY) . ' -n -r ' . escapeshellarg($script) . ' 2>&1', $out, $rc);
        $this->assertSame(0, $rc, implode("\n", $out));
        [$wooCommerceLoaded, $hooks] = json_decode(implode("\n", $out), true);
        $this->assertFalse($wooCommerceLoaded);
        $this->assertContains(Plugin::NOTIFY_HOOK, $hooks);
        $this->assertContains('woocommerce_payment_gateways', $hooks);
    }

    public function testNotifyHookIsTheGatewayApiHook(): void
    {
        $this->assertSame('woocommerce_api_' . Gateway::ID, Plugin::NOTIFY_HOOK);
    }
}
