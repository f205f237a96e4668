<?php

// phpcs:ignoreFile -- tests.
namespace MyPOS\IPC\WooCommerce\Tests;

use MyPOS\IPC\WooCommerce\Answer;
use MyPOS\IPC\WooCommerce\OrderLock;
use MyPOS\IPC\WooCommerce\Orders;
use MyPOS\IPC\WooCommerce\NotifyEndpoint;
use MyPOS\IPC\WooCommerce\Plugin;

/**
 * Issue 13: an IPCPurchaseNotify gets OK if and only if its payment is recorded (read back):
 * exceptions after the save, custom paid statuses, the order lock busy or unavailable, the
 * message gate (issue 17), and the answer being the only output of the request.
 */
final class NotifyPersistedTest extends TestCase
{
    protected function setUp(): void
    {
        parent::setUp();
        $this->configure();
    }

    private static function logText(): string
    {
        return implode("\n", array_column(\Stub::$log, 'message'));
    }

    // --- exceptions: the answer follows what was saved ----------------------------------

    /** An Error (not caught by WooCommerce's payment_complete) from a hook that runs after the save. */
    public function testErrorThrownByAPaymentHookAfterTheSaveIsAnsweredOk(): void
    {
        self::order(30);
        add_action('woocommerce_payment_complete', static function (): void {
            throw new \TypeError('another plug-in broke');
        });
        $answer = $this->handle(self::notify(30));
        $this->assertSame([200, 'OK'], [$answer->status, $answer->body]);
        $this->assertSame('processing', self::saved(30)->get_status());
        $this->assertSame('410227', self::saved(30)->get_meta('_mypos_ipc_trnref'));
        $this->assertSame(1, self::saved(30)->stockReductions);
        $this->assertStringContainsString('notify for order 30: TypeError thrown while applying mark_paid', self::logText());
        $this->assertSame([], \Stub::$locks);

        // The duplicate notify changes nothing and is OK too.
        $this->assertSame('OK', $this->handle(self::notify(30))->body);
        $this->assertSame(1, self::saved(30)->stockReductions);
    }

    /** An Exception there is caught by WooCommerce itself (payment_complete() returns false). */
    public function testExceptionCaughtByWooCommerceAfterTheSaveIsAnsweredOk(): void
    {
        self::order(31);
        add_action('woocommerce_payment_complete', static function (): void {
            throw new \RuntimeException('SMTP connect() failed');
        });
        $answer = $this->handle(self::notify(31));
        $this->assertSame([200, 'OK'], [$answer->status, $answer->body]);
        $this->assertSame('processing', self::saved(31)->get_status());
        $this->assertStringContainsString('payment_complete() reported a failure', self::logText());
    }

    /** Thrown before the save: nothing is recorded, so not OK. */
    public function testErrorThrownBeforeTheSaveIsNotOk(): void
    {
        self::order(32);
        add_action('woocommerce_pre_payment_complete', static function (): void {
            throw new \Error('stock plug-in failed');
        });
        $answer = $this->handle(self::notify(32));
        $this->assertSame(500, $answer->status);
        $this->assertNotSame('OK', $answer->body);
        $this->assertSame('pending', self::saved(32)->get_status());
        $this->assertSame('', self::saved(32)->get_meta('_mypos_ipc_trnref'));
        $this->assertStringContainsString('notify for order 32 not saved: the order status is still pending', self::logText());
    }

    // --- custom paid statuses ---------------------------------------------------------------

    public function testCustomPaidStatusDuplicateIsOkAndChangesNothing(): void
    {
        add_filter('woocommerce_order_is_paid_statuses', static fn (array $s): array => [...$s, 'shipped']);
        self::order(33, '24.45', 'shipped', '410227');
        $this->assertSame('paid', Orders::snapshot(self::saved(33))['state']);
        $saves = self::saved(33)->saves;
        $answer = $this->handle(self::notify(33));
        $this->assertSame([200, 'OK'], [$answer->status, $answer->body]);
        $this->assertSame('shipped', self::saved(33)->get_status());
        $this->assertSame(0, self::saved(33)->stockReductions);
        $this->assertSame($saves, self::saved(33)->saves);

        // Paid in that status by another payment: refused, unchanged.
        $other = $this->handle(self::notify(33, '24.45', '999999'));
        $this->assertNotSame('OK', $other->body);
        $this->assertSame('410227', self::saved(33)->get_meta('_mypos_ipc_trnref'));
    }

