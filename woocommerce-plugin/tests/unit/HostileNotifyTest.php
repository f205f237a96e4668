<?php

// phpcs:ignoreFile -- tests.
namespace MyPOS\IPC\WooCommerce\Tests;

use MyPOS\IPC\WooCommerce\SecretBox;

/**
 * Every hostile notify body of tests/hostile.rs (tests/data/hostile-notifies.json) posted to the
 * notify handler with the real extension, while a pending order waits for payment.
 *
 * Rejected bodies (signature invalid or malformed): HTTP 400, not OK, no order, lock or
 * scheduled job touched (the OrderID of an unverified body cannot be trusted, so there is no
 * order note either), one warning log line naming the class, no PHP error or exception.
 * Validly signed bodies name orders like ORDER-0001, which are not this shop's order numbers:
 * the plug-in must treat them as unknown orders (nothing changes; only the IPCSignatureVerify
 * probe and a rollback with nothing to undo are answered OK). testSignedCaseAgainstTheShopsOrders
 * then aims those signed cases at real orders.
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
        $pack['pc'] = (string) file_get_contents(TEST_DATA . '/test-keys/' . $certFile);
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

    /** @return array<string, array{array}> the validly signed cases */
    public static function signedCases(): array
    {
        return array_filter(self::cases(), static fn (array $c): bool => $c[0]['expected_outcome'] === 'valid');
    }

    /**
     * The validly signed cases again, aimed at real orders of this shop: the table's shop orders
     * (ORDER-0001, ...) become WooCommerce orders 101..., the verified fields are re-signed with
     * the myPOS key with OrderID replaced, and the plug-in must answer and change the order as
     * the table's decision and docs/notify-decisions.md say.
     *
     * @dataProvider signedCases
     */
    public function testSignedCaseAgainstTheShopsOrders(array $case): void
    {
        $doc = json_decode((string) file_get_contents(self::TABLE), true, 512, JSON_THROW_ON_ERROR);
        $this->configureFor($case['verify_with']);
        $ids = [];
        $statuses = ['awaiting_payment' => 'pending', 'paid' => 'processing', 'refunded' => 'refunded', 'failed' => 'failed', 'cancelled' => 'cancelled', 'on_hold' => 'on-hold'];
        foreach ($doc['shop']['orders'] as $i => $o) {
            $ids[$o['order_id']] = 101 + $i;
            self::order(101 + $i, $o['amount'], $statuses[$o['state']], $o['trnref'], $o['currency']);
        }
        $config = \MyPOS\IPC\Config::fromArray([
            'sid' => self::SID, 'wallet' => '61938166610', 'key_index' => 1,
            'private_key' => (string) file_get_contents(TEST_DATA . '/keys/merchant_private.pem'),
            'mypos_certificate' => (string) file_get_contents(TEST_DATA . '/test-keys/' . $case['verify_with']),
        ]);
        $fields = $config->notification(self::body($case))->fields();
        $target = null;
        foreach ($fields as $name => $value) {
            if (strcasecmp($name, 'OrderID') === 0) {
                $target = $ids[$value] ?? 999;
                $fields[$name] = (string) $target;
            }
        }
        $body = \MyPOS\IPC\sign_form(http_build_query($fields, '', '&', PHP_QUERY_RFC1738), (string) file_get_contents(TEST_DATA . '/test-keys/simulated-mypos-private-key.pem'));
        $before = \Stub::$orders;

        $answer = $this->handle($body);

        $want = $case['expected_decision'];
        $action = strtolower((string) preg_replace('/(?<!^)[A-Z]/', '_$0', $want['action']['name']));
        if (str_starts_with($want['reply'], 'Redirect')) {
            $this->assertSame(302, $answer->status);
        } else {
            $this->assertSame([$want['http_status'], $want['body']], [$answer->status, $answer->body]);
        }
        $this->assertStringContainsString(": $action (", implode("\n", array_column(\Stub::$log, 'message')));
        $this->assertSame([], \Stub::$locks, 'lock released');
        foreach ($before as $id => $old) {
            $new = \Stub::$orders[$id];
            if ($id !== $target || in_array($action, ['duplicate', 'show_received', 'acknowledge', 'ignore', 'unknown_order'], true)) {
                $this->assertEquals($old, $new, "order $id unchanged");
                continue;
            }
            // docs/notify-decisions.md: what each decision does to the order it names.
            [$status, $notes, $stock] = match ($action) {
                'mark_paid' => ['processing', 1, 1],
                'hold_mismatch' => ['on-hold', 1, 0],
                'mark_failed' => ['failed', 1, 0],
                'already_paid_otherwise', 'note_only', 'keep_payable' => [$old->get_status(), 1, 0],
            };
            $this->assertSame([$status, count($old->notes) + $notes, $old->stockReductions + $stock], [$new->get_status(), count($new->notes), $new->stockReductions]);
            $trnref = $action === 'mark_paid' ? $want['action']['trnref'] : $old->get_meta('_mypos_ipc_trnref');
            $this->assertSame($trnref, $new->get_meta('_mypos_ipc_trnref'), 'trnref recorded only by mark_paid');
        }
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
            $answer = $this->handle($body);
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
