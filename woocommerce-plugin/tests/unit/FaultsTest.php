<?php

// phpcs:ignoreFile -- tests.
namespace MyPOS\IPC\WooCommerce\Tests;

use MyPOS\IPC\WooCommerce\Gateway;
use MyPOS\IPC\WooCommerce\Log;
use MyPOS\IPC\WooCommerce\NotifyHandler;
use MyPOS\IPC\WooCommerce\OrderLock;
use MyPOS\IPC\WooCommerce\Plugin;
use MyPOS\IPC\WooCommerce\Reconciler;
use MyPOS\IPC\WooCommerce\Settings;

/**
 * Faults (issue #9): the database failing while a notify is saved, myPOS unreachable or
 * answering garbage during refunds and status checks, the notify and the buyer's return in
 * either order, and a rollback for a refunded order. Expected outcomes: docs/notify-decisions.md.
 */
final class FaultsTest extends TestCase
{
    private const DB_ERROR = 'Deadlock found when trying to get lock; try restarting transaction';

    protected function setUp(): void
    {
        parent::setUp();
        $this->configure();
    }

    private static function rollback(int $orderId): string
    {
        return self::myposBody(['IPCmethod' => 'IPCPurchaseRollback', 'SID' => self::SID, 'Amount' => '24.45', 'Currency' => 'EUR', 'OrderID' => (string) $orderId]);
    }

    private static function purchaseOk(int $orderId): string
    {
        return self::myposBody(['IPCmethod' => 'IPCPurchaseOK', 'SID' => self::SID, 'Amount' => '24.45', 'Currency' => 'EUR', 'OrderID' => (string) $orderId, 'IPC_Trnref' => '410227']);
    }

    private static function logText(): string
    {
        return implode("\n", array_column(\Stub::$log, 'message'));
    }

    // --- the database fails while a notify is saved -------------------------------------

    public function testDatabaseFailingWhileSavingAPaymentIsNotOkThenTheRollbackIsHandled(): void
    {
        self::order(70);
        \Stub::$dbError = self::DB_ERROR;
        $answer = $this->handle(self::notify(70));
        $this->assertSame(500, $answer->status, 'myPOS must retry or roll back');
        $this->assertNotSame('OK', $answer->body);
        $this->assertSame('pending', self::saved(70)->get_status(), 'the database kept the order unpaid');
        $this->assertSame('', self::saved(70)->get_meta('_mypos_ipc_trnref'));
        $this->assertSame([], \Stub::$locks, 'the order lock is released');
        $this->assertStringContainsString('Error saving order.', self::logText(), 'WooCommerce logged the failure');
        $this->assertStringContainsString('notify for order 70 not saved', self::logText());

        // The database is back; myPOS, not having had OK, reverses the payment.
        \Stub::$dbError = null;
        $answer = $this->handle(self::rollback(70));
        $this->assertSame([200, 'OK'], [$answer->status, $answer->body]);
        $this->assertSame('failed', self::saved(70)->get_status());
        $this->assertSame(0, self::saved(70)->stockReductions, 'never paid, no stock taken');
        $this->assertSame([], \Stub::$locks);
    }

    public function testDatabaseFailingWhileSavingARollbackIsNotOkAndTheRetryIsHandled(): void
    {
        self::order(71);
        $this->assertSame('OK', $this->handle(self::notify(71))->body);
        \Stub::$dbError = self::DB_ERROR;
        $answer = $this->handle(self::rollback(71));
        $this->assertSame(500, $answer->status);
        $this->assertNotSame('OK', $answer->body);
        $this->assertSame('processing', self::saved(71)->get_status(), 'nothing half-written');
        $this->assertSame([], \Stub::$locks);
        \Stub::$dbError = null;
        $this->assertSame('OK', $this->handle(self::rollback(71))->body, 'myPOS retries the rollback');
        $this->assertSame('failed', self::saved(71)->get_status());
    }

    public function testAnErrorEscapingWooCommerceWhileSavingIsNotOk(): void
    {
        // payment_complete() failing with a TypeError before it saved anything: not recorded, not OK
        $order = new class (73, '24.45') extends \WC_Order {
            public function payment_complete(string $transactionId = ''): bool
            {
                throw new \TypeError('a woocommerce_payment_complete hook failed');
            }
        };
        $order->save();
        $answer = $this->handle(self::notify(73));
        $this->assertSame(500, $answer->status);
        $this->assertNotSame('OK', $answer->body);
        $this->assertSame('pending', self::saved(73)->get_status());
        $this->assertSame([], \Stub::$locks, 'the order lock is released');
        $this->assertStringContainsString('TypeError thrown while applying mark_paid (a woocommerce_payment_complete hook failed)', self::logText());
        $this->assertStringContainsString('notify for order 73 not saved: the order status is still pending', self::logText());
    }

