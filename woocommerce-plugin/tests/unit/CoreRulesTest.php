<?php

// phpcs:ignoreFile -- tests.
namespace MyPOS\IPC\WooCommerce\Tests;

use MyPOS\IPC\WooCommerce\ConnectionTest;
use MyPOS\IPC\WooCommerce\Gateway;
use MyPOS\IPC\WooCommerce\Log;
use MyPOS\IPC\WooCommerce\Money;
use MyPOS\IPC\WooCommerce\NotifyHandler;
use MyPOS\IPC\WooCommerce\OrderLock;
use MyPOS\IPC\WooCommerce\Reconciler;
use MyPOS\IPC\WooCommerce\Settings;

/** The plug-in leaves protocol rules to the core: amounts, fields, forms, nested messages, codes. */
final class CoreRulesTest extends TestCase
{
    protected function setUp(): void
    {
        parent::setUp();
        $this->configure();
    }

    public function testAmountsFollowTheCoreRules(): void
    {
        $this->assertSame(1230, Money::toMinor('12.30', 'EUR'));
        $this->assertSame(1230, Money::toMinor('12.3', 'eur'));
        $this->assertSame(1500, Money::toMinor('1500', 'HUF'));
        $this->assertSame(1500, Money::toMinor(1500, 'JPY'));
        $this->assertSame(30, Money::toMinor(0.1 + 0.2, 'EUR'), 'a WooCommerce float total is rounded to the cents it shows');
        $this->assertSame(2445, Money::toMinor(24.45, 'EUR'));
        $this->assertSame('12.30', Money::format(1230, 'EUR'));
        $this->assertSame('1500', Money::format(1500, 'HUF'));
        try {
            Money::toMinor('12.345', 'EUR');
            $this->fail('too many decimals must be refused');
        } catch (\MyPOS\IPC\InvalidArgumentException $e) {
            $this->assertSame(\MyPOS\IPC\Exception::INVALID_REQUEST, $e->getCode());
            $this->assertStringContainsString('more decimals than EUR allows', $e->getMessage());
        }
    }

    public function testARefundOfAnAmountWithTooManyDecimalsIsRefusedBeforeAnyCall(): void
    {
        self::order(70, '24.45', 'processing', '410227');
        $result = (new Gateway())->process_refund(70, '1.005');
        $this->assertInstanceOf(\WP_Error::class, $result);
        $this->assertStringContainsString('more decimals', $result->get_error_message());
        $this->assertSame([], \Stub::$http, 'nothing sent to myPOS');
    }

    public function testARefundAnswerWithoutATransactionIsNotTakenAsSuccess(): void
    {
        self::order(71, '24.45', 'processing', '410227');
        $fields = ['IPCMethod' => 'IPCRefund', 'SID' => self::SID, 'Amount' => '10.00', 'Currency' => 'EUR', 'Status' => '0', 'StatusMsg' => 'Success'];
        $fields['Signature'] = \MyPOS\IPC\sign($fields, self::myposKey());
        \Stub::$httpHandler = fn () => ['body' => (string) json_encode($fields)];
        $result = (new Gateway())->process_refund(71, '10.00');
        $this->assertInstanceOf(\WP_Error::class, $result);
        $this->assertStringContainsString('IPC_Trnref', $result->get_error_message());
        $this->assertStringContainsString('unusable', implode("\n", self::saved(71)->notes));
    }

    public function testAStatusAnswerWhoseNestedMessageIsNotMypossChangesNothing(): void
    {
        self::order(72);
        // The outer answer verifies; the nested message was signed by someone else.
        $last = ['IPCmethod' => 'IPCPurchaseNotify', 'SID' => self::SID, 'Amount' => '24.45', 'Currency' => 'EUR', 'OrderID' => '72', 'IPC_Trnref' => '777'];
        $last['Signature'] = \MyPOS\IPC\sign($last, (string) file_get_contents(TEST_DATA . '/keys/merchant_private.pem'));
        $outer = ['IPCMethod' => 'IPCGetTxnStatus', 'OrderID' => '72', 'OrderStatus' => $last, 'Status' => 0, 'StatusMsg' => 'Success'];
        $leaves = [];
        array_walk_recursive($outer, function ($v) use (&$leaves) {
            $leaves['v' . count($leaves)] = (string) $v;
        });
        $outer['Signature'] = \MyPOS\IPC\sign($leaves, self::myposKey());
        \Stub::$httpHandler = fn () => ['body' => (string) json_encode($outer)];
        $settings = new Settings();
        $reconciler = new Reconciler($settings, new NotifyHandler($settings, new OrderLock(), new Log('debug')), new Log('debug'));
        $this->assertStringContainsString('unusable message', $reconciler->check(self::saved(72)));
        $this->assertSame('pending', self::saved(72)->get_status());
    }

    public function testTheSettingsLeaveFieldRulesToTheCore(): void
    {
        $this->assertSame('bg', (new Settings(['language' => 'BG']))->language());
        $this->assertSame('en', (new Settings(['language' => 'bul']))->language(), 'a language the core refuses falls back to en');
        $source = (string) file_get_contents(dirname(__DIR__, 2) . '/includes/Settings.php');
        $this->assertStringNotContainsString('preg_', $source, 'no regex copies of the core\'s field rules');
        $this->assertStringNotContainsString('base64_decode', $source, 'configuration packs are decoded by the core');
        $this->assertStringNotContainsString('ZERO_DECIMAL', (string) file_get_contents(dirname(__DIR__, 2) . '/includes/Money.php'));
    }

    /** A call made under an order's gate must end before another worker may take the gate over. */
    public function testTheWaitForMyposEndsBeforeAnOrdersGateGoesStale(): void
    {
        $this->assertSame(25, \MyPOS\IPC\WooCommerce\MyposApi::timeout(), 'default');
        add_filter('mypos_ipc_http_timeout', fn () => 120);
        $this->assertLessThan(\MyPOS\IPC\WooCommerce\MessageClaims::STALE_SECONDS, \MyPOS\IPC\WooCommerce\MyposApi::timeout());
    }

    public function testTheConnectionTestGoesThroughMyposApi(): void
    {
        add_filter('mypos_ipc_http_timeout', fn () => 7);
        \Stub::$httpHandler = fn () => ['body' => 'not signed'];
        $result = ConnectionTest::run((new Settings())->config(), self::NOTIFY_URL);
        $this->assertFalse($result['ok']);
        $this->assertSame(7, \Stub::$http[0]['args']['timeout'], 'the shared client\'s timeout');
        $this->assertTrue(\Stub::$http[0]['args']['sslverify']);
    }
}
