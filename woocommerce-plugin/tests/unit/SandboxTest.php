<?php

// phpcs:ignoreFile -- tests.
namespace MyPOS\IPC\WooCommerce\Tests;

use MyPOS\IPC\WooCommerce\ConnectionTest;
use MyPOS\IPC\WooCommerce\Gateway;
use MyPOS\IPC\WooCommerce\Log;
use MyPOS\IPC\WooCommerce\NotifyHandler;
use MyPOS\IPC\WooCommerce\OrderLock;
use MyPOS\IPC\WooCommerce\PurchaseForm;
use MyPOS\IPC\WooCommerce\Reconciler;
use MyPOS\IPC\WooCommerce\Settings;

/**
 * End to end against the real `ipc sandbox` on 127.0.0.1: purchase → payment page → pay →
 * the sandbox's signed notify (caught by a recorder standing in for the shop's URL) → the
 * plug-in's notify handler → refunds and a status check against the sandbox.
 * IPC_BIN names the binary (make test-plugin sets it); skipped when it is not built.
 */
final class SandboxTest extends SandboxTestCase
{
    protected function setUp(): void
    {
        parent::setUp();
        \Stub::$options[\MyPOS\IPC\WooCommerce\Attempts::SINCE_OPTION] = time() - 60; // orders made since
    }

    public function testConnectionTestAgainstTheSandbox(): void
    {
        $result = ConnectionTest::run((new Settings())->config(), self::NOTIFY_URL);
        $this->assertTrue($result['ok'], $result['message']);
        $this->assertStringContainsString('works', $result['message']);
        $events = json_decode((string) file_get_contents($this->sandbox . '/sandbox/events'), true);
        $api = array_values(array_filter($events, fn ($e) => $e['event'] === 'api'));
        $this->assertSame([['IPCSignatureVerify', '0']], array_map(fn ($e) => [$e['method'], $e['status']], $api), 'the sandbox verified it and answered Status 0');
    }

    public function testConnectionTestWithAnotherMerchantKeyNamesMyposError(): void
    {
        $json = json_decode(base64_decode(self::pack()), true);
        $json['pk'] = (string) file_get_contents(TEST_DATA . '/test-keys/merchant-sim-private-key.pem');
        $config = \MyPOS\IPC\Config::fromPack(base64_encode((string) json_encode($json)), $this->sandbox . '/vmp/checkout-test');
        $result = ConnectionTest::run($config, self::NOTIFY_URL);
        $this->assertFalse($result['ok']);
        $this->assertStringStartsWith('myPOS refused the connection test: ', $result['message']);
        $this->assertMatchesRegularExpression('/\(Status \d+ E_[A-Z_]+: /', $result['message']);
    }

    public function testConnectionTestWithAnotherMyposCertificateFails(): void
    {
        $json = json_decode(base64_decode(self::pack()), true);
        $json['pc'] = (string) file_get_contents(TEST_DATA . '/test-keys/simulated-mypos-cert.pem');
        $config = \MyPOS\IPC\Config::fromPack(base64_encode((string) json_encode($json)), $this->sandbox . '/vmp/checkout-test');
        $result = ConnectionTest::run($config, self::NOTIFY_URL);
        $this->assertFalse($result['ok']);
        $this->assertStringContainsString('not signed by the configured myPOS certificate', $result['message']);
    }

    public function testPayThenRefundPartlyThenRefusedBeyondWhatIsLeft(): void
    {
        $order = new \WC_Order(70, '24.45');
        $order->items['line_item'][] = new \WC_Order_Item('Tea & "biscuits" 🍪', 1, 24.45);
        $order->save();
        $settings = new Settings();
        $request = (new PurchaseForm($settings))->forAttempt($settings->config(), $order, 'test', $this->recorder . '/?wc-api=mypos_ipc');
        $page = self::post($request->actionUrl(), $request->body());
        $this->assertMatchesRegularExpression('/name="session" value="([^"]+)"/', $page, 'the sandbox accepted the purchase');
        preg_match('/name="session" value="([^"]+)"/', $page, $m);
        self::post($this->sandbox . '/vmp/payment', 'session=' . urlencode(html_entity_decode($m[1])) . '&action=pay');

        $bodies = array_values(array_filter(explode("\n", (string) file_get_contents($this->recorded))));
        $this->assertCount(1, $bodies, 'the sandbox posted one notify');
        $handler = new NotifyHandler(new Settings(), new OrderLock(), new Log('debug'));
        $answer = $handler->handle(base64_decode($bodies[0]));
        $this->assertSame([200, 'OK'], [$answer->status, $answer->body]);
        $this->assertSame('processing', self::saved(70)->get_status());
        $this->assertNotSame('', self::saved(70)->get_meta('_mypos_ipc_trnref'));

        // The status check finds the same payment: nothing changes.
        $notes = count(self::saved(70)->notes);
        $reconciler = new Reconciler(new Settings(), $handler, new Log('debug'));
        $this->assertStringContainsString('IPCPurchaseNotify', $reconciler->check(self::saved(70)));
        $this->assertCount($notes, self::saved(70)->notes);

        $this->assertTrue((new Gateway())->process_refund(70, '20.00', 'test'));
        $refused = (new Gateway())->process_refund(70, '10.00');
        $this->assertInstanceOf(\WP_Error::class, $refused);
        $this->assertStringContainsString('E_WRONG_AMOUNT', $refused->get_error_message());
    }

