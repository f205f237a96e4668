<?php

// phpcs:ignoreFile -- tests.
namespace MyPOS\IPC\WooCommerce\Tests;

use MyPOS\IPC\WooCommerce\Orders;
use MyPOS\IPC\WooCommerce\Settings;

final class NotifyTest extends TestCase
{
    protected function setUp(): void
    {
        parent::setUp();
        $this->configure();
    }

    public function testMatchingNotifyMarksPaidSavesThenAnswersOk(): void
    {
        self::order(7);
        $answer = $this->handle(self::notify(7));
        $this->assertSame([200, 'OK'], [$answer->status, $answer->body]);
        $order = self::saved(7);
        $this->assertSame('processing', $order->get_status());
        $this->assertSame('410227', $order->get_meta('_mypos_ipc_trnref'));
        $this->assertSame('410227', $order->transactionId);
        $this->assertSame(1, $order->stockReductions);
        $this->assertSame([], \Stub::$locks, 'lock released');
    }

    public function testFailedAndCancelledOrdersCanStillBePaid(): void
    {
        self::order(8, '24.45', 'failed');
        self::order(9, '24.45', 'cancelled');
        $this->assertSame('OK', $this->handle(self::notify(8))->body);
        $this->assertSame('OK', $this->handle(self::notify(9))->body);
        $this->assertSame('processing', self::saved(8)->get_status());
        $this->assertSame('processing', self::saved(9)->get_status());
    }

    /** Under HPOS a notify that loaded the order before waiting for the lock must re-read it. */
    public function testReReadUnderTheLockBypassesTheHposOrderCache(): void
    {
        \Stub::$hposCache = true;
        self::order(7);
        $this->assertSame('pending', Orders::find('7')->get_status(), 'loaded before the lock');
        $paid = clone self::saved(7); // meanwhile another worker pays it
        $paid->set_status('processing');
        $paid->update_meta_data('_mypos_ipc_trnref', '410227');
        $paid->save();
        $this->assertSame('pending', Orders::find('7')->get_status(), 'wc_get_order() answers from the cache');
        $fresh = Orders::findFresh('7');
        $this->assertSame('processing', $fresh->get_status());
        $this->assertSame('duplicate', (new Settings())->config()->notification(self::notify(7))->decide(Orders::snapshot($fresh))->action());
    }

    public function testDuplicateNotifyChangesNothing(): void
    {
        self::order(7);
        $this->handle(self::notify(7));
        $notes = self::saved(7)->notes;
        $saves = self::saved(7)->saves;
        $answer = $this->handle(self::notify(7));
        $this->assertSame([200, 'OK'], [$answer->status, $answer->body]);
        $this->assertSame(1, self::saved(7)->stockReductions);
        $this->assertSame($notes, self::saved(7)->notes);
        $this->assertSame($saves, self::saved(7)->saves);
    }

    public function testPaidByAnotherPaymentIsRefused(): void
    {
        self::order(7, '24.45', 'processing', '999');
        $answer = $this->handle(self::notify(7));
        $this->assertNotSame('OK', $answer->body);
        $this->assertSame('processing', self::saved(7)->get_status());
        $this->assertSame('999', self::saved(7)->get_meta('_mypos_ipc_trnref'));
        $this->assertStringContainsString('already paid', implode("\n", self::saved(7)->notes));
    }

    public function testAmountMismatchPutsOnHold(): void
    {
        self::order(7, '30.00');
        $answer = $this->handle(self::notify(7, '24.45'));
        $this->assertNotSame('OK', $answer->body);
        $this->assertSame('on-hold', self::saved(7)->get_status());
        $this->assertSame(0, self::saved(7)->stockReductions);
    }

    public function testCurrencyMismatchPutsOnHold(): void
    {
        self::order(7);
        $answer = $this->handle(self::notify(7, '24.45', '410227', 'BGN'));
        $this->assertNotSame('OK', $answer->body);
        $this->assertSame('on-hold', self::saved(7)->get_status());
    }

    public function testZeroDecimalCurrency(): void
    {
        self::order(11, '1500', 'pending', null, 'JPY');
        $this->assertSame('OK', $this->handle(self::notify(11, '1500', '5', 'JPY'))->body);
        $this->assertSame('processing', self::saved(11)->get_status());
    }

    public function testUnknownOrderAndOtherGatewayAreNotOk(): void
    {
        $this->assertNotSame('OK', $this->handle(self::notify(404))->body);
        (new \WC_Order(12, '24.45', 'EUR', 'pending', 'cod'))->save();
        $this->assertNotSame('OK', $this->handle(self::notify(12))->body);
        $this->assertSame('pending', self::saved(12)->get_status());
    }

    public function testBadSignatureIs400AndChangesNothing(): void
    {
        self::order(7);
        $body = str_replace('Amount=24.45', 'Amount=24.46', self::notify(7));
        $answer = $this->handle($body);
        $this->assertSame(400, $answer->status);
        $this->assertNotSame('OK', $answer->body);
        $this->assertSame('pending', self::saved(7)->get_status());
        $this->assertStringContainsString('signature invalid', \Stub::$log[0]['message']);
        $this->assertSame('mypos-ipc', \Stub::$log[0]['source']);
    }

