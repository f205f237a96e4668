<?php

// phpcs:ignoreFile -- tests.
namespace MyPOS\IPC\WooCommerce\Tests;

use MyPOS\IPC\WooCommerce\Attempts;
use MyPOS\IPC\WooCommerce\Log;
use MyPOS\IPC\WooCommerce\OrderFlags;
use MyPOS\IPC\WooCommerce\NotifyHandler;
use MyPOS\IPC\WooCommerce\OrderLock;
use MyPOS\IPC\WooCommerce\Plugin;
use MyPOS\IPC\WooCommerce\Reconciler;
use MyPOS\IPC\WooCommerce\Settings;

final class ReconcilerTest extends TestCase
{
    protected function setUp(): void
    {
        parent::setUp();
        $this->configure();
    }

    private function reconciler(): Reconciler
    {
        $settings = new Settings();
        return new Reconciler($settings, new NotifyHandler($settings, new OrderLock(), new Log('debug')), new Log('debug'));
    }

    /** A signed IPCGetTxnStatus JSON answer whose OrderStatus is the last message myPOS sent. */
    private static function txnStatus(string $orderId, ?array $last, int $status = 0): string
    {
        $outer = ['IPCMethod' => 'IPCGetTxnStatus', 'OrderID' => $orderId];
        $flat = $outer;
        if ($last !== null) {
            $last['Signature'] = \MyPOS\IPC\sign($last, self::myposKey());
            $outer['OrderStatus'] = $last;
            foreach ($last as $k => $v) {
                $flat['os_' . $k] = $v;
            }
        }
        $outer['Status'] = $status;
        $outer['StatusMsg'] = $status === 0 ? 'Success' : 'Failed';
        $flat['Status'] = (string) $status;
        $flat['StatusMsg'] = $outer['StatusMsg'];
        $outer['Signature'] = \MyPOS\IPC\sign($flat, self::myposKey());
        return (string) json_encode($outer);
    }

    /** A signed IPCGetPaymentStatus JSON answer (PaymentStatus 1 paid, 2 pending, 4 reversed). */
    private static function paymentStatus(string $orderId, int $code, string $trnref = '777'): string
    {
        $fields = ['IPCMethod' => 'IPCGetPaymentStatus', 'OrderID' => $orderId, 'PaymentMethod' => '1', 'PaymentStatus' => (string) $code,
            'Amount' => '24.45', 'Currency' => 'EUR', 'IPC_Trnref' => $trnref, 'Status' => '0', 'StatusMsg' => 'Success'];
        $fields['Signature'] = \MyPOS\IPC\sign($fields, self::myposKey());
        return (string) json_encode($fields);
    }

    /**
     * Answers IPCGetTxnStatus with $last and IPCGetPaymentStatus with $code, as myPOS would.
     *
     * @return \Closure(string, array): array
     */
    private static function mypos(?array $last, int $code = 1): \Closure
    {
        return function (string $url, array $args) use ($last, $code): array {
            parse_str($args['body'], $sent);
            return ['body' => $sent['IPCmethod'] === 'IPCGetPaymentStatus'
                ? self::paymentStatus($sent['OrderID'], $code)
                : self::txnStatus($sent['OrderID'], $last ?? self::paidMessage($sent['OrderID']))];
        };
    }

    private static function paidMessage(string $orderId, string $amount = '24.45', string $method = 'IPCPurchaseNotify'): array
    {
        return ['IPCmethod' => $method, 'SID' => self::SID, 'Amount' => $amount, 'Currency' => 'EUR', 'OrderID' => $orderId, 'IPC_Trnref' => '777'];
    }

    public function testPendingOrderPaidAtMyposBecomesPaid(): void
    {
        self::order(40);
        \Stub::$httpHandler = self::mypos(self::paidMessage('40'));
        $result = $this->reconciler()->check(self::saved(40));
        $this->assertStringContainsString('IPCPurchaseNotify', $result);
        $this->assertSame('processing', self::saved(40)->get_status());
        $this->assertSame('777', self::saved(40)->get_meta('_mypos_ipc_trnref'));
        parse_str(\Stub::$http[0]['args']['body'], $sent);
        $this->assertSame('IPCGetTxnStatus', $sent['IPCmethod']);
        $this->assertSame('40', $sent['OrderID']);
        $this->assertTrue(\Stub::$http[0]['args']['sslverify']);
    }

