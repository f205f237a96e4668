<?php

// The hostile notify bodies of tests/hostile.rs (tests/data/hostile-notifies.json), replayed
// through verify_form() and Config::notification() + Notification::decide(): each ends in
// true / false / MalformedInputException (or SignatureException) with a message naming its class,
// and verified ones in the decision the table gives.
declare(strict_types=1);

require __DIR__ . '/tap.php';

use MyPOS\IPC;

$path = dirname(__DIR__, 2) . '/tests/data/hostile-notifies.json';
$doc = json_decode((string) file_get_contents($path), true, 512, JSON_THROW_ON_ERROR);
$MI = IPC\MalformedInputException::class;
$SE = IPC\SignatureException::class;

/** What the message of a malformed outcome contains, per error kind of the table. */
function needle(array $error): string
{
    return match ($error['kind']) {
        'MalformedBody' => 'malformed body: ',
        'InvalidUtf8' => 'invalid UTF-8 in ',
        'DuplicateField' => "duplicate field '",
        'MissingSignature' => 'missing Signature field',
        'MalformedSignature' => 'malformed Signature: ',
        'InvalidMessage' => "invalid field '{$error['field']}' in message: ",
    };
}

function body(array $case): string
{
    if (isset($case['body_text'])) {
        return $case['body_text'];
    }
    if (isset($case['body_base64'])) {
        return base64_decode($case['body_base64'], true);
    }
    $r = $case['body_recipe'];
    return $r['prefix_text'] . $r['then_text'] . str_repeat($r['then_repeat_byte'], $r['repeat_count']);
}

/** The shop's orders as Notification::decide() takes them, by OrderID. */
$orders = [];
$states = ['awaiting_payment' => 'pending', 'paid' => 'paid', 'refunded' => 'refunded', 'failed' => 'failed', 'cancelled' => 'cancelled', 'on_hold' => 'on-hold'];
foreach ($doc['shop']['orders'] as $o) {
    $orders[$o['order_id']] = [
        'amount' => (int) str_replace('.', '', $o['amount']), // wire text has the currency's decimals
        'currency' => $o['currency'],
        'state' => $states[$o['state']],
        'trnref' => $o['trnref'],
    ];
}
$actions = ['MarkPaid' => 'mark_paid', 'Duplicate' => 'duplicate', 'HoldMismatch' => 'hold_mismatch', 'AlreadyPaidOtherwise' => 'already_paid_otherwise', 'MarkFailed' => 'mark_failed', 'NoteOnly' => 'note_only', 'KeepPayable' => 'keep_payable', 'ShowReceived' => 'show_received', 'Acknowledge' => 'acknowledge', 'UnknownOrder' => 'unknown_order', 'Ignore' => 'ignore'];
$replies = ['Ok' => 'ok', 'NotOk' => 'not_ok', 'BadRequest' => 'bad_request', 'RedirectToReceived' => 'redirect_received', 'RedirectToPayment' => 'redirect_payment'];

$merchantKey = data('keys/merchant_private.pem');
$configs = [];
$certs = [];
foreach (['simulated-mypos-cert.pem', 'mypos-test-public-cert.pem'] as $file) {
    $certs[$file] = data('test-keys/' . $file);
    $configs[$file] = IPC\Config::fromArray(['sid' => $doc['shop']['store_sid'], 'wallet' => '61938166610', 'key_index' => 1, 'private_key' => $merchantKey, 'mypos_certificate' => $certs[$file]]);
}

Tap::ok(count($doc['cases']) >= 60 && count($doc['cases']) === $doc['count'], 'the table holds ' . count($doc['cases']) . ' cases (at least 60)');
foreach ($doc['cases'] as $case) {
    $name = $case['name'];
    $body = body($case);
    $cert = $certs[$case['verify_with']];
    $error = $case['expected_error'] ?? null;
    $huge = strlen($body) > IPC\MAX_BODY_BYTES;

    // verify_form(): signature level only (field formats are Notification's job).
    if ($error === null || $error['kind'] === 'InvalidMessage') {
        Tap::is(IPC\verify_form($body, $cert), true, "$name: verify_form() is true");
    } elseif ($error['kind'] === 'SignatureInvalid') {
        Tap::is(IPC\verify_form($body, $cert), false, "$name: verify_form() is false");
    } elseif ($huge) {
        // The same cap as Config::notification() and the C ABI.
        $want = 'verify_form(): $body: malformed body: body has ' . strlen($body) . ' bytes; at most ' . IPC\MAX_BODY_BYTES . ' are accepted';
        Tap::throws(fn () => IPC\verify_form($body, $cert), $MI, "$name: verify_form() refuses the huge body", $want);
    } else {
        $e = Tap::throws(fn () => IPC\verify_form($body, $cert), $MI, "$name: verify_form() throws MalformedInputException", 'verify_form(): $body: ' . needle($error));
        Tap::ok($e === null || strlen($e->getMessage()) < 300, "$name: verify_form() message is short");
    }

    // Config::notification(): the notify entry point, with the message checks and the size limit.
    $config = $configs[$case['verify_with']];
    if ($error === null) {
        try {
            $n = $config->notification($body);
            $d = $n->decide($orders[$n->orderId()] ?? null);
            $want = $case['expected_decision'];
            $got = [$d->action(), $d->reply(), $d->httpStatus(), $d->body(), $d->trnref()];
            $exp = [$actions[$want['action']['name']], $replies[$want['reply']], $want['http_status'], $want['body'], $want['action']['trnref'] ?? null];
            Tap::is($got, $exp, "$name: notification() verifies and decides {$exp[0]}/{$exp[1]}");
        } catch (Throwable $e) {
            Tap::ok(false, "$name: notification() verifies", get_class($e) . ': ' . $e->getMessage());
        }
    } elseif ($error['kind'] === 'SignatureInvalid') {
        $e = Tap::throws(fn () => $config->notification($body), $SE, "$name: notification() throws SignatureException");
        Tap::is($e?->getMessage(), 'Config::notification(): $rawBody: signature invalid', "$name: the message says only 'signature invalid'");
    } else {
        $want = $huge ? 'malformed body: body has ' . strlen($body) . ' bytes; at most ' . IPC\MAX_BODY_BYTES . ' are accepted' : needle($error);
        $e = Tap::throws(fn () => $config->notification($body), $MI, "$name: notification() throws MalformedInputException", 'Config::notification(): $rawBody: ' . $want);
        Tap::ok($e === null || strlen($e->getMessage()) < 300, "$name: notification() message is short");
    }
}
Tap::finish();
