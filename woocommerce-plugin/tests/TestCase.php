<?php

// phpcs:ignoreFile -- test helper.
namespace MyPOS\IPC\WooCommerce\Tests;

use MyPOS\IPC\WooCommerce\Answer;
use MyPOS\IPC\WooCommerce\Log;
use MyPOS\IPC\WooCommerce\NotifyHandler;
use MyPOS\IPC\WooCommerce\OrderLock;
use MyPOS\IPC\WooCommerce\SecretBox;
use MyPOS\IPC\WooCommerce\Settings;

abstract class TestCase extends \PHPUnit\Framework\TestCase
{
    protected const SID = '000000000000010';
    /** The shop's notify URL as the stubs' WC()->api_request_url() gives it. */
    protected const NOTIFY_URL = 'https://shop.test/?wc-api=mypos_ipc';

    /** @var list<resource> servers started by this test, stopped in tearDown */
    private array $servers = [];

    protected function setUp(): void
    {
        \Stub::reset();
    }

    protected function tearDown(): void
    {
        foreach ($this->servers as $process) {
            proc_terminate($process, 15);
            proc_close($process);
        }
        $this->servers = [];
    }

    protected static function extensionPath(): string
    {
        $path = (string) getenv('MYPOS_IPC_EXT');
        if ($path === '' || !is_file($path)) {
            self::fail('MYPOS_IPC_EXT must name the extension file (make test-plugin sets it)');
        }
        return $path;
    }

    /**
     * Starts a test server (a command that prints "listening on http://127.0.0.1:PORT" first),
     * returns its base URL, and stops it by pid in tearDown. stderr goes to $stderr.
     *
     * @param list<string> $cmd
     * @param array<string, string>|null $env
     */
    protected function startServer(array $cmd, string $stderr = '/dev/null', ?array $env = null): string
    {
        $process = proc_open($cmd, [1 => ['pipe', 'w'], 2 => ['file', $stderr, 'a']], $pipes, null, $env);
        $this->assertIsResource($process);
        $this->servers[] = $process;
        $line = trim((string) fgets($pipes[1]));
        $this->assertMatchesRegularExpression('#^listening on http://127\.0\.0\.1:\d+$#', $line);
        return substr($line, strlen('listening on '));
    }

    /**
     * Starts tests/servers/mypos-standin.php (MYPOS_STANDIN_FAULT = $fault, MYPOS_STANDIN_STATUS =
     * $status: IPCSignatureVerify's answer) and returns its checkout URL.
     */
    protected function startMyposStandin(string $fault = '', string $status = '0'): string
    {
        $cmd = [PHP_BINARY, '-n', '-d', 'extension=' . self::extensionPath(), __DIR__ . '/servers/mypos-standin.php',
            TEST_DATA . '/keys/merchant_cert.pem', TEST_DATA . '/keys/mypos_private.pem'];
        return $this->startServer($cmd, '/dev/null', ['MYPOS_STANDIN_FAULT' => $fault, 'MYPOS_STANDIN_STATUS' => $status]) . '/vmp/checkout-test';
    }

    /** A loopback URL where nothing listens (a port just freed), for "connection refused". */
    protected static function deadUrl(): string
    {
        $socket = stream_socket_server('tcp://127.0.0.1:0');
        $name = stream_socket_get_name($socket, false);
        fclose($socket);
        return 'http://' . $name . '/vmp/checkout-test';
    }

    protected static function pack(): string
    {
        return json_decode((string) file_get_contents(TEST_DATA . '/vectors/rsa2048/config_pack.json'), true)['base64'];
    }

    protected static function myposKey(): string
    {
        return (string) file_get_contents(TEST_DATA . '/keys/mypos_private.pem');
    }

    protected static function merchantCert(): string
    {
        return (string) file_get_contents(TEST_DATA . '/keys/merchant_cert.pem');
    }

    /** Stores settings as the admin form would after pasting the test pack. */
    protected function configure(array $extra = []): void
    {
        \Stub::$options[Settings::OPTION] = $extra + [
            'enabled' => 'yes',
            'testmode' => 'yes',
            'test_config_pack' => SecretBox::seal(self::pack()),
            'test_endpoint_url' => '',
            'live_config_pack' => '',
            'logging' => 'debug',
        ];
    }

    /** A body as myPOS would post it, signed with the (test) myPOS key. */
    protected static function myposBody(array $fields): string
    {
        return \MyPOS\IPC\sign_form(http_build_query($fields, '', '&', PHP_QUERY_RFC1738), self::myposKey());
    }

    protected static function notify(int $orderId, string $amount = '24.45', string $trnref = '410227', string $currency = 'EUR', string $method = 'IPCPurchaseNotify'): string
    {
        return self::myposBody([
            'IPCmethod' => $method, 'SID' => self::SID, 'Amount' => $amount, 'Currency' => $currency,
            'OrderID' => (string) $orderId, 'IPC_Trnref' => $trnref, 'RequestSTAN' => '083107',
            'RequestDateTime' => '2026-11-23 10:15:00',
        ]);
    }

    protected static function order(int $id, string $total = '24.45', string $status = 'pending', ?string $trnref = null, string $currency = 'EUR'): \WC_Order
    {
        $order = new \WC_Order($id, $total, $currency, $status);
        if ($trnref !== null) {
            $order->update_meta_data('_mypos_ipc_trnref', $trnref);
        }
        $order->save();
        return $order;
    }

    protected static function saved(int $id): \WC_Order
    {
        return \Stub::$orders[$id];
    }

    /** What the notify endpoint answers to $body (the handler as the plug-in builds it, debug log). */
    protected function handle(string $body): Answer
    {
        return (new NotifyHandler(new Settings(), new OrderLock(), new Log('debug')))->handle($body);
    }
}
