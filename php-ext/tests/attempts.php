<?php

// Payment attempts (issue 15): attempt OrderIDs, decisions that know the attempt (note codes
// and values), and refund answers checked against their request.
declare(strict_types=1);

require __DIR__ . '/tap.php';

use MyPOS\IPC;

$keys = 'keys/';
$myposKey = data($keys . 'mypos_private.pem');
$config = IPC\Config::fromArray([
    'sid' => '000000000000010', 'wallet' => '61938166610', 'key_index' => 1,
    'private_key' => data($keys . 'merchant_private.pem'), 'mypos_certificate' => data($keys . 'mypos_cert.pem'),
    'endpoint' => 'http://127.0.0.1:9/vmp/checkout-test',
]);

// --- attempt OrderIDs
Tap::is(IPC\attempt_id('wp3f9a', '1234', 2), 'wp3f9a-1234-2', 'attempt_id(): <prefix>-<order>-<n>');
Tap::is(IPC\parse_attempt_id('wp3f9a-1234-2'), ['prefix' => 'wp3f9a', 'order' => '1234', 'attempt' => 2], 'parse_attempt_id(): its parts');
Tap::is(IPC\parse_attempt_id('1234'), ['prefix' => null, 'order' => '1234', 'attempt' => 1], 'parse_attempt_id(): a bare order id is attempt 1');
$e = Tap::throws(fn () => IPC\attempt_id('9wp', '1234', 1), IPC\InvalidArgumentException::class, 'attempt_id(): a prefix must start with a letter', '[invalid_prefix]');
Tap::is($e?->getCode(), IPC\Exception::INVALID_REQUEST, 'attempt_id(): getCode() is the core kind INVALID_REQUEST (the rule is in the message)');
Tap::throws(fn () => IPC\attempt_id('wp', '1234', 0), IPC\InvalidArgumentException::class, 'attempt_id(): attempt 0 refused', '[invalid_attempt_number]');
Tap::throws(fn () => IPC\attempt_id('wp', '1234', -1), IPC\InvalidArgumentException::class, 'attempt_id(): a negative attempt refused', '[invalid_attempt_number]');
Tap::throws(fn () => IPC\attempt_id('wp', '1234', PHP_INT_MAX), IPC\InvalidArgumentException::class, 'attempt_id(): a huge attempt refused', '[invalid_attempt_number]');
$e = Tap::throws(fn () => IPC\parse_attempt_id('wp-1234'), IPC\InvalidArgumentException::class, 'parse_attempt_id(): two parts refused', '[wrong_shape]');
Tap::is($e?->getCode(), IPC\Exception::INVALID_REQUEST, 'parse_attempt_id(): getCode() is INVALID_REQUEST for wrong_shape');
Tap::throws(fn () => IPC\parse_attempt_id("wp-12\0-1"), IPC\InvalidArgumentException::class, 'parse_attempt_id(): a NUL byte refused', 'NUL');
Tap::throws(fn () => IPC\parse_attempt_id(12), TypeError::class, 'parse_attempt_id(): an int is a TypeError');
$cases = [
    'wp-1234-1' => null, '1234' => null, '' => 'empty', str_repeat('9', 81) => 'too_long',
    'wp-12 4-1' => 'invalid_character', 'wp-1-2-3' => 'wrong_shape', '1wp-1-1' => 'invalid_prefix',
    'wp-' . str_repeat('1', 33) . '-1' => 'invalid_order', 'wp-1-01' => 'invalid_attempt_number',
    'wp-1-100000' => 'attempt_number_too_large', 'wp-1-é' => 'invalid_character',
];
foreach ($cases as $text => $want) {
    Tap::is(IPC\attempt_id_error((string) $text), $want, 'attempt_id_error(' . substr((string) $text, 0, 20) . ')');
}

