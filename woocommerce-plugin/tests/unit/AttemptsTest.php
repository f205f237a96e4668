<?php

// phpcs:ignoreFile -- tests.
namespace MyPOS\IPC\WooCommerce\Tests;

use MyPOS\IPC\WooCommerce\Attempts;
use MyPOS\IPC\WooCommerce\Gateway;
use MyPOS\IPC\WooCommerce\PurchaseForm;
use MyPOS\IPC\WooCommerce\SecretBox;
use MyPOS\IPC\WooCommerce\Settings;
use MyPOS\IPC\WooCommerce\TestMark;

/**
 * Payment attempts (issue "Payment identity"): each redirect to myPOS has its own OrderID and
 * mode, and every message is mapped to its attempt before the core decides.
 */
final class AttemptsTest extends TestCase
{
    /** The myPOS key of a "live" environment made for this run: its own certificate. */
    private static ?string $liveMyposKey = null;
    private static string $liveMyposCert = '';

    protected function setUp(): void
    {
        parent::setUp();
        $this->configure();
        \Stub::$options[Attempts::SINCE_OPTION] = time() - 60; // attempts recorded since a minute ago
    }

    private static function liveMypos(): void
    {
        if (self::$liveMyposKey === null) {
            $key = openssl_pkey_new(['private_key_bits' => 2048, 'private_key_type' => OPENSSL_KEYTYPE_RSA]);
            openssl_pkey_export($key, $pem);
            $csr = openssl_csr_new(['commonName' => 'myPOS live (test run)'], $key);
            openssl_x509_export(openssl_csr_sign($csr, null, $key, 30), $cert);
            [self::$liveMyposKey, self::$liveMyposCert] = [$pem, $cert];
        }
    }

    /** Test (the pack) and live (separate fields, another myPOS certificate) side by side. */
    private function configureBothModes(string $chosen): void
    {
        self::liveMypos();
        $this->configure([
            'testmode' => $chosen === 'test' ? 'yes' : 'no',
            'live_credentials' => 'fields', 'live_sid' => self::SID, 'live_wallet' => '61938166610', 'live_key_index' => '1',
            'live_private_key' => SecretBox::seal((string) file_get_contents(TEST_DATA . '/keys/merchant_private.pem')),
            'live_mypos_certificate' => self::$liveMyposCert,
        ]);
    }

    private static function message(string $method, string $orderId, string $trnref = '410227', string $amount = '24.45', ?string $key = null): string
    {
        $fields = ['IPCmethod' => $method, 'SID' => self::SID, 'Amount' => $amount, 'Currency' => 'EUR', 'OrderID' => $orderId];
        if ($method === 'IPCPurchaseNotify') {
            $fields += ['IPC_Trnref' => $trnref, 'RequestSTAN' => '083107', 'RequestDateTime' => '2026-11-23 10:15:00'];
        }
        return \MyPOS\IPC\sign_form(http_build_query($fields, '', '&', PHP_QUERY_RFC1738), $key ?? self::myposKey());
    }

    /** Shows the order-pay page's form and returns the OrderID it sends to myPOS. */
    private static function payPage(int $orderId): string
    {
        $html = (new Gateway())->paymentForm(self::saved($orderId));
        preg_match('/name="OrderID" value="([^"]*)"/', $html, $m);
        return $m[1] ?? $html;
    }

    public function testEachRedirectHasItsOwnOrderIdAndAReloadReusesAnUnusedOne(): void
    {
        self::order(30);
        $prefix = (new Settings())->orderPrefix();
        $this->assertSame('shoptest', $prefix, 'made from home_url()');
        $this->assertSame("$prefix-30-1", self::payPage(30));
        $this->assertSame("$prefix-30-1", self::payPage(30), 'a reload before anything happened');
        $attempt = Attempts::get(self::saved(30), 1);
        $this->assertSame(['test', 2445, 'EUR', 'open'], [$attempt['mode'], $attempt['amount'], $attempt['currency'], $attempt['state']]);

        // The buyer cancels on the myPOS page: the next redirect is a new attempt.
        $this->assertSame(302, $this->handle(self::message('IPCPurchaseCancel', "$prefix-30-1"))->status);
        $this->assertSame('cancelled', Attempts::get(self::saved(30), 1)['state']);
        $this->assertSame("$prefix-30-2", self::payPage(30));
        $this->assertSame('OK', $this->handle(self::message('IPCPurchaseNotify', "$prefix-30-2"))->body);
        $paid = Attempts::paid(self::saved(30));
        $this->assertSame([2, '410227'], [$paid['n'], $paid['trnref']]);
        $this->assertSame('processing', self::saved(30)->get_status());
    }

    public function testTheOwnersPrefixIsUsedAndAnUnusablePrefixIsRefused(): void
    {
        $this->configure(['order_prefix' => 'Shop7']);
        self::order(31);
        $this->assertSame('Shop7-31-1', self::payPage(31));

        $gateway = new Gateway();
        $gateway->set_post_data(['woocommerce_mypos_ipc_testmode' => 'yes', 'woocommerce_mypos_ipc_order_prefix' => '7-shop']);
        $gateway->process_admin_options();
        $this->assertStringContainsString('OrderID prefix "7-shop" not saved', \Stub::$adminErrors[0] ?? '');
        $this->assertSame('Shop7', (new Settings())->get('order_prefix'), 'the previous prefix is kept');
    }

