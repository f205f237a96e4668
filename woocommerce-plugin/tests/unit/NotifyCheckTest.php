<?php

// phpcs:ignoreFile -- tests.
namespace MyPOS\IPC\WooCommerce\Tests;

use MyPOS\IPC\WooCommerce\NotifyCheck;
use MyPOS\IPC\WooCommerce\NotifyStats;

/**
 * Issue 19 item 1: "Check the notify URL" against real local HTTP servers that answer as the
 * plug-in does (the real NotifyHandler), or as what stands in its way on real hosts.
 */
final class NotifyCheckTest extends TestCase
{
    private string $requests = '';

    protected function setUp(): void
    {
        parent::setUp();
        $this->requests = (string) tempnam(sys_get_temp_dir(), 'notify-url');
    }

    protected function tearDown(): void
    {
        parent::tearDown();
        @unlink($this->requests);
    }

    private function server(string $mode): string
    {
        $cmd = [PHP_BINARY, '-n', '-d', 'extension=' . self::extensionPath(), dirname(__DIR__) . '/servers/notify-url.php', $mode, $this->requests];
        return $this->startServer($cmd) . '/?wc-api=mypos_ipc';
    }

    /** @return list<array<string, string>> the bodies the server received, parsed */
    private function received(): array
    {
        $out = [];
        foreach (array_filter(explode("\n", (string) file_get_contents($this->requests))) as $line) {
            parse_str(base64_decode($line), $fields);
            $out[] = $fields;
        }
        return $out;
    }

    public function testThePluginAnsweringIsReportedWithHttpsAndTheTime(): void
    {
        $url = $this->server('plugin');
        $result = NotifyCheck::run($url);
        $this->assertTrue($result['ok'], $result['message']);
        $this->assertTrue($result['plugin']);
        $this->assertSame(400, $result['status']);
        $this->assertFalse($result['https'], 'a loopback http:// URL');
        $this->assertGreaterThanOrEqual(0, $result['ms']);
        $this->assertLessThan(10000, $result['ms']);
        $this->assertMatchesRegularExpression('/answered as the plug-in does \(HTTP 400 "signature invalid" to an unsigned message\) in \d+ ms\. It is not HTTPS/', $result['message']);
        $this->assertSame($result, NotifyCheck::last(), 'kept for the panel and Site Health');
        $this->assertFalse(\Stub::$autoload[NotifyCheck::RESULT]);

        // One request, as myPOS would post it, unsigned: TLS verified, no redirects followed, short wait.
        $sent = $this->received();
        $this->assertCount(1, $sent);
        $this->assertSame(['IPCmethod', 'OrderID', 'MyposIpcCheck', 'Signature'], array_keys($sent[0]));
        $this->assertSame('IPCPurchaseNotify', $sent[0]['IPCmethod']);
        $args = \Stub::$http[0]['args'];
        $this->assertSame([true, 0], [$args['sslverify'], $args['redirection']]);
        $this->assertLessThanOrEqual(10, $args['timeout']);
        // The endpoint records after its answer was sent, when the check may have its answer already.
        $this->assertTrue(NotifyCheck::isProbe(http_build_query($sent[0])), 'the token outlives the answer');
        $this->assertNull(NotifyStats::last(), 'the check is not a notify');
    }

    public function testAnHttpsUrlWhereThePluginAnswersIsAllGood(): void
    {
        $result = NotifyCheck::judge('https://shop.example/?wc-api=mypos_ipc', ['headers' => [], 'body' => 'signature invalid', 'response' => ['code' => 400]], 42);
        $this->assertSame([true, true, true, 42], [$result['ok'], $result['https'], $result['plugin'], $result['ms']]);
        $this->assertStringNotContainsString('HTTPS', $result['message']);
    }

    public function testOutputAroundThePluginsAnswerIsNamed(): void
    {
        $result = NotifyCheck::run($this->server('noisy'));
        $this->assertFalse($result['ok']);
        $this->assertFalse($result['plugin']);
        $this->assertSame(400, $result['status']);
        $this->assertStringContainsString('The plug-in answered, but with 17 other bytes around its answer', $result['message']);
    }

    public function testHttpAuthenticationIsALoginWall(): void
    {
        $result = NotifyCheck::run($this->server('basic-auth'));
        $this->assertSame([false, false, 401], [$result['ok'], $result['plugin'], $result['status']]);
        $this->assertStringStartsWith('HTTP 401: the site asks for a password', $result['message']);
    }

    public function testARedirectToTheLoginPageIsNotFollowedAndNamed(): void
    {
        $result = NotifyCheck::run($this->server('login'));
        $this->assertSame([false, 302], [$result['ok'], $result['status']]);
        $this->assertStringContainsString('redirects to https://shop.test/wp-login.php?redirect_to=', $result['message']);
        $this->assertCount(1, $this->received(), 'not followed');
    }

    public function testAMaintenancePageIsNotThePlugin(): void
    {
        $result = NotifyCheck::run($this->server('maintenance'));
        $this->assertSame([false, false, 503], [$result['ok'], $result['plugin'], $result['status']]);
        $this->assertSame('HTTP 503 with a page that is not the plug-in\'s answer (a maintenance mode or an overloaded host): "Briefly unavailable for scheduled maintenance".', $result['message']);
    }

    public function testNothingListeningIsUnreachable(): void
    {
        $result = NotifyCheck::run(self::deadUrl());
        $this->assertSame([false, null, false], [$result['ok'], $result['status'], $result['plugin']]);
        $this->assertMatchesRegularExpression('/^The notify URL could not be reached: cURL error 7: /', $result['message']);
    }

    public function testThePluginWithoutConfigurationSaysSo(): void
    {
        $result = NotifyCheck::judge('https://shop.example/', ['headers' => [], 'body' => 'not configured', 'response' => ['code' => 503]], 5);
        $this->assertSame('The plug-in answered but cannot handle notifies: The gateway has no usable configuration for either mode.', $result['message']);
    }

    public function testTheButtonNeedsTheCapabilityAndTheNonce(): void
    {
        \Stub::$canManage = false;
        try {
            (new NotifyCheck())->handleAdminPost();
            $this->fail('not refused');
        } catch (\Stub_WP_Die $e) {
            $this->assertSame(403, $e->getCode());
        }
        \Stub::$canManage = true;
        \Stub::$nonceValid = false;
        try {
            (new NotifyCheck())->handleAdminPost();
            $this->fail('not refused');
        } catch (\Stub_WP_Die $e) {
            $this->assertSame(403, $e->getCode());
        }
        $this->assertSame([NotifyCheck::ACTION], \Stub::$actions['checked_nonce']);
        $this->assertSame([], \Stub::$http, 'nothing was posted');
        $this->assertNull(NotifyCheck::last());
        $this->assertSame('https://shop.test/wp-admin/admin-post.php?action=mypos_ipc_check_notify&_wpnonce=' . md5(NotifyCheck::ACTION), NotifyCheck::url());
    }
}
