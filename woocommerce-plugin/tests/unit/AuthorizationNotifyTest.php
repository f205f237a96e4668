<?php

// phpcs:ignoreFile -- tests.
namespace MyPOS\IPC\WooCommerce\Tests;

use MyPOS\IPC\WooCommerce\Attempts;
use MyPOS\IPC\WooCommerce\Gateway;
use MyPOS\IPC\WooCommerce\Log;
use MyPOS\IPC\WooCommerce\OrderGate;
use MyPOS\IPC\WooCommerce\Refunds;
use MyPOS\IPC\WooCommerce\Settings;

/**
 * The notify of a pre-authorization attempt (issue 21) with signed stand-in messages: answered
 * OK only once the authorization is read back, never marks paid, and follows the attempt rules.
 */
final class AuthorizationNotifyTest extends TestCase
{
    private const DB_ERROR = 'Disk full';

    protected function setUp(): void
    {
        parent::setUp();
        $this->configure();
    }

    /** Order $id with an open pre-authorization attempt 1 (OrderID shop-<id>-1); its OrderID. */
    private static function authorizing(int $id, string $kind = Attempts::PREAUTH): string
    {
        $order = self::order($id);
        $ipcOrderId = \MyPOS\IPC\attempt_id('shop', (string) $id, 1);
        Attempts::put($order, ['n' => 1, 'id' => $ipcOrderId, 'mode' => 'test', 'amount' => 2445, 'currency' => 'EUR',
            'created' => time(), 'state' => Attempts::OPEN, 'seen' => false, 'trnref' => null, 'kind' => $kind]);
        $order->save();
        return $ipcOrderId;
    }

    private static function authNotify(string $ipcOrderId, string $amount = '24.45', string $trnref = '810001'): string
    {
        return self::myposBody([
            'IPCmethod' => 'IPCPurchaseNotify', 'SID' => self::SID, 'Amount' => $amount, 'Currency' => 'EUR',
            'OrderID' => $ipcOrderId, 'IPC_Trnref' => $trnref, 'RequestSTAN' => '083107',
            'RequestDateTime' => '2026-11-23 10:15:00', 'PreAuthExpDate' => '22/12/2026',
        ]);
    }

    public function testAnAuthorizationIsAnsweredOkOnlyOnceRecorded(): void
    {
        $id = self::authorizing(610);
        \Stub::$dbError = self::DB_ERROR;
        $answer = $this->handle(self::authNotify($id));
        $this->assertSame(500, $answer->status, 'not OK while the database fails');
        $this->assertSame('pending', self::saved(610)->get_status());
        \Stub::$dbError = null;
        $answer = $this->handle(self::authNotify($id));
        $this->assertSame([200, 'OK'], [$answer->status, $answer->body]);
        $order = self::saved(610);
        $this->assertSame(['on-hold', '', '810001'], [$order->get_status(), $order->get_transaction_id(), $order->get_meta('_mypos_ipc_trnref')]);
        $this->assertSame(0, $order->stockReductions, 'not paid');
        $this->assertStringContainsString('capture before 22/12/2026', implode("\n", $order->notes));
        $this->assertSame('22/12/2026', Attempts::get($order, 1)['expiry']);
    }

    public function testTheSameMessageForAPurchaseAttemptPays(): void
    {
        $id = self::authorizing(611, Attempts::PURCHASE);
        $this->assertSame('OK', $this->handle(self::authNotify($id))->body);
        $this->assertSame('processing', self::saved(611)->get_status());
    }

    public function testAMismatchingAuthorizationIsHeldAndRefused(): void
    {
        $id = self::authorizing(612);
        $answer = $this->handle(self::authNotify($id, '20.00'));
        $this->assertSame(409, $answer->status);
        $this->assertSame('on-hold', self::saved(612)->get_status());
        $this->assertNull(Attempts::authorized(self::saved(612)), 'no authorization recorded');
        $this->assertInstanceOf(\WP_Error::class, (new Refunds(new Settings(), new Log('debug'), new OrderGate()))->refund(self::saved(612), 100));
    }

    public function testAReleasedAuthorizationsNotifyReplayedChangesNothing(): void
    {
        $id = self::authorizing(613);
        $this->assertSame('OK', $this->handle(self::authNotify($id))->body);
        $order = self::saved(613);
        $held = Attempts::authorized($order);
        $held['state'] = Attempts::RELEASED;
        Attempts::put($order, $held);
        $order->set_status('cancelled');
        $order->save();
        $answer = $this->handle(self::authNotify($id));
        $this->assertNotSame('OK', $answer->body);
        $this->assertSame('cancelled', self::saved(613)->get_status());
        $this->assertSame(Attempts::RELEASED, Attempts::get(self::saved(613), 1)['state']);
    }

    public function testOrderActionsAreOfferedOnlyForAnOpenAuthorization(): void
    {
        $id = self::authorizing(614);
        $actions = (new \MyPOS\IPC\WooCommerce\Plugin('x'))->authorizationActions();
        $this->assertSame([], $actions->orderActions([], self::saved(614)));
        $this->handle(self::authNotify($id));
        $this->assertSame(['mypos_ipc_capture', 'mypos_ipc_release'], array_keys($actions->orderActions([], self::saved(614))));
        $this->assertSame(Gateway::ID, self::saved(614)->get_payment_method());
    }
}