    public function testMismatchFromStatusIsNotPaid(): void
    {
        self::order(41);
        \Stub::$httpHandler = self::mypos(self::paidMessage('41', '1.00'));
        $this->reconciler()->check(self::saved(41));
        $this->assertSame('on-hold', self::saved(41)->get_status());
    }

    public function testNothingAtMyposLeavesOrderPending(): void
    {
        self::order(42);
        \Stub::$httpHandler = fn () => ['body' => self::txnStatus('42', null)];
        $this->assertStringContainsString('no payment', $this->reconciler()->check(self::saved(42)));
        $this->assertSame('pending', self::saved(42)->get_status());
    }

    public function testForgedStatusAnswerChangesNothing(): void
    {
        self::order(43);
        \Stub::$httpHandler = fn () => ['body' => str_replace('"Amount":"24.45"', '"Amount":"24.40"', self::txnStatus('43', self::paidMessage('43', '24.45')))];
        $this->assertStringContainsString('refused', $this->reconciler()->check(self::saved(43)));
        $this->assertSame('pending', self::saved(43)->get_status());
    }

    public function testBackgroundJobChecksPendingOrdersOnly(): void
    {
        self::order(44);
        self::order(45, '24.45', 'processing', '1');
        (new \WC_Order(46, '24.45', 'EUR', 'pending', 'cod'))->save();
        \Stub::$httpHandler = self::mypos(null);
        $this->assertSame(1, $this->reconciler()->checkPending());
        $this->assertSame('processing', self::saved(44)->get_status());
        $this->assertSame(['IPCGetTxnStatus', 'IPCGetPaymentStatus'], array_map(fn ($r) => self::sent($r)['IPCmethod'], \Stub::$http));
    }

    public function testSchedulingAndOrderAction(): void
    {
        Reconciler::schedule();
        Reconciler::schedule();
        $this->assertCount(1, \Stub::$actions['scheduled'][Reconciler::HOOK_ALL]);
        self::order(47);
        $handler = new NotifyHandler(new Settings(), new OrderLock(), new Log('debug'));
        $handler->handle(self::myposBody(['IPCmethod' => 'IPCPurchaseOK', 'SID' => self::SID, 'Amount' => '24.45', 'Currency' => 'EUR', 'OrderID' => '47', 'IPC_Trnref' => '1']));
        $this->assertSame([47], \Stub::$actions['scheduled'][Reconciler::HOOK_ONE][0]['args']);
        $this->assertArrayHasKey('mypos_ipc_check_status', (new Plugin('x'))->statusChecks()->orderActions([], self::saved(47)));
        \Stub::$httpHandler = self::mypos(self::paidMessage('47'));
        (new Plugin('x'))->statusChecks()->runOrderAction(self::saved(47));
        $this->assertSame('processing', self::saved(47)->get_status());
        $this->assertStringContainsString('myPOS reports IPCPurchaseNotify', end(self::saved(47)->notes));
    }

    private static function sent(array $request): array
    {
        parse_str($request['args']['body'], $sent);
        return $sent;
    }

    public function testReconciliationRacingARollbackNeverMarksAReversedPaymentPaid(): void
    {
        // myPOS reversed the payment; its rollback has not landed, so the last message is still the notify.
        self::order(50);
        \Stub::$httpHandler = self::mypos(self::paidMessage('50'), 4);
        $result = $this->reconciler()->check(self::saved(50));
        $this->assertStringContainsString('reversed', $result);
        $this->assertSame('pending', self::saved(50)->get_status());
        $this->assertSame('', self::saved(50)->get_meta('_mypos_ipc_trnref'));
        $this->assertSame(['IPCGetTxnStatus', 'IPCGetPaymentStatus'], array_map(fn ($r) => self::sent($r)['IPCmethod'], \Stub::$http));

        // Still pending at myPOS, or an answer about another payment: not paid either.
        \Stub::$httpHandler = self::mypos(self::paidMessage('50'), 2);
        $this->reconciler()->check(self::saved(50));
        $this->assertSame('pending', self::saved(50)->get_status());
        \Stub::$httpHandler = function (string $url, array $args): array {
            return ['body' => self::sent(['args' => $args])['IPCmethod'] === 'IPCGetPaymentStatus'
                ? self::paymentStatus('50', 1, '999') : self::txnStatus('50', self::paidMessage('50'))];
        };
        $this->assertStringContainsString('another payment', $this->reconciler()->check(self::saved(50)));
        $this->assertSame('pending', self::saved(50)->get_status());
    }