    public function testAStagingCopyMakesOrderIdsOfItsOwn(): void
    {
        $live = Settings::prefixFromUrl('https://www.shop.example.com/');
        $staging = Settings::prefixFromUrl('https://staging.shop.example.com/');
        $this->assertNotSame($live, $staging);
        foreach ([$live, $staging, Settings::prefixFromUrl('http://127.0.0.1:8080/shop/'), Settings::prefixFromUrl('')] as $prefix) {
            $this->assertNull(\MyPOS\IPC\attempt_id_error(\MyPOS\IPC\attempt_id($prefix, '1', 1)), $prefix);
            $this->assertLessThanOrEqual(16, strlen($prefix));
        }
        $this->assertArrayNotHasKey('order_prefix', \Stub::$options[Settings::OPTION], 'derived when used, never stored');
    }

    public function testTheBuyerPayingTwiceIsRefusedSoThatMyposReversesTheSecondPayment(): void
    {
        self::order(32);
        $first = self::payPage(32);
        $this->handle(self::message('IPCPurchaseCancel', $first));
        $second = self::payPage(32);
        $this->assertSame('OK', $this->handle(self::message('IPCPurchaseNotify', $first, '5001'))->body);
        $answer = $this->handle(self::message('IPCPurchaseNotify', $second, '5002'));
        $this->assertNotSame('OK', $answer->body);
        $order = self::saved(32);
        $this->assertSame(['processing', '5001'], [$order->get_status(), $order->get_meta('_mypos_ipc_trnref')]);
        $this->assertStringContainsString('The buyer paid twice: payment 5002 of attempt 2 refused', (string) end($order->notes));
        $this->assertSame(1, $order->stockReductions);
    }

    public function testMessagesForAnAttemptThisShopNeverMadeChangeNothing(): void
    {
        self::order(33);
        self::payPage(33);
        $before = clone self::saved(33);
        // Another site sharing the myPOS store (another prefix), or an attempt number not made.
        foreach (['othershop-33-1', (new Settings())->orderPrefix() . '-33-7'] as $foreign) {
            $this->assertNotSame('OK', $this->handle(self::message('IPCPurchaseNotify', $foreign))->body, $foreign);
            $this->assertSame('OK', $this->handle(self::message('IPCPurchaseRollback', $foreign))->body, 'a rollback is acknowledged, else myPOS retries it for ever');
        }
        $this->assertEquals($before, self::saved(33));
        $this->assertStringContainsString('which this order never made', implode("\n", array_column(\Stub::$log, 'message')));
    }

    public function testARolledBackAttemptsNotifyReplayedLaterChangesNothing(): void
    {
        self::order(34);
        $id = self::payPage(34);
        $this->assertSame('OK', $this->handle(self::message('IPCPurchaseNotify', $id))->body);
        $this->assertSame('OK', $this->handle(self::message('IPCPurchaseRollback', $id))->body);
        $this->assertSame('failed', self::saved(34)->get_status());
        $this->assertSame('rolled_back', Attempts::get(self::saved(34), 1)['state']);
        $this->assertNotSame('OK', $this->handle(self::message('IPCPurchaseNotify', $id))->body);
        $this->assertSame('failed', self::saved(34)->get_status(), 'the captured body does not resurrect the payment');
        $this->assertSame(1, self::saved(34)->stockReductions);
    }

    public function testEachAttemptKeepsItsModeWhateverModeIsChosenLater(): void
    {
        $this->configureBothModes('test');
        self::order(35);
        $testAttempt = self::payPage(35);
        $this->configureBothModes('live'); // the owner goes live while the buyer pays
        // The test payment is verified with the test certificate and recorded.
        $this->assertSame('OK', $this->handle(self::message('IPCPurchaseNotify', $testAttempt))->body);
        $this->assertSame('test', Attempts::mode(self::saved(35)));

        self::order(36);
        $liveAttempt = self::payPage(36);
        $this->assertSame('live', Attempts::get(self::saved(36), 1)['mode']);
        // The public test credentials cannot pay a live attempt.
        $this->assertNotSame('OK', $this->handle(self::message('IPCPurchaseNotify', $liveAttempt))->body);
        $this->assertSame('pending', self::saved(36)->get_status());
        $this->assertSame('OK', $this->handle(self::message('IPCPurchaseNotify', $liveAttempt, '7001', '24.45', self::$liveMyposKey))->body);
        $this->assertSame('processing', self::saved(36)->get_status());
    }