    public function testTheSameNotifyAfterTheDatabaseRecoversPaysOnce(): void
    {
        self::order(72);
        \Stub::$dbError = self::DB_ERROR;
        $this->assertSame(500, $this->handle(self::notify(72))->status);
        \Stub::$dbError = null;
        $retry = $this->handle(self::notify(72)); // myPOS retries: the order is paid now
        $this->assertSame([200, 'OK'], [$retry->status, $retry->body]);
        $this->assertSame('OK', $this->handle(self::notify(72))->body, 'a duplicate after that');
        $this->assertSame('processing', self::saved(72)->get_status());
        $this->assertSame(1, self::saved(72)->stockReductions);
    }

    // --- myPOS unreachable or answering garbage: refunds and status checks ---------------

    /** @return array<string, array{string, string}> fault => [stand-in fault, what the admin must read] */
    public static function apiFaults(): array
    {
        return [
            'connection refused' => ['refused', 'cURL error 7: Failed to connect'],
            'timeout' => ['hang', 'cURL error 28: Operation timed out'],
            'not JSON' => ['garbage', 'malformed API answer: JSON'],
            'unsigned' => ['unsigned', 'unsigned API answer'],
            'bad signature' => ['badsig', 'signature does not verify with the configured myPOS key'],
            'HTTP 500' => ['http500', 'myPOS answered HTTP 500'],
        ];
    }

    /** Points the gateway at a misbehaving myPOS, with a 1 s HTTP timeout. */
    private function misbehavingMypos(string $fault): void
    {
        $url = $fault === 'refused' ? self::deadUrl() : $this->startMyposStandin($fault);
        $this->configure(['test_endpoint_url' => $url]);
        add_filter('mypos_ipc_http_timeout', fn () => 1);
    }

    /** @dataProvider apiFaults */
    public function testRefundAgainstAMisbehavingMyposShowsWhatWentWrongAndRecordsNothing(string $fault, string $expected): void
    {
        self::order(80, '24.45', 'processing', '410227');
        $before = self::saved(80);
        $this->misbehavingMypos($fault);
        $started = microtime(true);
        $result = (new Gateway())->process_refund(80, '10.00', 'customer asked');
        $elapsed = microtime(true) - $started;

        $this->assertInstanceOf(\WP_Error::class, $result, 'WooCommerce deletes its refund record on WP_Error');
        // myPOS may have made the refund: it stays pending at myPOS, never "not made".
        $this->assertStringStartsWith('The refund of 10.00 EUR is pending at myPOS: ', $result->get_error_message());
        $this->assertStringContainsString($expected, $result->get_error_message());
        $this->assertLessThan(5, $elapsed, 'the wait for myPOS is bounded');
        $after = self::saved(80);
        $this->assertSame('processing', $after->get_status());
        $this->assertSame([], array_filter($after->notes, fn ($n) => str_starts_with($n, 'Refunded')), 'no "Refunded" note');
        $this->assertSame('pending', \MyPOS\IPC\WooCommerce\RefundRecords::pending($after)['state'] ?? null);
        $this->assertSame('410227', $after->get_meta('_mypos_ipc_trnref'));
        $this->assertStringContainsString($expected, self::logText());
        $this->assertStringNotContainsString('PRIVATE KEY', $result->get_error_message() . self::logText());
    }

    /** @dataProvider apiFaults */
    public function testStatusCheckAgainstAMisbehavingMyposNotesWhatWentWrongAndChangesNothing(string $fault, string $expected): void
    {
        self::order(81);
        $this->misbehavingMypos($fault);
        (new Plugin('x'))->statusChecks()->runOrderAction(self::saved(81)); // the admin's "Check payment status with myPOS"
        $order = self::saved(81);
        $this->assertSame('pending', $order->get_status());
        $this->assertSame('', $order->get_meta('_mypos_ipc_trnref'));
        $this->assertSame(0, $order->stockReductions);
        $note = (string) end($order->notes);
        $this->assertStringStartsWith('myPOS status check failed; the order is unchanged.', $note);
        $this->assertStringContainsString($expected, $note);

        // The hourly background job meets the same fault: logged, nothing changed, no exception.
        \Stub::$log = [];
        $this->assertSame(1, (new Reconciler(new Settings(), new NotifyHandler(new Settings(), new OrderLock(), new Log('debug')), new Log('debug')))->checkPending());
        $this->assertSame('pending', self::saved(81)->get_status());
        $this->assertStringContainsString($expected, self::logText());
    }

    // --- the notify and the buyer's return, in either order ------------------------------

    public function testNotifyBeforeTheBuyerReturns(): void
    {
        self::order(90);
        $this->assertSame('OK', $this->handle(self::notify(90))->body);
        $notes = self::saved(90)->notes;
        $back = $this->handle(self::purchaseOk(90));
        $this->assertStringContainsString('order-received/90', (string) $back->redirect);
        $order = self::saved(90);
        $this->assertSame('processing', $order->get_status());
        $this->assertSame(1, $order->stockReductions, 'paid once');
        $this->assertSame($notes, $order->notes, 'the return page changed nothing');
        $this->assertArrayNotHasKey(Reconciler::HOOK_ONE, \Stub::$actions['scheduled'] ?? [], 'paid: nothing to reconcile');
    }

