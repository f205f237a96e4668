<?php

// phpcs:ignoreFile -- tests.
namespace MyPOS\IPC\WooCommerce\Tests;

use MyPOS\IPC\WooCommerce\ConnectionTest;
use MyPOS\IPC\WooCommerce\Log;
use MyPOS\IPC\WooCommerce\Plugin;
use MyPOS\IPC\WooCommerce\Settings;

/** The "debug" log level: useful lines for calls to myPOS and the notify endpoint, never a secret. */
final class DebugLogTest extends TestCase
{
    /** @return list<string> the lines logged at $level */
    private static function lines(string $level): array
    {
        return array_column(array_filter(\Stub::$log, fn ($l) => $l['level'] === $level && $l['source'] === 'mypos-ipc'), 'message');
    }

    private static function assertNoSecret(): void
    {
        $all = implode("\n", array_column(\Stub::$log, 'message'));
        self::assertStringNotContainsString('PRIVATE KEY', $all);
        self::assertStringNotContainsString(self::pack(), $all, 'the configuration pack holds the private key');
        $key = (string) file_get_contents(TEST_DATA . '/keys/merchant_private.pem');
        foreach (array_slice(explode("\n", trim($key)), 1, -1) as $line) {
            self::assertStringNotContainsString($line, $all);
        }
    }

    public function testCallsToMyposAreTracedAtDebug(): void
    {
        $url = $this->startMyposStandin();
        $this->configure(['test_endpoint_url' => $url, 'logging' => 'debug']);
        $this->assertTrue(ConnectionTest::run((new Settings())->config(), self::NOTIFY_URL)['ok']);
        $lines = self::lines('debug');
        $this->assertCount(2, $lines);
        $this->assertSame('myPOS API: IPCSignatureVerify to ' . $url . ' (xml answer, 25 s timeout)', $lines[0]);
        $this->assertMatchesRegularExpression('/^myPOS API: IPCSignatureVerify answered Status 0 SUCCESS \(Success\) in \d+ ms, verified with myPOS certificate \d+$/', $lines[1]);
        self::assertNoSecret();
    }

    public function testARefusedAnswerIsTracedAtDebug(): void
    {
        $this->configure(['test_endpoint_url' => $this->startMyposStandin('garbage'), 'logging' => 'debug']);
        $this->assertFalse(ConnectionTest::run((new Settings())->config(), self::NOTIFY_URL)['ok']);
        $this->assertMatchesRegularExpression('/^myPOS API: IPCSignatureVerify answer of \d+ bytes refused: /', self::lines('debug')[1] ?? '');
    }

    public function testNothingBelowTheChosenLevel(): void
    {
        $this->configure(['test_endpoint_url' => $this->startMyposStandin(), 'logging' => 'info']);
        ConnectionTest::run((new Settings())->config(), self::NOTIFY_URL);
        $this->assertSame([], self::lines('debug'));
    }

    public function testTheNotifyEndpointTracesEachRequest(): void
    {
        $this->configure(['logging' => 'debug']);
        self::order(31);
        $plugin = new Plugin(dirname(__DIR__, 2) . '/mypos-ipc-woocommerce.php');
        $answer = $plugin->notifyEndpoint()->answer(self::notify(31), '');
        $this->assertSame('OK', $answer->body);
        $traced = array_values(array_filter(self::lines('debug'), fn ($l) => str_starts_with($l, 'notify endpoint:')));
        $this->assertCount(1, $traced);
        $this->assertMatchesRegularExpression('/^notify endpoint: body of \d+ bytes, IPCmethod IPCPurchaseNotify \(as claimed, before verification\): HTTP 200 "OK" in \d+ ms$/', $traced[0]);
        $plugin->notifyEndpoint()->answer('IPCmethod=<script>&x=1', '');
        $this->assertStringContainsString('IPCmethod - (as claimed', self::lines('debug')[count(self::lines('debug')) - 1], 'a claimed method is logged only when it is a plain name');
        self::assertNoSecret();
    }

    public function testCardTokensAndPrivateKeysNeverReachTheLog(): void
    {
        $log = new Log('debug');
        $log->debug('form IPCmethod=IPCIAPurchaseWithToken&CardToken=abc123SECRET&Amount=1');
        $log->debug('json {"CardToken":"abc123SECRET","Status":"0"}');
        $log->debug("key " . (string) file_get_contents(TEST_DATA . '/keys/merchant_private.pem'));
        $all = implode("\n", self::lines('debug'));
        $this->assertStringNotContainsString('abc123SECRET', $all);
        $this->assertStringContainsString('CardToken=[card token removed]&Amount=1', $all);
        $this->assertStringContainsString('"CardToken":"[card token removed]"', $all);
        $this->assertStringContainsString('key [private key removed]', $all);
        self::assertNoSecret();
    }

    public function testTheSettingsPageLinksToTheLog(): void
    {
        $this->configure();
        $description = (new \MyPOS\IPC\WooCommerce\Gateway())->form_fields['logging']['description'];
        $this->assertStringContainsString('<a href="https://shop.test/wp-admin/admin.php?page=wc-status&amp;tab=logs&amp;source=mypos-ipc">view the log</a>', $description);
    }
}
