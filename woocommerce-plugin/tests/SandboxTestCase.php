<?php

// phpcs:ignoreFile -- test helper.
namespace MyPOS\IPC\WooCommerce\Tests;

/**
 * Tests against the real `ipc sandbox` on 127.0.0.1 (IPC_BIN, set by make test-plugin; skipped
 * when it is not built) with a notify recorder standing in for the shop's URL: the sandbox's
 * signed messages are recorded, and the test hands them to the plug-in's handler.
 */
abstract class SandboxTestCase extends TestCase
{
    protected string $sandbox = '';
    protected string $recorder = '';
    protected string $recorded = '';

    protected function setUp(): void
    {
        parent::setUp();
        $bin = (string) getenv('IPC_BIN');
        if ($bin === '' || !is_executable($bin)) {
            $this->markTestSkipped('the ipc binary is not built (cargo build --release -p mypos-ipc-cli; IPC_BIN=...)');
        }
        $keys = TEST_DATA . '/keys/';
        $this->sandbox = $this->start([$bin, 'sandbox', '--listen', '127.0.0.1:0', '--sid', self::SID, '--wallet', '61938166610',
            '--merchant-cert', '1=' . $keys . 'merchant_cert.pem', '--mypos-key', $keys . 'mypos_private.pem', '--mypos-cert', $keys . 'mypos_cert.pem',
            // Unanswered rollbacks are retried only when a test runs the cron (POST /sandbox/cron).
            '--rollback-retry', '3600']);
        $this->recorded = (string) tempnam(sys_get_temp_dir(), 'mypos-ipc-notify-');
        $this->recorder = $this->start([PHP_BINARY, '-n', __DIR__ . '/servers/notify-recorder.php', $this->recorded]);
        $this->configure(['test_endpoint_url' => $this->sandbox . '/vmp/checkout-test']);
    }

    protected function tearDown(): void
    {
        parent::tearDown();
        if ($this->recorded !== '') {
            @unlink($this->recorded);
        }
    }

    /** Starts a server; its stderr (the sandbox's log) is kept for the secrets suite under make test. */
    protected function start(array $cmd): string
    {
        $art = (string) getenv('MYPOS_TEST_ARTIFACTS');
        $err = $art === '' ? '/dev/null' : $art . '/plugin/logs/' . ($cmd[1] === 'sandbox' ? 'sandbox' : 'notify-recorder') . '.err';
        if ($art !== '' && !is_dir(dirname($err))) {
            mkdir(dirname($err), 0777, true);
        }
        return $this->startServer($cmd, $err);
    }

    protected static function post(string $url, string $body): string
    {
        $ctx = stream_context_create(['http' => ['method' => 'POST', 'header' => 'Content-Type: application/x-www-form-urlencoded',
            'content' => $body, 'timeout' => 10, 'ignore_errors' => true]]);
        return (string) file_get_contents($url, false, $ctx);
    }
}
