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
final class SandboxTest extends TestCase
{
    private string $sandbox = '';
    private string $recorder = '';
    private string $recorded = '';

    protected function setUp(): void
    {
        parent::setUp();
        $bin = (string) getenv('IPC_BIN');
        if ($bin === '' || !is_executable($bin)) {
            $this->markTestSkipped('the ipc binary is not built (cargo build --release -p mypos-ipc-cli; IPC_BIN=...)');
        }
        $keys = TEST_DATA . '/keys/';
        $this->sandbox = $this->start([$bin, 'sandbox', '--listen', '127.0.0.1:0', '--sid', self::SID, '--wallet', '61938166610',
            '--merchant-cert', '1=' . $keys . 'merchant_cert.pem', '--mypos-key', $keys . 'mypos_private.pem', '--mypos-cert', $keys . 'mypos_cert.pem']);
        $this->recorded = tempnam(sys_get_temp_dir(), 'mypos-ipc-notify-');
        $this->recorder = $this->start([PHP_BINARY, '-n', __DIR__ . '/../servers/notify-recorder.php', $this->recorded]);
        $this->configure(['test_endpoint_url' => $this->sandbox . '/vmp/checkout-test']);
    }

    protected function tearDown(): void
    {
        parent::tearDown();
        if ($this->recorded !== '') {
            @unlink($this->recorded);
        }
    }

    private function start(array $cmd): string
    {
        // stderr (the sandbox's log) is kept for the secrets suite under make test.
        $art = (string) getenv('MYPOS_TEST_ARTIFACTS');
        $err = $art === '' ? '/dev/null' : $art . '/plugin/logs/' . ($cmd[1] === 'sandbox' ? 'sandbox' : 'notify-recorder') . '.err';
        if ($art !== '' && !is_dir(dirname($err))) {
            mkdir(dirname($err), 0777, true);
        }
        return $this->startServer($cmd, $err);
    }

    private static function post(string $url, string $body): string
    {
        $ctx = stream_context_create(['http' => ['method' => 'POST', 'header' => 'Content-Type: application/x-www-form-urlencoded',
            'content' => $body, 'timeout' => 10, 'ignore_errors' => true]]);
        return (string) file_get_contents($url, false, $ctx);
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
        $request = (new PurchaseForm($settings))->build($settings->config(), $order, $this->recorder . '/?wc-api=mypos_ipc');
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
}