    public function testMalformedBodyIs400(): void
    {
        $answer = $this->handle('this is not a form');
        $this->assertSame(400, $answer->status);
        $this->assertSame(400, $this->handle('')->status);
    }

    public function testRollbackAfterPaidMarksFailed(): void
    {
        self::order(7);
        $this->handle(self::notify(7));
        $answer = $this->handle(self::notify(7, '24.45', '410227', 'EUR', 'IPCPurchaseRollback'));
        $this->assertSame([200, 'OK'], [$answer->status, $answer->body]);
        $this->assertSame('failed', self::saved(7)->get_status());
    }

    public function testRollbackOfRefundedOrderOnlyNotes(): void
    {
        self::order(7, '24.45', 'refunded', '410227');
        $answer = $this->handle(self::notify(7, '24.45', '410227', 'EUR', 'IPCPurchaseRollback'));
        $this->assertSame('OK', $answer->body);
        $this->assertSame('refunded', self::saved(7)->get_status());
        $this->assertNotEmpty(self::saved(7)->notes);
    }

    public function testCancelKeepsOrderPayableAndRedirectsToPayment(): void
    {
        self::order(7);
        $answer = $this->handle(self::myposBody(['IPCmethod' => 'IPCPurchaseCancel', 'SID' => self::SID, 'Amount' => '24.45', 'Currency' => 'EUR', 'OrderID' => '7']));
        $this->assertSame(302, $answer->status);
        $this->assertStringContainsString('order-pay/7', (string) $answer->redirect);
        $this->assertSame('pending', self::saved(7)->get_status());
    }

    public function testPurchaseOkNeverMarksPaid(): void
    {
        self::order(7);
        $answer = $this->handle(self::myposBody(['IPCmethod' => 'IPCPurchaseOK', 'SID' => self::SID, 'Amount' => '24.45', 'Currency' => 'EUR', 'OrderID' => '7', 'IPC_Trnref' => '410227']));
        $this->assertStringContainsString('order-received/7', (string) $answer->redirect);
        $this->assertSame('pending', self::saved(7)->get_status());
    }

    public function testPurchaseOkAsGetWithRoutingParam(): void
    {
        self::order(7);
        $query = 'wc-api=mypos_ipc&' . self::myposBody(['IPCmethod' => 'IPCPurchaseOK', 'SID' => self::SID, 'Amount' => '24.45', 'Currency' => 'EUR', 'OrderID' => '7', 'IPC_Trnref' => '410227']);
        $this->assertStringContainsString('order-received/7', (string) $this->handle($query)->redirect);
    }

    public function testSignatureVerifyIsAcknowledged(): void
    {
        $answer = $this->handle(self::myposBody(['IPCmethod' => 'IPCSignatureVerify', 'SID' => self::SID]));
        $this->assertSame([200, 'OK'], [$answer->status, $answer->body]);
    }

    public function testOtherMethodIs400(): void
    {
        $answer = $this->handle(self::myposBody(['IPCmethod' => 'IPCSomethingElse', 'SID' => self::SID, 'OrderID' => '7']));
        $this->assertSame(400, $answer->status);
    }

    public function testLockedOrderIsNotTouchedAndNotOk(): void
    {
        self::order(7);
        \Stub::$locks['mypos_ipc_wp_7'] = true; // another worker holds the lock
        $answer = $this->handle(self::notify(7));
        $this->assertSame(503, $answer->status);
        $this->assertNotSame('OK', $answer->body);
        $this->assertSame('pending', self::saved(7)->get_status());
        $this->assertTrue(\Stub::$locks['mypos_ipc_wp_7'], 'the other worker keeps its lock');
    }

    public function testUnconfiguredGatewayIsNotOk(): void
    {
        \Stub::$options = [];
        $this->assertSame(503, $this->handle(self::notify(7))->status);
    }

    public function testLogsHoldNoSecrets(): void
    {
        self::order(7);
        $this->handle(self::notify(7));
        $this->handle('garbage');
        $all = serialize(\Stub::$log);
        $this->assertStringNotContainsString('PRIVATE KEY', $all);
        $this->assertStringNotContainsString(substr(self::pack(), 40, 40), $all);
    }

    public function testEndpointTakesPostBodyElseQueryString(): void
    {
        self::order(7);
        $ok = self::myposBody(['IPCmethod' => 'IPCPurchaseOK', 'SID' => self::SID, 'Amount' => '24.45', 'Currency' => 'EUR', 'OrderID' => '7', 'IPC_Trnref' => '1']);
        $this->assertStringContainsString('order-received/7', (string) (new \MyPOS\IPC\WooCommerce\Plugin('x'))->notifyEndpoint()->answer('', 'wc-api=mypos_ipc&' . $ok)->redirect);
        $paid = (new \MyPOS\IPC\WooCommerce\Plugin('x'))->notifyEndpoint()->answer(self::notify(7), 'wc-api=mypos_ipc');
        $this->assertSame([200, 'OK'], [$paid->status, $paid->body]);
        $this->assertSame(400, (new \MyPOS\IPC\WooCommerce\Plugin('x'))->notifyEndpoint()->answer('', 'wc-api=mypos_ipc')->status);
    }
}