    /**
     * Pays the order's current attempt on the sandbox's payment page (the order-pay page's form
     * posted as a browser would) and returns the attempt's OrderID.
     */
    private function payOnSandbox(\WC_Order $order, string $notifyBase): string
    {
        $settings = new Settings();
        $request = (new PurchaseForm($settings))->forAttempt($settings->config('test'), $order, 'test', $notifyBase . '/?wc-api=mypos_ipc');
        $page = self::post($request->actionUrl(), $request->body());
        $this->assertMatchesRegularExpression('/name="session" value="([^"]+)"/', $page, 'the sandbox accepted the purchase');
        preg_match('/name="session" value="([^"]+)"/', $page, $m);
        self::post($this->sandbox . '/vmp/payment', 'session=' . urlencode(html_entity_decode($m[1])) . '&action=pay');
        return $request->fields()['OrderID'];
    }

    /** The bodies the sandbox posted to a recorder, once there are $count (waits up to 10 s). */
    private static function bodies(string $file, int $count): array
    {
        for ($i = 0; $i < 200; $i++) {
            $bodies = array_values(array_filter(explode("\n", (string) file_get_contents($file))));
            if (count($bodies) >= $count) {
                return array_map('base64_decode', $bodies);
            }
            usleep(50_000);
        }
        self::fail("the sandbox posted " . count($bodies) . " messages, expected $count");
    }

    private static function methodOf(string $body): string
    {
        parse_str($body, $fields);
        return (string) ($fields['IPCmethod'] ?? '');
    }

    /**
     * A late rollback after a second payment, through the plug-in and the sandbox: the shop answers attempt 1's
     * notify 500 → myPOS rolls it back → the order fails → the buyer pays again (attempt 2, its
     * own OrderID) → paid → myPOS's late retry of attempt 1's rollback and a replay of attempt
     * 1's notify change nothing.
     */
    public function testALateRollbackOfAnEarlierAttemptLeavesThePaidOrderAlone(): void
    {
        $recorded = tempnam(sys_get_temp_dir(), 'mypos-ipc-notify-');
        // The shop fails attempt 1's notify, and its answer to the first rollback is lost too.
        $recorder = $this->start([PHP_BINARY, '-n', __DIR__ . '/../servers/notify-recorder.php', $recorded, '500,500']);
        $handler = new NotifyHandler(new Settings(), new OrderLock(), new Log('debug'));
        $order = new \WC_Order(80, '12.30');
        $order->save();

        $first = $this->payOnSandbox($order, $recorder);
        $this->assertSame((new Settings())->orderPrefix() . '-80-1', $first);
        [$notify1, $rollback1] = self::bodies($recorded, 2);
        $this->assertSame(['IPCPurchaseNotify', 'IPCPurchaseRollback'], [self::methodOf($notify1), self::methodOf($rollback1)]);

        \Stub::$dbError = 'Deadlock found when trying to get lock'; // the shop's save fails
        $answer = $handler->handle($notify1);
        \Stub::$dbError = null;
        $this->assertSame(500, $answer->status, 'not saved, so not OK');
        $this->assertSame('pending', self::saved(80)->get_status());

        $this->assertSame([200, 'OK'], [$handler->handle($rollback1)->status, $handler->handle($rollback1)->body]);
        $this->assertSame('failed', self::saved(80)->get_status());

        // The buyer pays again: a new attempt, with its own OrderID.
        $second = $this->payOnSandbox(self::saved(80), $recorder);
        $this->assertSame((new Settings())->orderPrefix() . '-80-2', $second);
        $notify2 = self::bodies($recorded, 3)[2];
        $this->assertSame('OK', $handler->handle($notify2)->body);
        $paid = self::saved(80);
        $this->assertSame('processing', $paid->get_status());
        parse_str($notify2, $fields2);
        $this->assertSame($fields2['IPC_Trnref'], $paid->get_meta('_mypos_ipc_trnref'));

        // myPOS's cron retries attempt 1's rollback (its first answer was lost): late, harmless.
        self::post($this->sandbox . '/sandbox/cron', '');
        $late = self::bodies($recorded, 4)[3];
        $this->assertSame('IPCPurchaseRollback', self::methodOf($late));
        parse_str($late, $lateFields);
        $this->assertSame($first, $lateFields['OrderID']);
        $this->assertSame([200, 'OK'], [$handler->handle($late)->status, $handler->handle($late)->body]);
        $this->assertSame('processing', self::saved(80)->get_status(), 'the late rollback of attempt 1 leaves attempt 2 paid');
        $this->assertSame($fields2['IPC_Trnref'], self::saved(80)->get_meta('_mypos_ipc_trnref'));
        $this->assertStringContainsString('rolled back attempt 1', implode("\n", self::saved(80)->notes));

        // A replay of attempt 1's notify after its rollback is refused and changes nothing.
        $this->assertNotSame('OK', $handler->handle($notify1)->body);
        $this->assertSame('processing', self::saved(80)->get_status());
        $this->assertSame(1, self::saved(80)->stockReductions, 'payment_complete ran once');
        @unlink($recorded);
    }
}