// --- decisions with attempts
function message(IPC\Config $config, string $key, array $fields): IPC\Notification
{
    return $config->notification(http_build_query($fields) . '&Signature=' . rawurlencode(IPC\sign($fields, $key)));
}
$base = ['SID' => '000000000000010', 'Amount' => '50.00', 'Currency' => 'EUR'];
$rollback1 = message($config, $myposKey, ['IPCmethod' => 'IPCPurchaseRollback'] + $base + ['OrderID' => 'wp-7-1']);
$notify1 = message($config, $myposKey, ['IPCmethod' => 'IPCPurchaseNotify'] + $base + ['OrderID' => 'wp-7-1', 'IPC_Trnref' => '701']);
$notify2 = message($config, $myposKey, ['IPCmethod' => 'IPCPurchaseNotify'] + $base + ['OrderID' => 'wp-7-2', 'IPC_Trnref' => '702']);
$paid = fn (string $t) => ['amount' => 5000, 'currency' => 'EUR', 'state' => 'paid', 'trnref' => $t];
$pending = ['amount' => 5000, 'currency' => 'EUR', 'state' => 'pending'];
$rows = [
    ['no attempt: a rollback marks the paid order failed (old contract)', $rollback1, $paid('702'), ['mark_failed', 'ok', 'rollback_reversed']],
    ['late rollback of attempt 1 after attempt 2 paid', $rollback1, $paid('702') + ['attempt' => 1, 'attempt_rolled_back' => true, 'paid_attempt' => 2], ['note_only', 'ok', 'rollback_other_attempt']],
    ['the buyer paid twice', $notify2, $paid('701') + ['attempt' => 2, 'paid_attempt' => 1], ['already_paid_otherwise', 'not_ok', 'notify_paid_twice']],
    ['notify for an unknown attempt', $notify1, $pending + ['attempt' => 1, 'attempt_known' => false], ['unknown_attempt', 'not_ok', 'notify_unknown_attempt']],
    ['rollback for an unknown attempt', $rollback1, $pending + ['attempt' => 1, 'attempt_known' => false], ['unknown_attempt', 'ok', 'rollback_unknown_attempt']],
    ['notify replayed after its rollback', $notify1, ['state' => 'failed'] + $pending + ['attempt' => 1, 'attempt_rolled_back' => true], ['note_only', 'not_ok', 'notify_after_rollback']],
    ['rollback retried by the cron', $rollback1, ['state' => 'failed'] + $pending + ['attempt' => 1, 'attempt_rolled_back' => true], ['note_only', 'ok', 'rollback_repeated']],
    ['notify of attempt 1 pays', $notify1, $pending + ['attempt' => 1], ['mark_paid', 'ok', 'paid']],
];
foreach ($rows as [$name, $message, $order, $want]) {
    $d = $message->decide($order);
    Tap::is([$d->action(), $d->reply(), $d->noteCode()], $want, "decide(): $name");
}
$d = $notify2->decide($paid('701') + ['attempt' => 2, 'paid_attempt' => 1]);
Tap::is($d->noteParams(), ['attempt' => '2', 'trnref' => '702', 'paid_attempt' => '1', 'paid_trnref' => '701'], 'Decision::noteParams(): the values of the note');
Tap::ok(str_contains($d->note(), 'paid twice'), 'Decision::note(): the English text', $d->note());
Tap::is([$d->httpStatus(), $d->body()], [409, 'NOT OK'], 'paid twice: answered not OK');
Tap::is($notify1->decide(null)->noteCode(), 'notify_unknown_order', 'noteCode() without attempts too');
Tap::is($notify1->decide(null)->noteParams(), ['order_id' => 'wp-7-1'], 'noteParams(): the unknown OrderID');
Tap::throws(fn () => $notify1->decide($pending + ['attempt' => 0]), IPC\InvalidArgumentException::class, "decide(): 'attempt' 0 refused", "'attempt' must be 1 or more");
Tap::throws(fn () => $notify1->decide($pending + ['paid_attempt' => 1]), IPC\InvalidArgumentException::class, "decide(): 'paid_attempt' needs 'attempt'", "needs 'attempt'");
Tap::throws(fn () => $notify1->decide($pending + ['attempt' => '1']), IPC\InvalidArgumentException::class, "decide(): 'attempt' must be an int", 'must be an int');
Tap::throws(fn () => $notify1->decide($pending + ['attempt' => 1, 'attempt_known' => 'yes']), IPC\InvalidArgumentException::class, "decide(): 'attempt_known' must be a bool", 'must be a bool');

// --- refund answers
function answer(IPC\Config $config, string $key, array $fields): IPC\Response
{
    $fields['Signature'] = IPC\sign(array_map('strval', $fields), $key);
    return $config->response(json_encode($fields), 'json');
}
$good = ['IPCmethod' => 'IPCRefund', 'IPC_Trnref' => '900123', 'Amount' => '10.00', 'Currency' => 'EUR', 'Status' => 0, 'StatusMsg' => 'Success'];
Tap::is(
    answer($config, $myposKey, $good)->checkRefund('wp-7-2', 1000, 'EUR'),
    ['confirmed' => true, 'code' => 'confirmed', 'message' => 'myPOS confirmed the refund', 'trnref' => '900123'],
    'checkRefund(): confirmed with its IPC_Trnref'
);
$without = function (string $name) use ($good): array {
    unset($good[$name]);
    return $good;
};
$problems = [
    'missing_trnref' => $without('IPC_Trnref'),
    'missing_amount' => $without('Amount'),
    'missing_currency' => $without('Currency'),
    'amount_differs' => ['Amount' => '10.01'] + $good,
    'currency_differs' => ['Currency' => 'USD'] + $good,
    'order_id_differs' => $good + ['OrderID' => 'wp-7-1'],
    'wrong_method' => ['IPCmethod' => 'IPCReversal'] + $good,
    'refused' => ['IPCmethod' => 'IPCRefund', 'Status' => 14, 'StatusMsg' => 'not permitted'],
];
foreach ($problems as $code => $fields) {
    $r = answer($config, $myposKey, $fields)->checkRefund('wp-7-2', 1000, 'EUR');
    Tap::ok($r['confirmed'] === false && $r['code'] === $code && $r['trnref'] === null && $r['message'] !== '', "checkRefund(): $code", var_export($r, true));
}
Tap::throws(fn () => answer($config, $myposKey, $good)->checkRefund('wp-7-2', 1000, 'EURO'), IPC\InvalidArgumentException::class, 'checkRefund(): a bad currency argument', '$currency');
Tap::throws(fn () => answer($config, $myposKey, $good)->checkRefund('wp-7-2', '1000', 'EUR'), TypeError::class, 'checkRefund(): amount must be an int');