    public function testAFailedOrderThatMyposReportsPaidIsFlaggedNotChanged(): void
    {
        self::order(51, '24.45', 'failed');
        self::order(52, '24.45', 'cancelled');
        \Stub::$httpHandler = self::mypos(null);
        $this->reconciler()->check(self::saved(51)); // the order screen's check
        $this->assertSame(2, $this->reconciler()->recheckRecent()); // the hourly job
        foreach ([51 => 'failed', 52 => 'cancelled'] as $id => $status) {
            $order = self::saved($id);
            $this->assertSame($status, $order->get_status());
            $this->assertSame('', $order->get_meta('_mypos_ipc_trnref'));
            $this->assertSame(0, $order->stockReductions);
            $this->assertStringContainsString("myPOS reports this {$status} order paid (24.45 EUR, IPC_Trnref 777)", (string) end($order->notes));
        }
        $this->assertEqualsCanonicalizing([51, 52], OrderFlags::orders(OrderFlags::PAID_AT_MYPOS));
        ob_start();
        (new Plugin('x'))->notices()->show();
        $this->assertStringContainsString('myPOS IPC, order #51: myPOS reports this failed order paid', (string) ob_get_clean());

        // Found again by the next hourly job: still one note. Once myPOS no longer confirms it, the flag goes.
        $notes = count(self::saved(51)->notes);
        $this->reconciler()->recheckRecent();
        $this->assertCount($notes, self::saved(51)->notes);
        \Stub::$httpHandler = self::mypos(null, 4);
        $this->reconciler()->recheckRecent();
        $this->assertSame([], OrderFlags::all());
        $this->assertSame('failed', self::saved(51)->get_status());
    }

    public function testAPaidOrderWithAMissedRollbackGetsItFromTheStatusAnswer(): void
    {
        self::order(53, '24.45', 'processing', '777');
        $rollback = ['IPCmethod' => 'IPCPurchaseRollback', 'SID' => self::SID, 'Amount' => '24.45', 'Currency' => 'EUR', 'OrderID' => '53'];
        \Stub::$httpHandler = self::mypos($rollback, 4);
        $this->assertSame(1, $this->reconciler()->recheckRecent());
        $this->assertSame('failed', self::saved(53)->get_status());
        $this->assertSame([], OrderFlags::all());
    }

    public function testAPaidOrderReportedReversedWithoutARollbackIsFlagged(): void
    {
        self::order(54, '24.45', 'processing', '777');
        \Stub::$httpHandler = self::mypos(self::paidMessage('54'), 4);
        $this->reconciler()->recheckRecent();
        $this->assertSame('processing', self::saved(54)->get_status());
        $this->assertSame([54], OrderFlags::orders(OrderFlags::REVERSED_AT_MYPOS));
        $this->assertStringContainsString('reversed', (string) end(self::saved(54)->notes));
        // Unchanged at myPOS: one question, no note.
        \Stub::reset();
        $this->configure();
        self::order(55, '24.45', 'processing', '777');
        \Stub::$httpHandler = self::mypos(self::paidMessage('55'), 1);
        $this->reconciler()->recheckRecent();
        $this->assertCount(1, \Stub::$http);
        $this->assertSame([], self::saved(55)->notes);
    }

    public function testAStatusCheckUsesTheModeTheOrderWasPaidIn(): void
    {
        // The shop went live after order 56 was sent to the test environment as attempt 1.
        $this->configure(['testmode' => 'no', 'live_config_pack' => \MyPOS\IPC\WooCommerce\SecretBox::seal(self::pack()),
            'test_endpoint_url' => 'http://127.0.0.1:9/vmp/checkout-test']);
        $order = self::order(56);
        Attempts::put($order, ['n' => 1, 'id' => 'shop-56-1', 'mode' => 'test', 'amount' => 2445, 'currency' => 'EUR', 'created' => time(), 'state' => Attempts::OPEN]);
        $order->save();
        \Stub::$httpHandler = self::mypos(null, 2);
        $this->reconciler()->check(self::saved(56));
        $this->assertSame('http://127.0.0.1:9/vmp/checkout-test', \Stub::$http[0]['url']);
        $this->assertSame('shop-56-1', self::sent(\Stub::$http[0])['OrderID']);
    }
}
