<?php

// phpcs:ignoreFile -- tests.
namespace MyPOS\IPC\WooCommerce\Tests;

use MyPOS\IPC\WooCommerce\Log;
use MyPOS\IPC\WooCommerce\NotifyHandler;
use MyPOS\IPC\WooCommerce\OrderLock;
use MyPOS\IPC\WooCommerce\SecretBox;
use MyPOS\IPC\WooCommerce\Settings;

/**
 * Every hostile notify body of tests/hostile.rs (tests/data/hostile-notifies.json) posted to the
 * notify handler with the real extension, while a pending order waits for payment.
 *
 * Rejected bodies (signature invalid or malformed): HTTP 400, not OK, no order, lock or
 * scheduled job touched (the OrderID of an unverified body cannot be trusted, so there is no
 * order note either), one warning log line naming the class, no PHP error or exception.
 * Validly signed bodies name orders like ORDER-0001, which are not this shop's order numbers:
 * the plug-in must treat them as unknown orders (nothing changes; only the IPCSignatureVerify
 * probe is answered OK, as PLUGIN.md says).
 */
final class HostileNotifyTest extends TestCase
{
    private const TABLE = __DIR__ . '/../../../tests/data/hostile-notifies.json';

    /** @return array<string, array{array}> */
    public static function cases(): array
    {
        $doc = json_decode((string) file_get_contents(self::TABLE), true, 512, JSON_THROW_ON_ERROR);
        $out = [];
        foreach ($doc['cases'] as $case) {
            $out[$case['name']] = [$case];
        }
        return $out;
    }

    private static function body(array $case): string
    {
        if (isset($case['body_text'])) {
            return $case['body_text'];
        }
        if (isset($case['body_base64'])) {
            return (string) base64_decode($case['body_base64'], true);
        }
        $r = $case['body_recipe'];
        return $r['prefix_text'] . $r['then_text'] . str_repeat($r['then_repeat_byte'], $r['repeat_count']);
    }

    /** The test pack with its myPOS certificate replaced by the one the table is verified with. */
    private function configureFor(string $certFile): void
    {
        $pack = json_decode((string) base64_decode(self::pack(), true), true);
        $pack['pc'] = (string) file_get_contents(VECTORS . '/../test-keys/' . $certFile);
        $this->configure(['test_config_pack' => SecretBox::seal(base64_encode((string) json_encode($pack)))]);
    }

    /** What the log line of a rejected body must contain, per error kind of the table. */
    private static function needle(array $error, int $bodyBytes): string
    {
        if ($bodyBytes > 1 << 20) {
            return "body has $bodyBytes bytes; at most 1048576 are accepted";
        }
        return match ($error['kind']) {
            'SignatureInvalid' => 'notify refused: signature invalid',
            'MalformedBody' => 'malformed body: ',
            'InvalidUtf8' => 'invalid UTF-8 in ',
            'DuplicateField' => "duplicate field '",
            'MissingSignature' => 'missing Signature field',
            'MalformedSignature' => 'malformed Signature: ',
            'InvalidMessage' => "invalid field '{$error['field']}' in message: ",
        };
    }

    public function testTableIsThere(): void
    {
        $this->assertGreaterThanOrEqual(60, count(self::cases()));
    }

    /** @dataProvider cases */
    public function testHostileBodyChangesNothing(array $case): void
    {
        $this->configureFor($case['verify_with']);
        self::order(1, '23.45');
        self::order(2, '23.45', 'processing', '410227');
        $before = serialize([\Stub::$orders, \Stub::$actions, \Stub::$locks]);
        $body = self::body($case);

        $phpErrors = [];
        set_error_handler(static function (int $no, string $text) use (&$phpErrors): bool {
            $phpErrors[] = "$no: $text";
            return true;
        });
        try {
            $answer = (new NotifyHandler(new Settings(), new OrderLock(), new Log('debug')))->handle($body);
        } finally {
            restore_error_handler();
        }

        $this->assertSame([], $phpErrors, 'no PHP warning or notice');
        $this->assertSame($before, serialize([\Stub::$orders, \Stub::$actions, \Stub::$locks]), 'orders, notes, meta, scheduled jobs and locks unchanged');
        $this->assertNotSame('processing', \Stub::$orders[1]->get_status());
        $this->assertSame('', \Stub::$orders[1]->get_meta('_mypos_ipc_trnref'), 'no payment recorded');

        $log = implode("\n", array_column(\Stub::$log, 'message'));
        if ($case['expected_outcome'] !== 'valid') {
            $this->assertSame(400, $answer->status);
            $this->assertNotSame('OK', $answer->body);
            $this->assertCount(1, \Stub::$log, 'one log line');
            $this->assertSame(['warning', 'mypos-ipc'], [\Stub::$log[0]['level'], \Stub::$log[0]['source']]);
            $this->assertStringContainsString(self::needle($case['expected_error'], strlen($body)), $log);
            $this->assertLessThan(400, strlen($log), 'the log line does not echo the body');
            if (preg_match('/(?:^|&)signature=([^&]{20,})/i', $body, $m) === 1) {
                $this->assertStringNotContainsString(substr(urldecode($m[1]), 0, 20), $log, 'no signature in the log');
            }
        } else {
            // Decisions for an order this shop does not have (ipc::decide with no order).
            preg_match('/(?:^|&)ipcmethod=([^&]*)/i', $body, $m);
            $sidOk = preg_match('/(?:^|&)sid=000000000000010(?:&|$)/i', $body) === 1;
            [$status, $text, $action] = match (true) {
                !$sidOk => [400, 'INVALID', 'ignore'],
                $m[1] === 'IPCSignatureVerify' => [200, 'OK', 'acknowledge'],
                $m[1] === 'IPCPurchaseRollback' => [200, 'OK', 'unknown_order'], // nothing to undo
                $m[1] === 'IPCPurchaseNotify' => [409, 'NOT OK', 'unknown_order'],
                $m[1] === 'IPCPurchaseOK' => [302, '', 'show_received'],
                $m[1] === 'IPCPurchaseCancel' => [302, '', 'unknown_order'],
                default => [400, 'INVALID', 'ignore'],
            };
            $this->assertSame([$status, $text], [$answer->status, $answer->body]);
            $this->assertStringContainsString(": $action (", $log);
        }
    }
}
