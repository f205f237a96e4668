<?php

// phpcs:ignoreFile -- tests.
namespace MyPOS\IPC\WooCommerce\Tests;

use Automattic\WooCommerce\Blocks\Payments\PaymentMethodRegistry;
use MyPOS\IPC\WooCommerce\Gateway;
use MyPOS\IPC\WooCommerce\Plugin;

/** The myPOS mark in both checkouts. */
final class LooksTest extends TestCase
{
    /** The stubs' plugins_url() for the mark of the plug-in in this checkout. */
    private static function mark(): string
    {
        return 'https://shop.test/wp-content/plugins/' . basename(dirname(__DIR__, 2)) . '/assets/images/mypos.svg';
    }

    public function testTheMarkIsAPlainSvgWordmark(): void
    {
        $file = dirname(__DIR__, 2) . '/assets/images/mypos.svg';
        $svg = simplexml_load_file($file);
        $this->assertNotFalse($svg, 'well-formed XML');
        $this->assertSame('svg', $svg->getName());
        $this->assertSame('myPOS', (string) $svg->title);
        $this->assertSame('img', (string) $svg['role']);
        $source = (string) file_get_contents($file);
        $this->assertDoesNotMatchRegularExpression('/<script|on[a-z]+=|href=|<image/i', $source, 'nothing active or fetched');
        $this->assertLessThan(2048, strlen($source));
    }

    public function testClassicCheckoutShowsTheMark(): void
    {
        $this->configure(['title' => 'Pay by card']);
        $gateway = new Gateway();
        $this->assertSame(self::mark(), $gateway->icon);
        $this->assertSame('<img src="' . self::mark() . '" alt="Pay by card" />', $gateway->get_icon());
    }

    public function testBlockCheckoutGetsTheMarkAndShowsIt(): void
    {
        $this->configure();
        $registry = new PaymentMethodRegistry();
        Plugin::boot(dirname(__DIR__, 2) . '/mypos-ipc-woocommerce.php')->registerBlocks($registry);
        $method = $registry->registered['mypos_ipc'];
        $method->initialize();
        $this->assertSame(self::mark(), $method->get_payment_method_data()['icon']);
        $script = (string) file_get_contents(dirname(__DIR__, 2) . '/assets/js/blocks.js');
        $this->assertStringContainsString("el('img', { src: data.icon, alt: 'myPOS'", $script);
    }
}