// --- pre-authorizations (issue 21): the attempt kind, the "authorized" decision, capture answers
$held = fn (string $t) => ['amount' => 5000, 'currency' => 'EUR', 'state' => 'authorized', 'trnref' => $t];
$notifyAuth = message($config, $myposKey, ['IPCmethod' => 'IPCPurchaseNotify'] + $base + ['OrderID' => 'wp-7-1', 'IPC_Trnref' => '701', 'PreAuthExpDate' => '31/12/2026']);
$d = $notifyAuth->decide($pending + ['attempt' => 1, 'attempt_kind' => 'preauth']);
Tap::is([$d->action(), $d->reply(), $d->noteCode(), $d->trnref(), $d->expiry()], ['authorize', 'ok', 'authorized', '701', '31/12/2026'], "decide(): a pre-authorization attempt's notify authorizes");
Tap::is($d->noteParams(), ['trnref' => '701', 'expiry' => '31/12/2026'], 'authorized: the note names the expiry');
Tap::is([$notify1->decide($pending + ['attempt' => 1, 'attempt_kind' => 'preauth'])->expiry(), $notify1->decide($pending + ['attempt' => 1])->expiry()], [null, null], 'expiry(): null when unknown or not an authorization');
$d = $notifyAuth->decide($held('701') + ['attempt' => 1, 'paid_attempt' => 1, 'attempt_kind' => 'preauth']);
Tap::is([$d->action(), $d->reply(), $d->noteCode(), $d->trnref()], ['duplicate', 'ok', 'notify_authorization_duplicate', null], 'decide(): a repeated authorization notify never pays');
Tap::is($notifyAuth->decide($pending + ['attempt' => 1, 'attempt_kind' => 'purchase'])->action(), 'mark_paid', "decide(): 'attempt_kind' purchase pays");
Tap::throws(fn () => $notify1->decide($pending + ['attempt' => 1, 'attempt_kind' => 'capture']), IPC\InvalidArgumentException::class, "decide(): an unknown 'attempt_kind' refused", "'attempt_kind' must be purchase or preauth");
Tap::throws(fn () => $notify1->decide($pending + ['attempt_kind' => 'preauth']), IPC\InvalidArgumentException::class, "decide(): 'attempt_kind' needs 'attempt'", "needs 'attempt'");
$capture = ['IPCmethod' => 'IPCPreAuthCompletion', 'OrderID' => 'wp-7-2', 'IPC_Trnref' => '701', 'Amount' => '10.00', 'Currency' => 'EUR', 'Status' => 0];
Tap::is(
    answer($config, $myposKey, $capture)->checkCapture('wp-7-2', 1000, 'EUR'),
    ['confirmed' => true, 'code' => 'confirmed', 'message' => 'myPOS confirmed it', 'trnref' => '701'],
    'checkCapture(): confirmed with its IPC_Trnref'
);
Tap::is(answer($config, $myposKey, ['Status' => 0])->checkCapture('wp-7-2', 1000, 'EUR')['confirmed'], true, 'checkCapture(): an answer without echo is confirmed');
foreach (['amount_differs' => ['Amount' => '12.00'] + $capture, 'currency_differs' => ['Currency' => 'USD'] + $capture,
    'order_id_differs' => ['OrderID' => 'wp-7-1'] + $capture, 'refused' => ['Status' => 14] + $capture,
    'wrong_method' => ['IPCmethod' => 'IPCPreAuthCancellation'] + $capture] as $code => $fields) {
    $r = answer($config, $myposKey, $fields)->checkCapture('wp-7-2', 1000, 'EUR');
    Tap::ok($r['confirmed'] === false && $r['code'] === $code && $r['trnref'] === null, "checkCapture(): $code", var_export($r, true));
}
Tap::is(answer($config, $myposKey, ['IPCmethod' => 'IPCPreAuthCancellation'] + $capture)->checkRelease('wp-7-2', 1000, 'EUR')['code'], 'confirmed', 'checkRelease(): a release answer');

Tap::finish();