    public function testPaymentCompletingIntoACustomPaidStatusIsOk(): void
    {
        add_filter('woocommerce_order_is_paid_statuses', static fn (array $s): array => [...$s, 'awaiting-shipment']);
        add_filter('woocommerce_payment_complete_order_status', static fn (): string => 'awaiting-shipment');
        self::order(34);
        $answer = $this->handle(self::notify(34));
        $this->assertSame([200, 'OK'], [$answer->status, $answer->body]);
        $this->assertSame('awaiting-shipment', self::saved(34)->get_status());
    }

    public function testUnknownCustomStatusIsNotPaid(): void
    {
        self::order(35, '24.45', 'awaiting-shipment');
        $this->assertSame('pending', Orders::snapshot(self::saved(35))['state']);
    }

    // --- the order lock -----------------------------------------------------------------------

    public function testLockWaitIsAtMostThreeSeconds(): void
    {
        $this->assertSame(3, (new OrderLock())->timeoutSeconds());
        $this->assertSame(3, (new OrderLock(10))->timeoutSeconds());
        self::order(36);
        $this->handle(self::notify(36));
        $this->assertContains("SELECT GET_LOCK('mypos_ipc_wp_36', 3)", \Stub::$queries);
    }

    /** @return array<string, array{string, string}> */
    public static function lockFaults(): array
    {
        return [
            'GET_LOCK returns NULL' => ['null', 'order lock unavailable (GET_LOCK returned NULL)'],
            'database error (as Galera: 1235)' => ['error', 'order lock unavailable (database error: Lost connection to server during query)'],
        ];
    }

    /**
     * Issue 17: the order lock is only an optimisation. Without it (Galera refuses GET_LOCK) the
     * message gate keeps the order to one worker: paid exactly once, answered OK, duplicates OK.
     *
     * @dataProvider lockFaults
     */
    public function testLockUnavailablePaysOnceThroughTheGate(string $fault, string $why): void
    {
        self::order(37);
        \Stub::$lockFault = $fault;
        $answer = $this->handle(self::notify(37));
        $this->assertSame([200, 'OK'], [$answer->status, $answer->body]);
        $this->assertSame('processing', self::saved(37)->get_status());
        $this->assertSame(1, self::saved(37)->stockReductions);
        $this->assertSame('410227', self::saved(37)->get_meta('_mypos_ipc_trnref'));
        $this->assertStringContainsString("notify for order 37: {$why}; the message gate alone keeps the order to one worker", self::logText());
        $this->assertSame(['37|410227|IPCPurchaseNotify' => [37, 'done', null]], \Stub::$messages, 'the gate is open again, the outcome kept');
        $this->assertSame('OK', $this->handle(self::notify(37))->body, 'the duplicate');
        $this->assertSame(1, self::saved(37)->stockReductions);
        $this->assertStringNotContainsString('answered 503', self::logText());
    }

    /** Another message of the same order is being applied elsewhere past the wait: 503, nothing changed. */
    public function testGateHeldByAnotherWorkerIsBusyNotOkAndChangesNothing(): void
    {
        self::order(43);
        \Stub::$lockFault = 'error';
        \Stub::$messages['43|777|IPCPurchaseRollback'] = [43, 'applying', 1];
        $t0 = microtime(true);
        $answer = $this->handle(self::notify(43));
        $this->assertSame([503, 'busy'], [$answer->status, $answer->body]);
        $this->assertGreaterThan(2.9, microtime(true) - $t0, 'it waited for the gate');
        $this->assertLessThan(3.5, microtime(true) - $t0, 'at most about 3 s');
        $this->assertSame('pending', self::saved(43)->get_status());
        $this->assertSame(0, self::saved(43)->stockReductions);
        $this->assertStringContainsString('IPCPurchaseNotify for order 43 not handled: order busy (another worker is applying a message to it); answered 503', self::logText());
        $this->assertSame([43, 'applying', 1], \Stub::$messages['43|777|IPCPurchaseRollback'], 'the holder keeps the gate');
        $this->assertArrayNotHasKey('43|410227|IPCPurchaseNotify', \Stub::$messages);
    }

    /** The gate's holder paid the order with the same payment: the duplicate is OK at once. */
    public function testGateHeldButAlreadyPaidByTheSamePaymentIsOkAtOnce(): void
    {
        self::order(44, '24.45', 'processing', '410227');
        \Stub::$lockFault = 'null';
        \Stub::$messages['44|410227|IPCPurchaseNotify'] = [44, 'applying', 1];
        $t0 = microtime(true);
        $this->assertSame('OK', $this->handle(self::notify(44))->body);
        $this->assertLessThan(1, microtime(true) - $t0);
        $this->assertSame([], self::saved(44)->notes);
    }

