<?php

// phpcs:ignoreFile -- tests.
namespace MyPOS\IPC\WooCommerce\Tests;

use MyPOS\IPC\WooCommerce\Attempts;
use MyPOS\IPC\WooCommerce\Gateway;
use MyPOS\IPC\WooCommerce\OrderFlags;
use MyPOS\IPC\WooCommerce\Plugin;
use MyPOS\IPC\WooCommerce\RefundRecords;

/** The pending refund record: written before the request, settled only by an answer that confirms this refund. */
final class RefundRecordTest extends TestCase
{
    protected function setUp(): void
    {
        parent::setUp();
        $this->configure();
    }

    /** A signed IPCRefund answer claiming success, with $fields changed (null removes one). */
    private static function answer(array $fields = []): string
    {
        $all = array_filter(array_merge(['IPCMethod' => 'IPCRefund', 'SID' => self::SID, 'OrderID' => '60', 'Amount' => '10.00',
            'Currency' => 'EUR', 'IPC_Trnref' => '410227', 'Status' => '0', 'StatusMsg' => 'Success'], $fields), fn ($v) => $v !== null);
        $all['Signature'] = \MyPOS\IPC\sign($all, self::myposKey());
        return (string) json_encode($all);
    }

    public function testTheRecordIsSavedPendingBeforeTheRequestLeaves(): void
    {
        self::order(60, '24.45', 'processing', '410227');
        $atSend = null;
        \Stub::$httpHandler = function () use (&$atSend) {
            $atSend = RefundRecords::pending(self::saved(60));
            return ['body' => self::answer()];
        };
        $this->assertTrue((new Gateway())->process_refund(60, '10.00'));
        $this->assertSame(['60', 1000, 'EUR', 'pending'], [$atSend['order_id'], $atSend['amount'], $atSend['currency'], $atSend['state']]);
        $this->assertSame([['done', '410227']], array_map(fn ($r) => [$r['state'], $r['trnref']], RefundRecords::all(self::saved(60))));
    }

    public function testNotSavedMeansNotSent(): void
    {
        self::order(60, '24.45', 'processing', '410227');
        \Stub::$dbError = 'Deadlock found when trying to get lock';
        $result = (new Gateway())->process_refund(60, '10.00');
        $this->assertStringContainsString('could not be recorded', $result->get_error_message());
        $this->assertSame([], \Stub::$http);
    }

    /** @return array<string, array{array<string, ?string>, string}> */
    public static function unconfirming(): array
    {
        return [
            'another OrderID' => [['OrderID' => '61'], "OrderID '61'"],
            'no Amount' => [['Amount' => null], 'no Amount'],
            'another amount' => [['Amount' => '1.00'], 'not the requested one'],
            'another currency' => [['Currency' => 'BGN'], 'currency'],
            'no IPC_Trnref' => [['IPC_Trnref' => null], 'IPC_Trnref'],
        ];
    }

    /** @dataProvider unconfirming */
    public function testAnAnswerThatDoesNotEchoTheRequestLeavesTheRefundPending(array $fields, string $expected): void
    {
        self::order(60, '24.45', 'processing', '410227');
        \Stub::$httpHandler = fn () => ['body' => self::answer($fields)];
        $result = (new Gateway())->process_refund(60, '10.00');
        $this->assertInstanceOf(\WP_Error::class, $result);
        $this->assertStringContainsString('pending at myPOS', $result->get_error_message());
        $this->assertStringContainsString($expected, $result->get_error_message());
        $this->assertNotNull(RefundRecords::pending(self::saved(60)));
        $this->assertSame([], array_filter(self::saved(60)->notes, fn ($n) => str_starts_with($n, 'Refunded')));
    }

    public function testASignedRefusalIsFinalAndDoesNotBlockTheNextRefund(): void
    {
        self::order(60, '24.45', 'processing', '410227');
        \Stub::$httpHandler = fn () => ['body' => self::answer(['Status' => '9', 'StatusMsg' => 'Amount exceeds the remaining'])];
        $this->assertStringContainsString('refused', (new Gateway())->process_refund(60, '10.00')->get_error_message());
        $this->assertSame('failed', RefundRecords::all(self::saved(60))[0]['state']);
        \Stub::$httpHandler = fn () => ['body' => self::answer()];
        $this->assertTrue((new Gateway())->process_refund(60, '10.00'));
    }

    public function testAPendingRefundTheAdminFoundMadeIsRecordedWithoutASecondRequest(): void
    {
        self::order(60, '24.45', 'processing', '410227');
        \Stub::$httpHandler = fn () => ['body' => self::answer(['Amount' => null])];
        (new Gateway())->process_refund(60, '10.00', 'late parcel');
        $checks = (new Plugin('x'))->statusChecks();
        $this->assertArrayHasKey('mypos_ipc_confirm_refund', $checks->orderActions([], self::saved(60)));
        $sent = count(\Stub::$http);
        $checks->confirmRefund(self::saved(60));
        $this->assertCount($sent, \Stub::$http);
        $this->assertSame([['order_id' => 60, 'amount' => '10.00', 'reason' => 'late parcel', 'refund_payment' => false, 'restock_items' => false]], \Stub::$refunds);
        $this->assertNull(RefundRecords::pending(self::saved(60)));
        $this->assertStringContainsString('An administrator confirmed', (string) end(self::saved(60)->notes));
        $this->assertSame([], OrderFlags::all());
        $this->assertArrayNotHasKey('mypos_ipc_confirm_refund', $checks->orderActions([], self::saved(60)));
    }

    public function testTheRefundNamesThePaidAttempt(): void
    {
        $order = self::order(62, '24.45', 'processing');
        Attempts::put($order, ['n' => 1, 'id' => 'shop-62-1', 'mode' => 'test', 'amount' => 2445, 'currency' => 'EUR', 'created' => time(), 'state' => Attempts::ROLLED_BACK]);
        Attempts::put($order, ['n' => 2, 'id' => 'shop-62-2', 'mode' => 'test', 'amount' => 2445, 'currency' => 'EUR', 'created' => time(), 'state' => Attempts::PAID, 'trnref' => '555']);
        $order->save();
        \Stub::$httpHandler = fn () => ['body' => self::answer(['OrderID' => 'shop-62-2', 'IPC_Trnref' => '555'])];
        $this->assertTrue((new Gateway())->process_refund(62, '10.00'));
        parse_str(\Stub::$http[0]['args']['body'], $sent);
        $this->assertSame(['shop-62-2', '555'], [$sent['OrderID'], $sent['IPC_Trnref']]);
    }
}
