<?php

// phpcs:ignoreFile -- tests.
namespace MyPOS\IPC\WooCommerce\Tests;

use MyPOS\IPC\WooCommerce\Captures;
use MyPOS\IPC\WooCommerce\Gateway;
use MyPOS\IPC\WooCommerce\Log;
use MyPOS\IPC\WooCommerce\OrderGate;
use MyPOS\IPC\WooCommerce\OrderLock;
use MyPOS\IPC\WooCommerce\RefundRecords;
use MyPOS\IPC\WooCommerce\Settings;

/**
 * Issue 17: refunds, captures and the other server-side changes that call myPOS take the order's
 * message gate (a unique key), not GET_LOCK alone, so two workers on different Galera nodes or
 * behind a read/write split cannot both send one. In the stub, Stub::$messages is the database
 * every node shares; a Galera node refuses GET_LOCK (lockFault 'error').
 */
final class OrderGateTest extends TestCase
{
    protected function setUp(): void
    {
        parent::setUp();
        $this->configure();
        \Stub::$lockFault = 'error';
    }

    private static function refundAnswer(): string
    {
        $all = ['IPCMethod' => 'IPCRefund', 'SID' => self::SID, 'OrderID' => '60', 'Amount' => '10.00',
            'Currency' => 'EUR', 'IPC_Trnref' => '410227', 'Status' => '0', 'StatusMsg' => 'Success'];
        $all['Signature'] = \MyPOS\IPC\sign($all, self::myposKey());
        return (string) json_encode($all);
    }

    /**
     * A worker on another server holds order $orderId's gate, as a notify in flight does; this
     * server's GET_LOCK works and is free (it knows nothing of the other server).
     */
    private static function gateHeldElsewhere(int $orderId): void
    {
        \Stub::$lockFault = null;
        \Stub::$messages["shop-{$orderId}|410227|IPCPurchaseNotify"] = [$orderId, 'applying', 1];
    }

    public function testTwoWorkersWithoutGetLockTakeTheGateOneAfterTheOther(): void
    {
        [$first, $second] = [new OrderGate(), new OrderGate()];
        $this->assertSame(OrderLock::TAKEN, $first->take('refund-60', 60, 'refund'));
        $started = microtime(true);
        $this->assertSame(OrderLock::BUSY, $second->take('refund-60', 60, 'refund'));
        $this->assertGreaterThanOrEqual(OrderLock::MAX_WAIT_SECONDS - 0.2, microtime(true) - $started);
        $first->release('refund-60', 'refund');
        $this->assertSame(OrderLock::TAKEN, $second->take('refund-60', 60, 'refund'));
        $second->release('refund-60', 'refund');
        $this->assertSame([60, 'done', null], \Stub::$messages['refund:60||refund']);
        // Reads before deciding see the cluster's writes (DatabaseSession::readYourWrites()).
        $this->assertContains('SELECT @@wsrep_on', \Stub::$queries);
    }

    public function testARefundOnOneNodeWhileAnotherHoldsTheOrderSendsNothing(): void
    {
        self::order(60, '24.45', 'processing', '410227');
        self::gateHeldElsewhere(60);
        \Stub::$httpHandler = fn () => ['body' => self::refundAnswer()];
        $result = (new Gateway())->process_refund(60, '10.00');
        $this->assertInstanceOf(\WP_Error::class, $result);
        $this->assertStringContainsString('try again in a moment', $result->get_error_message());
        $this->assertSame([], \Stub::$http);
        $this->assertSame([], RefundRecords::all(self::saved(60)));
    }

    public function testARefundWithoutGetLockIsSentOnceAndOpensTheGate(): void
    {
        self::order(60, '24.45', 'processing', '410227');
        $again = null;
        \Stub::$httpHandler = function () use (&$again) {
            // A second worker on another node refunds the same order while the first is at myPOS.
            $again = (new Gateway())->process_refund(60, '10.00');
            return ['body' => self::refundAnswer()];
        };
        $this->assertTrue((new Gateway())->process_refund(60, '10.00'));
        $this->assertInstanceOf(\WP_Error::class, $again);
        $this->assertStringContainsString('still pending at myPOS', $again->get_error_message());
        $this->assertCount(1, \Stub::$http);
        $this->assertSame([['done', '410227']], array_map(fn ($r) => [$r['state'], $r['trnref']], RefundRecords::all(self::saved(60))));
        $this->assertNull(\Stub::$messages['refund:60||refund'][2]);
    }

    public function testAGateTheDatabaseRefusesSendsNoRefund(): void
    {
        self::order(60, '24.45', 'processing', '410227');
        \Stub::$claimError = 'The MariaDB server is running with the --read-only option';
        \Stub::$httpHandler = fn () => ['body' => self::refundAnswer()];
        $this->assertInstanceOf(\WP_Error::class, (new Gateway())->process_refund(60, '10.00'));
        $this->assertSame([], \Stub::$http);
        $this->assertSame([], RefundRecords::all(self::saved(60)));
    }

    public function testACaptureWhileAnotherNodeHoldsTheOrderSendsNothing(): void
    {
        $order = self::order(70, '24.45', 'on-hold', '410227');
        self::gateHeldElsewhere(70);
        $why = (new Captures(new Settings(), new Log('debug'), new OrderGate()))->capture($order);
        $this->assertStringContainsString('try the capture again', (string) $why);
        $this->assertSame([], \Stub::$http);
    }
}