    /** The gate cannot be written (a read-only replica, a full disk): 503, logged as an error, nothing changed. */
    public function testGateUnavailableIsNotOkAndChangesNothing(): void
    {
        self::order(45);
        \Stub::$claimError = 'The MariaDB server is running with the --read-only option so it cannot execute this statement';
        $answer = $this->handle(self::notify(45));
        $this->assertSame([503, 'unavailable'], [$answer->status, $answer->body]);
        $this->assertSame('pending', self::saved(45)->get_status());
        $this->assertStringContainsString('IPCPurchaseNotify for order 45 not handled: message gate unavailable (database error: The MariaDB server is running with the --read-only option', self::logText());
        $this->assertSame('error', \Stub::$log[count(\Stub::$log) - 1]['level'] ?? null);
        $this->assertSame([], \Stub::$locks, 'the order lock is released');
    }

    /** A lookup that failed in the database is not an unknown order: 503, logged, not "NOT OK" for an order that may be paid. */
    public function testOrderLookupFailingInTheDatabaseIsNotAnUnknownOrder(): void
    {
        self::order(48, '24.45', 'processing', '410227');
        \Stub::$lookupError = 'Server shutdown in progress';
        $answer = $this->handle(self::notify(48));
        $this->assertSame([503, 'database unavailable'], [$answer->status, $answer->body]);
        $this->assertStringContainsString('IPCPurchaseNotify for order 48: the order could not be read (database error: Server shutdown in progress); answered 503 (not OK)', self::logText());
        \Stub::$lookupError = null;
        $this->assertSame('OK', $this->handle(self::notify(48))->body, 'the retry, with the database back');
        unset(\Stub::$orders[48]);
        $this->assertSame(409, $this->handle(self::notify(48))->status, 'a really unknown order keeps the core\'s answer');
    }

    /** An exception on the way to the gate (a drop-in throwing) is 500, logged, nothing changed, the lock released. */
    public function testExceptionBeforeTheGateIsNotOk(): void
    {
        self::order(49);
        \Stub::$claimError = 'throw';
        $answer = $this->handle(self::notify(49));
        $this->assertSame([500, 'error'], [$answer->status, $answer->body]);
        $this->assertSame('pending', self::saved(49)->get_status());
        $this->assertStringContainsString('notify for order 49 failed before its change: RuntimeException: a db.php drop-in failed; answered 500 (not OK)', self::logText());
        $this->assertSame([], \Stub::$locks);
    }

    /** The table is made by the first write that finds it missing. */
    public function testMessagesTableIsCreatedWhenMissing(): void
    {
        self::order(46);
        \Stub::$messagesTable = false;
        $this->assertSame('OK', $this->handle(self::notify(46))->body);
        $create = array_values(array_filter(\Stub::$queries, static fn (string $q): bool => str_starts_with($q, 'CREATE TABLE')));
        $this->assertCount(1, $create);
        $this->assertStringContainsString('UNIQUE KEY message (ipc_order_id,trnref,method)', $create[0]);
        $this->assertStringContainsString('UNIQUE KEY gate (order_id,gate)', $create[0]);
    }

    /** Applying failed (not saved): the gate opens with the outcome failed, and myPOS's retry pays. */
    public function testFailedApplyReleasesTheGateForTheRetry(): void
    {
        self::order(47);
        $fail = true;
        add_action('woocommerce_pre_payment_complete', static function () use (&$fail): void {
            if ($fail) {
                throw new \Error('stock plug-in failed');
            }
        });
        $this->assertSame(500, $this->handle(self::notify(47))->status);
        $this->assertSame([47, 'failed', null], \Stub::$messages['47|410227|IPCPurchaseNotify']);
        $fail = false;
        $this->assertSame('OK', $this->handle(self::notify(47))->body);
        $this->assertSame([47, 'done', null], \Stub::$messages['47|410227|IPCPurchaseNotify']);
        $this->assertSame(1, self::saved(47)->stockReductions);
    }

    public function testLockBusyIsToldApartNotOkAndChangesNothing(): void
    {
        self::order(38);
        \Stub::$locks['mypos_ipc_wp_38'] = true; // another worker holds it past the wait
        $answer = $this->handle(self::notify(38));
        $this->assertSame([503, 'busy'], [$answer->status, $answer->body]);
        $this->assertSame('pending', self::saved(38)->get_status());
        $this->assertStringContainsString('not handled: order lock busy (held by another request for more than 3 s)', self::logText());
        $this->assertStringNotContainsString('unavailable', self::logText());
        $this->assertTrue(\Stub::$locks['mypos_ipc_wp_38'], 'the other worker keeps its lock');
    }