    public function testAnOrderFromBeforeAttemptsIsPaidByItsBareIdAndItsNextAttemptIsTwo(): void
    {
        \Stub::$options[Attempts::SINCE_OPTION] = time() - 10;
        $order = new \WC_Order(37, '24.45');
        $order->created = time() - 3600;
        $order->save();
        // In flight when the plug-in was updated: the bare order id is attempt 1.
        $this->handle(self::message('IPCPurchaseCancel', '37'));
        $this->assertSame((new Settings())->orderPrefix() . '-37-2', self::payPage(37), 'attempt 1 is the bare id');
        $this->assertSame('37', Attempts::get(self::saved(37), 1)['id']);
        $this->assertSame('OK', $this->handle(self::message('IPCPurchaseNotify', '37'))->body);
        $this->assertSame(1, Attempts::paid(self::saved(37))['n']);

        // A bare id names no attempt of an order made since (another site's plug-in without a
        // prefix, sharing the myPOS store, must not pay it).
        self::order(38);
        $this->assertNotSame('OK', $this->handle(self::message('IPCPurchaseNotify', '38'))->body);
        $this->assertSame('pending', self::saved(38)->get_status());
    }

    public function testAttemptsPerOrderAreLimitedAndTheLimitIsNamed(): void
    {
        self::order(39);
        $order = self::saved(39);
        for ($n = 1; $n <= Attempts::MAX_PER_ORDER; $n++) {
            Attempts::put($order, ['n' => $n, 'id' => "shoptest-39-$n", 'mode' => 'test', 'amount' => 2445, 'currency' => 'EUR', 'created' => time(), 'state' => 'cancelled']);
        }
        $order->save();
        $html = self::payPage(39);
        $this->assertStringContainsString('cannot be paid online any more', $html);
        $this->assertStringContainsString('Attempts::MAX_PER_ORDER', implode("\n", array_column(\Stub::$log, 'message')));
    }

    public function testTheGatewayCannotBeEnabledWithoutAChosenModeAndItsCredentials(): void
    {
        \Stub::$options[Settings::OPTION] = [];
        $gateway = new Gateway();
        $gateway->set_post_data(['woocommerce_mypos_ipc_enabled' => '1']);
        $gateway->process_admin_options();
        $this->assertSame(['The gateway was not enabled: choose test or live mode first.'], \Stub::$adminErrors);
        $this->assertSame('no', (new Settings())->get('enabled'));

        \Stub::$adminErrors = [];
        $gateway = new Gateway();
        $gateway->set_post_data(['woocommerce_mypos_ipc_enabled' => '1', 'woocommerce_mypos_ipc_testmode' => 'no']);
        $gateway->process_admin_options();
        $this->assertStringContainsString('live mode is chosen but no usable live credentials', \Stub::$adminErrors[0] ?? '');
        $this->assertSame('no', (new Settings())->get('enabled'));

        \Stub::$adminErrors = [];
        $gateway = new Gateway();
        $gateway->set_post_data(['woocommerce_mypos_ipc_enabled' => '1', 'woocommerce_mypos_ipc_testmode' => 'yes', 'woocommerce_mypos_ipc_test_config_pack' => self::pack()]);
        $gateway->process_admin_options();
        $this->assertSame([], \Stub::$adminErrors);
        $this->assertSame(['yes', 'test'], [(new Settings())->get('enabled'), (new Settings())->mode()]);
    }

    private static function printed(callable $print): string
    {
        ob_start();
        $print();
        return (string) ob_get_clean();
    }

    public function testOrdersPaidInTestModeCarryAVisibleTestMark(): void
    {
        $this->configureBothModes('test');
        self::order(40);
        self::payPage(40);
        $this->handle(self::message('IPCPurchaseNotify', (string) Attempts::latest(self::saved(40))['id']));
        $this->configureBothModes('live');
        self::order(41);
        self::payPage(41);
        $mark = new TestMark();

        $columns = $mark->columns(['cb' => '', 'order_number' => 'Order', 'order_status' => 'Status', 'order_total' => 'Total']);
        $this->assertSame(['cb', 'order_number', 'order_status', TestMark::COLUMN, 'order_total'], array_keys($columns));
        $this->assertStringContainsString('>TEST<', self::printed(fn () => $mark->cell(TestMark::COLUMN, self::saved(40))), 'HPOS list');
        $this->assertStringContainsString('>TEST<', self::printed(fn () => $mark->cell(TestMark::COLUMN, 40)), 'posts list');
        $this->assertSame('', self::printed(fn () => $mark->cell(TestMark::COLUMN, self::saved(41))), 'a live order is not marked');
        $this->assertSame('', self::printed(fn () => $mark->cell('order_total', self::saved(40))));

        $this->assertStringContainsString('no money was taken', self::printed(fn () => $mark->orderScreen(self::saved(40))));
        $this->assertSame('', self::printed(fn () => $mark->orderScreen(self::saved(41))));
        $this->assertStringContainsString('TEST: Paid in the myPOS test environment', self::printed(fn () => $mark->email(self::saved(40), true, true)));
        $this->assertSame('', self::printed(fn () => $mark->email(self::saved(40), false, false)), 'not in the buyer\'s e-mail');
        $this->assertSame('', self::printed(fn () => $mark->email(self::saved(41), true, false)));
    }
}
