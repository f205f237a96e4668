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
        // A separate PHP without the stand-ins: only the WordPress functions boot() calls.
        $script = 'define("ABSPATH", "/");'
            . 'function add_action($h, $c) { $GLOBALS["hooks"][] = $h; }'
            . 'function add_filter($h, $c) { $GLOBALS["hooks"][] = $h; }'
            . 'function register_deactivation_hook($f, $c) { $GLOBALS["hooks"][] = "deactivate_" . basename(dirname($f)) . "/" . basename($f); }'
            . 'require ' . var_export(dirname(__DIR__, 2) . '/mypos-ipc-woocommerce.php', true) . ';'
            . 'echo json_encode([class_exists("WC_Payment_Gateway", false), $GLOBALS["hooks"]]);';
        exec(escapeshellarg(PHP_BINARY) . ' -n -r ' . escapeshellarg($script) . ' 2>&1', $out, $rc);
        $this->assertSame(0, $rc, implode("\n", $out));
        [$wooCommerceLoaded, $hooks] = json_decode(implode("\n", $out), true);
        $this->assertFalse($wooCommerceLoaded);
        $this->assertContains(Plugin::NOTIFY_HOOK, $hooks);
        $this->assertContains('woocommerce_payment_gateways', $hooks);
        $this->assertContains('deactivate_woocommerce-plugin/mypos-ipc-woocommerce.php', $hooks);
    }

    public function testNotifyHookIsTheGatewayApiHook(): void
    {
        $this->assertSame('woocommerce_api_' . Gateway::ID, Plugin::NOTIFY_HOOK);
    }

    /** One place builds and wires the objects: each hook goes to an object, once, under its public name. */
    public function testEveryHookGoesToAnObjectBuiltByPlugin(): void
    {
        \Stub::reset();
        $plugin = Plugin::boot(dirname(__DIR__, 2) . '/mypos-ipc-woocommerce.php');
        $expected = [
            'before_woocommerce_init' => [$plugin, 'declareCompatibility'],
            'plugins_loaded' => [$plugin, 'loadTextDomain'],
            'woocommerce_payment_gateways' => [$plugin, 'registerGateway'],
            'woocommerce_blocks_payment_method_type_registration' => [$plugin, 'registerBlocks'],
            'woocommerce_api_mypos_ipc' => [$plugin->notifyEndpoint(), 'handle'],
            'mypos_ipc_reconcile_pending' => [$plugin->statusChecks(), 'checkPending'],
            'mypos_ipc_reconcile_order' => [$plugin->statusChecks(), 'checkOrder'],
            'woocommerce_order_action_mypos_ipc_check_status' => [$plugin->statusChecks(), 'runOrderAction'],
            'woocommerce_order_action_mypos_ipc_release_refund' => [$plugin->statusChecks(), 'releaseRefund'],
            'woocommerce_order_action_mypos_ipc_confirm_refund' => [$plugin->statusChecks(), 'confirmRefund'],
            'mypos_ipc_resolve_refund' => [$plugin->statusChecks(), 'resolveRefund'],
            'admin_post_mypos_ipc_test_connection' => [$plugin->connectionTest(), 'handleAdminPost'],
            'admin_notices' => [$plugin->notices(), 'show'],
            'admin_init' => [$plugin->privacy(), 'addPolicyContent'],
            'wp_privacy_personal_data_exporters' => [$plugin->privacy(), 'registerExporter'],
            'wp_privacy_personal_data_erasers' => [$plugin->privacy(), 'registerEraser'],
            'template_redirect' => [$plugin->cancelReturn(), 'notice'],
            'woocommerce_order_action_mypos_ipc_capture' => [$plugin->authorizationActions(), 'captureAction'],
            'woocommerce_order_action_mypos_ipc_release' => [$plugin->authorizationActions(), 'releaseAction'],
            'woocommerce_order_status_processing' => [$plugin->authorizationActions(), 'statusChanged'],
            'woocommerce_order_status_completed' => [$plugin->authorizationActions(), 'statusChanged'],
            'woocommerce_order_status_cancelled' => [$plugin->authorizationActions(), 'cancelled'],
            'mypos_ipc_check_authorizations' => [$plugin->authorizationActions(), 'checkOpen'],
        ];
        // Refund and authorization actions each add theirs to the order screen.
        $this->assertSame([
            [$plugin->statusChecks(), 'orderActions'],
            [$plugin->authorizationActions(), 'orderActions'],
        ], \Stub::$actions['woocommerce_order_actions']);
        foreach ($expected as $hook => $callback) {
            $this->assertSame([$callback], \Stub::$actions[$hook] ?? null, $hook);
            $this->assertTrue(is_callable($callback), $hook);
        }
        $this->assertSame([
            [\MyPOS\IPC\WooCommerce\Reconciler::class, 'schedule'],
            [\MyPOS\IPC\WooCommerce\Authorizations::class, 'schedule'],
            [\MyPOS\IPC\WooCommerce\Attempts::class, 'recordSince'],
            [$plugin, 'migrateSecrets'],
        ], \Stub::$actions['init']);
        $this->assertSame($plugin->notifyEndpoint(), $plugin->notifyEndpoint(), 'built once');
    }
}