    /** The holder paid the order meanwhile with the same payment: the waiter answers OK. */
    public function testLockBusyButAlreadyPaidByTheSamePaymentIsOk(): void
    {
        self::order(39, '24.45', 'processing', '410227');
        \Stub::$locks['mypos_ipc_wp_39'] = true;
        $answer = $this->handle(self::notify(39));
        $this->assertSame([200, 'OK'], [$answer->status, $answer->body]);
        $this->assertSame([], self::saved(39)->notes);
        \Stub::$lockFault = 'null';
        $this->assertSame('OK', $this->handle(self::notify(39))->body, 'also when locking is unavailable');
        \Stub::$lockFault = null;
        $this->assertNotSame('OK', $this->handle(self::notify(39, '24.45', '555'))->body, 'another payment is not OK');
    }

    public function testReturningBuyerIsRedirectedEvenWhenTheLockIsBusy(): void
    {
        self::order(42);
        \Stub::$locks['mypos_ipc_wp_42'] = true;
        $ok = self::myposBody(['IPCmethod' => 'IPCPurchaseOK', 'SID' => self::SID, 'Amount' => '24.45', 'Currency' => 'EUR', 'OrderID' => '42', 'IPC_Trnref' => '1']);
        $this->assertStringContainsString('order-received/42', (string) $this->handle($ok)->redirect);
        $this->assertSame('pending', self::saved(42)->get_status());
        $this->assertSame([], \Stub::$noteLog);
    }

    public function testLockBusyNotesTheOrderWithTheReason(): void
    {
        self::order(41);
        \Stub::$locks['mypos_ipc_wp_41'] = true;
        $this->handle(self::notify(41));
        $this->assertSame([
            [41, 'myPOS IPCPurchaseNotify not handled: order lock busy (held by another request for more than 3 s). Answered "not OK"; the order was not changed.'],
        ], \Stub::$noteLog);
    }

    // --- the answer is the only output ----------------------------------------------------------

    /** In a separate PHP: buffers full of notices and whitespace, output after the answer. */
    public function testSendDiscardsEveryBufferAndSwallowsLaterOutput(): void
    {
        $script = 'require ' . var_export(dirname(__DIR__) . '/stubs/wordpress.php', true) . ';'
            . 'require ' . var_export(dirname(__DIR__, 2) . '/includes/autoload.php', true) . ';'
            . 'ob_start(); echo "\xEF\xBB\xBF  \n"; ob_start(); echo "<b>Notice</b>: Undefined index\n"; ob_start();'
            . 'register_shutdown_function(static function () { echo " late output"; });'
            . '(new \MyPOS\IPC\WooCommerce\Plugin("x"))->notifyEndpoint()->send(new \MyPOS\IPC\WooCommerce\Answer(200, "OK"));'
            . 'echo "\n";';
        $cmd = escapeshellarg(PHP_BINARY) . ' -n -d extension=' . escapeshellarg(self::extensionPath())
            . ' -d output_buffering=4096 -r ' . escapeshellarg($script) . ' 2>&1';
        exec($cmd, $out, $rc);
        $this->assertSame(0, $rc, implode("\n", $out));
        $this->assertSame(['OK'], $out);
        exec($cmd . ' | od -An -c', $bytes);
        $this->assertSame('O   K', trim(implode('', $bytes)), 'exactly two bytes');
    }

    public function testEmailsAreDeferredOnlyForTheNotifyEndpoint(): void
    {
        $_GET = ['wc-api' => 'mypos_ipc'];
        $this->assertTrue(NotifyEndpoint::isRequest());
        Plugin::boot(dirname(__DIR__, 2) . '/mypos-ipc-woocommerce.php');
        $this->assertTrue(apply_filters('woocommerce_defer_transactional_emails', false));
        \Stub::reset();
        $_GET = [];
        $_SERVER['REQUEST_URI'] = '/shop/';
        $this->assertFalse(NotifyEndpoint::isRequest());
        Plugin::boot(dirname(__DIR__, 2) . '/mypos-ipc-woocommerce.php');
        $this->assertFalse(apply_filters('woocommerce_defer_transactional_emails', false));
        $_SERVER['REQUEST_URI'] = '/wc-api/mypos_ipc/';
        $this->assertTrue(NotifyEndpoint::isRequest());
        unset($_SERVER['REQUEST_URI']);
    }
}
