<?php

// phpcs:ignoreFile -- tests.
namespace MyPOS\IPC\WooCommerce\Tests;

use MyPOS\IPC\WooCommerce\Plugin;

/** The pay page after the buyer cancels at myPOS: a flagged redirect, then a notice. */
final class CancelReturnTest extends TestCase
{
    protected function setUp(): void
    {
        parent::setUp();
        $this->configure();
    }

    protected function tearDown(): void
    {
        $_GET = $_POST = [];
        parent::tearDown();
    }

    /** A browser request to ?wc-api=mypos_ipc with $fields posted, through the plug-in as booted for it. */
    private function browserPost(array $fields): \MyPOS\IPC\WooCommerce\Answer
    {
        $_GET = ['wc-api' => 'mypos_ipc'];
        $_POST = $fields;
        $plugin = Plugin::boot(dirname(__DIR__, 2) . '/mypos-ipc-woocommerce.php');
        return $plugin->notifyEndpoint()->answer(self::myposBody($fields), '');
    }

    private static function cancel(int $orderId): array
    {
        return ['IPCmethod' => 'IPCPurchaseCancel', 'SID' => self::SID, 'Amount' => '24.45', 'Currency' => 'EUR', 'OrderID' => (string) $orderId];
    }

    public function testCancelRedirectsToTheFlaggedPayUrl(): void
    {
        self::order(7);
        $answer = $this->browserPost(self::cancel(7));
        $this->assertSame('https://shop.test/checkout/order-pay/7/?pay_for_order=true&mypos_ipc=cancelled', $answer->redirect);
        $this->assertSame('pending', self::saved(7)->get_status());
    }

    public function testOtherRequestsLeavePayUrlsAlone(): void
    {
        $order = self::order(8);
        $this->browserPost(['IPCmethod' => 'IPCPurchaseOK', 'SID' => self::SID, 'Amount' => '24.45', 'Currency' => 'EUR', 'OrderID' => '8', 'IPC_Trnref' => '1']);
        $this->assertStringNotContainsString('mypos_ipc=', $order->get_checkout_payment_url());
        \Stub::reset();
        $this->configure();
        $_GET = ['pay_for_order' => 'true'];
        $_POST = ['IPCmethod' => 'IPCPurchaseCancel'];
        Plugin::boot(dirname(__DIR__, 2) . '/mypos-ipc-woocommerce.php');
        $this->assertStringNotContainsString('mypos_ipc=', $order->get_checkout_payment_url(), 'not the notify endpoint');
    }

    public function testAnotherGatewaysOrderIsNotFlagged(): void
    {
        $_GET = ['wc-api' => 'mypos_ipc'];
        $_POST = ['IPCmethod' => 'IPCPurchaseCancel'];
        Plugin::boot(dirname(__DIR__, 2) . '/mypos-ipc-woocommerce.php');
        $this->assertStringContainsString('mypos_ipc=cancelled', self::order(9)->get_checkout_payment_url());
        $this->assertStringNotContainsString('mypos_ipc=', (new \WC_Order(10, '5.00', 'EUR', 'pending', 'bacs'))->get_checkout_payment_url());
    }

    public function testThePayPageTellsTheBuyerOnlyWhenFlagged(): void
    {
        Plugin::boot(dirname(__DIR__, 2) . '/mypos-ipc-woocommerce.php');
        \Stub::$options['_endpoint'] = 'order-pay';
        do_action('template_redirect');
        $this->assertArrayNotHasKey('wc_notices', \Stub::$actions, 'no flag: no notice');
        $_GET = ['pay_for_order' => 'true', 'mypos_ipc' => 'cancelled'];
        \Stub::$options['_endpoint'] = 'order-received';
        do_action('template_redirect');
        $this->assertArrayNotHasKey('wc_notices', \Stub::$actions, 'not the pay page: no notice');
        \Stub::$options['_endpoint'] = 'order-pay';
        do_action('template_redirect');
        $this->assertSame([[
            'type' => 'notice',
            'message' => 'You cancelled the payment at myPOS. Your order is kept: you can pay for it again below.',
        ]], \Stub::$actions['wc_notices']);
    }
}
