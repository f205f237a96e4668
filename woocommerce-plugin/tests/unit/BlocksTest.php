<?php

// phpcs:ignoreFile -- tests.
namespace MyPOS\IPC\WooCommerce\Tests;

use Automattic\WooCommerce\Blocks\Payments\PaymentMethodRegistry;
use MyPOS\IPC\WooCommerce\Plugin;

final class BlocksTest extends TestCase
{
    public function testCheckoutBlockRegistration(): void
    {
        $this->configure(['title' => 'Pay by card', 'description' => 'Secure & fast']);
        $plugin = Plugin::boot(dirname(__DIR__, 2) . '/mypos-ipc-woocommerce.php');
        $registry = new PaymentMethodRegistry();
        $plugin->registerBlocks($registry);
        $this->assertArrayHasKey('mypos_ipc', $registry->registered);
        $method = $registry->registered['mypos_ipc'];
        $method->initialize();
        $this->assertTrue($method->is_active());
        $this->assertSame(['mypos-ipc-blocks'], $method->get_payment_method_script_handles());
        $this->assertStringEndsWith('/assets/js/blocks.js', \Stub::$actions['scripts']['mypos-ipc-blocks']);
        $this->assertFileExists(dirname(__DIR__, 2) . '/assets/js/blocks.js');
        $this->assertSame(
            ['mypos-ipc', dirname(__DIR__, 2) . '/languages'],
            \Stub::$actions['script_translations']['mypos-ipc-blocks'] ?? null,
            'the script\'s strings are translated from the plug-in\'s languages/ (bin/make-translations.sh)'
        );
        $data = $method->get_payment_method_data();
        $this->assertSame('Pay by card', $data['title']);
        $this->assertContains('refunds', $data['supports']);
    }

    public function testInactiveWhenDisabled(): void
    {
        $this->configure(['enabled' => 'no']);
        $method = new \MyPOS\IPC\WooCommerce\BlocksSupport(dirname(__DIR__, 2) . '/mypos-ipc-woocommerce.php');
        $method->initialize();
        $this->assertFalse($method->is_active());
    }
}