    public function testBuyerReturnsBeforeTheNotify(): void
    {
        self::order(91);
        $back = $this->handle(self::purchaseOk(91));
        $this->assertStringContainsString('order-received/91', (string) $back->redirect);
        $this->assertSame('pending', self::saved(91)->get_status(), 'the return page never marks paid');
        $this->assertSame([91], \Stub::$actions['scheduled'][Reconciler::HOOK_ONE][0]['args'], 'a status check is scheduled');

        $this->assertSame('OK', $this->handle(self::notify(91))->body);
        $this->assertSame('processing', self::saved(91)->get_status());

        // The scheduled status check runs later and finds the same payment: nothing changes.
        $notes = self::saved(91)->notes;
        \Stub::$httpHandler = fn () => ['body' => self::txnStatus('91', ['IPCmethod' => 'IPCPurchaseNotify', 'SID' => self::SID, 'Amount' => '24.45', 'Currency' => 'EUR', 'OrderID' => '91', 'IPC_Trnref' => '410227'])];
        (new Plugin('x'))->statusChecks()->checkOrder(91);
        $this->assertCount(1, \Stub::$http, 'the status check asked myPOS');
        $this->handle(self::purchaseOk(91)); // the buyer reloads the return page
        $order = self::saved(91);
        $this->assertSame('processing', $order->get_status());
        $this->assertSame(1, $order->stockReductions, 'paid once');
        $this->assertSame($notes, $order->notes);
    }

    /** A signed IPCGetTxnStatus JSON answer holding the last message myPOS sent for an order. */
    private static function txnStatus(string $orderId, array $last): string
    {
        $last['Signature'] = \MyPOS\IPC\sign($last, self::myposKey());
        $flat = ['IPCMethod' => 'IPCGetTxnStatus', 'OrderID' => $orderId];
        foreach ($last as $k => $v) {
            $flat['os_' . $k] = $v;
        }
        $flat += ['Status' => '0', 'StatusMsg' => 'Success'];
        $outer = ['IPCMethod' => 'IPCGetTxnStatus', 'OrderID' => $orderId, 'OrderStatus' => $last, 'Status' => 0, 'StatusMsg' => 'Success'];
        $outer['Signature'] = \MyPOS\IPC\sign($flat, self::myposKey());
        return (string) json_encode($outer);
    }

    // --- a rollback for an order already refunded ----------------------------------------

    public function testRollbackForARefundedOrderKeepsItRefunded(): void
    {
        self::order(95);
        $this->assertSame('OK', $this->handle(self::notify(95))->body);
        $this->configure(['test_endpoint_url' => $this->startMyposStandin()]);
        $this->assertTrue((new Gateway())->process_refund(95, '24.45', 'returned'));
        // WooCommerce marks a fully refunded order "refunded" after process_refund succeeds.
        self::saved(95)->update_status('refunded');
        $refundNotes = array_values(array_filter(self::saved(95)->notes, fn ($n) => str_starts_with($n, 'Refunded 24.45 EUR')));
        $this->assertCount(1, $refundNotes);

        $answer = $this->handle(self::rollback(95));
        $this->assertSame([200, 'OK'], [$answer->status, $answer->body], 'docs/notify-decisions.md: unchanged, with a note, OK');
        $order = self::saved(95);
        $this->assertSame('refunded', $order->get_status());
        $this->assertSame('410227', $order->get_meta('_mypos_ipc_trnref'));
        $this->assertStringContainsString('already refunded', (string) end($order->notes));
        $this->assertContains($refundNotes[0], $order->notes, 'the refund stays recorded');

        // A replayed payment notify after that does not un-refund the order either.
        $this->assertSame('OK', $this->handle(self::notify(95))->body);
        $this->assertSame('refunded', self::saved(95)->get_status());
        $this->assertSame(1, self::saved(95)->stockReductions);
    }

    public function testRollbackForAPartlyRefundedOrderMarksItFailedAndKeepsTheRefund(): void
    {
        self::order(96);
        $this->handle(self::notify(96));
        $this->configure(['test_endpoint_url' => $this->startMyposStandin()]);
        $this->assertTrue((new Gateway())->process_refund(96, '4.45'));
        $this->assertSame('OK', $this->handle(self::rollback(96))->body);
        $order = self::saved(96);
        $this->assertSame('failed', $order->get_status(), 'paid by that payment: failed, per the table');
        $this->assertNotEmpty(array_filter($order->notes, fn ($n) => str_starts_with($n, 'Refunded 4.45 EUR')));
    }
}
