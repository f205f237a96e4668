<?php

// phpcs:ignoreFile -- tests.
namespace MyPOS\IPC\WooCommerce\Tests;

use MyPOS\IPC\WooCommerce\Gateway;

/** Refunds and the connection test over real HTTP against the stand-in myPOS server on 127.0.0.1. */
final class RefundOverHttpTest extends TestCase
{
    private string $url = '';

    protected function setUp(): void
    {
        parent::setUp();
        $this->url = $this->startMyposStandin();
        $this->configure(['test_endpoint_url' => $this->url]);
    }

    public function testPartialRefundThenRefusalBeyondWhatIsLeft(): void
    {
        self::order(50, '24.45', 'processing', '410227');
        $this->assertTrue((new Gateway())->process_refund(50, '20.00', 'broken'));
        $this->assertStringStartsWith($this->url, \Stub::$http[0]['url']);
        $refused = (new Gateway())->process_refund(50, '10.00');
        $this->assertInstanceOf(\WP_Error::class, $refused);
        $this->assertStringContainsString('exceeds the remaining amount', $refused->get_error_message());
        $this->assertTrue((new Gateway())->process_refund(50, '4.45'));
        $this->assertCount(2, array_filter(self::saved(50)->notes, fn ($n) => str_starts_with($n, 'Refunded')));
    }

    public function testConnectionTestSucceeds(): void
    {
        $result = \MyPOS\IPC\WooCommerce\ConnectionTest::run((new \MyPOS\IPC\WooCommerce\Settings())->config(), self::NOTIFY_URL);
        $this->assertTrue($result['ok'], $result['message']);
        $this->assertStringContainsString('works', $result['message']);
        parse_str((string) \Stub::$http[0]['args']['body'], $sent);
        $this->assertSame('IPCSignatureVerify', $sent['IPCmethod'], 'what the official plug-in\'s test setup sends');
        $this->assertSame(self::NOTIFY_URL, $sent['url_notify']);
        $this->assertSame('xml', $sent['OutputFormat']);
    }

    /** @return array<string, array{string, string}> */
    public static function refusals(): array
    {
        return [
            'store restricted' => ['25', 'Status 25 E_STORE_RESTRICTED'],
            'missing parameter' => ['1', 'Status 1 '],
            'an unknown status is not success either' => ['77', 'Status 77 '],
        ];
    }

    /** @dataProvider refusals */
    public function testConnectionTestFailsOnAnyStatusButZeroAndNamesIt(string $status, string $named): void
    {
        $this->configure(['test_endpoint_url' => $this->startMyposStandin('', $status)]);
        $result = \MyPOS\IPC\WooCommerce\ConnectionTest::run((new \MyPOS\IPC\WooCommerce\Settings())->config(), self::NOTIFY_URL);
        $this->assertFalse($result['ok'], $result['message']);
        $this->assertStringStartsWith('myPOS refused the connection test: Store restricted (', $result['message']);
        $this->assertStringContainsString($named, $result['message']);
    }

    public function testConnectionTestReportsWrongMerchantKey(): void
    {
        $json = json_decode(base64_decode(self::pack()), true);
        $json['pk'] = (string) file_get_contents(TEST_DATA . '/test-keys/merchant-sim-private-key.pem');
        $config = \MyPOS\IPC\Config::fromPack(base64_encode((string) json_encode($json)), $this->url);
        $result = \MyPOS\IPC\WooCommerce\ConnectionTest::run($config, self::NOTIFY_URL);
        $this->assertFalse($result['ok']);
        $this->assertStringContainsString('E_SIGNATURE_FAILED', $result['message']);
    }

    public function testConnectionTestReportsWrongMyposCertificate(): void
    {
        $json = json_decode(base64_decode(self::pack()), true);
        $json['pc'] = (string) file_get_contents(TEST_DATA . '/test-keys/simulated-mypos-cert.pem');
        $config = \MyPOS\IPC\Config::fromPack(base64_encode((string) json_encode($json)), $this->url);
        $result = \MyPOS\IPC\WooCommerce\ConnectionTest::run($config, self::NOTIFY_URL);
        $this->assertFalse($result['ok']);
        $this->assertStringContainsString('not signed by the configured myPOS certificate', $result['message']);
    }

    public function testConnectionTestReportsUnreachableEndpoint(): void
    {
        $this->configure(['test_endpoint_url' => 'http://127.0.0.1:9/']);
        $result = \MyPOS\IPC\WooCommerce\ConnectionTest::run((new \MyPOS\IPC\WooCommerce\Settings())->config(), self::NOTIFY_URL);
        $this->assertFalse($result['ok']);
        $this->assertStringContainsString('could not be reached', $result['message']);
    }
}
