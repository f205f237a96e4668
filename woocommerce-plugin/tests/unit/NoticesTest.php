<?php

// phpcs:ignoreFile -- tests.
namespace MyPOS\IPC\WooCommerce\Tests;

use MyPOS\IPC\WooCommerce\Notices;
use MyPOS\IPC\WooCommerce\Plugin;
use MyPOS\IPC\WooCommerce\Settings;

final class NoticesTest extends TestCase
{
    private static function texts(bool $https): array
    {
        return array_column(Notices::collect(new Settings(), $https), 'text');
    }

    public function testExtensionIsFoundAndGatewayRegistered(): void
    {
        $this->assertNull(\MyPOS\IPC\WooCommerce\Extension::problem());
        $this->assertContains(\MyPOS\IPC\WooCommerce\Gateway::class, (new Plugin('x'))->registerGateway([]));
    }

    public function testDisabledGatewayIsQuiet(): void
    {
        $this->assertSame([], self::texts(false));
    }

    public function testTestModeIsAnnounced(): void
    {
        $this->configure();
        $texts = self::texts(true);
        $this->assertCount(1, $texts);
        $this->assertStringContainsString('test mode', $texts[0]);
    }

    public function testMissingLivePackAndNoHttps(): void
    {
        $this->configure(['testmode' => 'no']);
        $texts = implode("\n", self::texts(false));
        $this->assertStringContainsString('live configuration pack is missing or unusable', $texts);
        $this->assertStringContainsString('not served over HTTPS', $texts);
    }

    public function testUnusableStoredPackIsReported(): void
    {
        $this->configure(['test_config_pack' => 'mypos-ipc:v1:garbage']);
        $this->assertStringContainsString('test configuration pack is missing or unusable', implode("\n", self::texts(true)));
    }

    public function testBootRegistersHooks(): void
    {
        Plugin::boot('/x/mypos-ipc-woocommerce/mypos-ipc-woocommerce.php');
        foreach (['before_woocommerce_init', 'woocommerce_payment_gateways', 'admin_notices', 'woocommerce_api_mypos_ipc'] as $hook) {
            $this->assertArrayHasKey($hook, \Stub::$actions);
        }
    }

    public function testConnectionButtonAndResultNotice(): void
    {
        $this->configure();
        $html = (new \MyPOS\IPC\WooCommerce\Gateway())->generate_mypos_connection_html('connection', ['title' => 'Connection']);
        $this->assertStringContainsString('action=mypos_ipc_test_connection', $html);
        $this->assertStringContainsString('_wpnonce=', $html);
        set_transient('mypos_ipc_connection_test', ['ok' => false, 'message' => 'myPOS refused <x>'], 300);
        ob_start();
        (new Plugin('x'))->notices()->show();
        $out = (string) ob_get_clean();
        $this->assertStringContainsString('notice-error', $out);
        $this->assertStringContainsString('myPOS refused &lt;x&gt;', $out);
        $this->assertFalse(get_transient('mypos_ipc_connection_test'), 'shown once');
    }

    public function testUnsupportedStoreCurrency(): void
    {
        $this->configure();
        \Stub::$options['woocommerce_currency'] = 'BRL';
        $this->assertStringContainsString('does not accept the store currency BRL', implode("\n", self::texts(true)));
        $gateway = new \MyPOS\IPC\WooCommerce\Gateway();
        $this->assertFalse($gateway->is_available());
        \Stub::$options['woocommerce_currency'] = 'EUR';
        $this->assertTrue((new \MyPOS\IPC\WooCommerce\Gateway())->is_available());
    }
}
