<?php

// Every vector of tests/data through the extension: outgoing signatures via sign(), incoming
// notifications via verify_form() with the class docs/architecture.md ("Verification outcomes") gives them, API answers via
// Config::response().
declare(strict_types=1);

require __DIR__ . '/tap.php';

use MyPOS\IPC;

// Incoming vectors whose "invalid" verdict is malformed input, not a failed RSA check (§10).
const MALFORMED_INCOMING = [
    'notify-missing-signature', 'notify-empty-signature', 'notify-bad-base64-urlsafe',
    'notify-bad-base64-not-base64', 'notify-base64-with-junk-chars',
    'notify-unencoded-plus-in-signature', 'notify-duplicate-field-same-value',
    'notify-duplicate-field-other-value', 'rollback-missing-signature', 'cancel-missing-signature',
];
const MALFORMED_ANSWERS = ['error-status3-json-unsigned', 'error-status3-xml-unsigned', 'missing-signature-json'];

/** 'valid', 'invalid' or 'malformed' for one verification call. */
function outcome(callable $fn): string
{
    try {
        return $fn() ? 'valid' : 'invalid';
    } catch (IPC\MalformedInputException $e) {
        return 'malformed';
    } catch (IPC\SignatureException $e) {
        return 'invalid';
    }
}

// Outgoing requests: sign() over the params gives the vector's Signature; sign_form() over the
// browser body gives the vector's body; verify() accepts the signed fields.
foreach (vectors('outgoing-requests.json') as $v) {
    $key = data($v['signing_key']);
    $fields = [];
    $dup = false;
    foreach ($v['params'] as [$n, $val]) {
        $dup = $dup || array_key_exists($n, $fields);
        $fields[$n] = $val;
    }
    if ($dup) {
        Tap::ok(true, "outgoing {$v['id']}: # SKIP duplicate names cannot be a PHP array");
        continue;
    }
    $sig = IPC\sign($fields, $key);
    Tap::is($sig, $v['signature'], "outgoing {$v['id']}: sign() equals the vector Signature");
    $pub = data($v['verify_with']);
    Tap::ok(IPC\verify($fields + ['Signature' => $sig], $pub), "outgoing {$v['id']}: verify() accepts it");
    $body = $v['browser_submission']['body_as_browser_submits'] ?? null;
    if ($body !== null && $v['browser_submission']['mismatches_between_signed_and_submitted'] !== []) {
        // The browser changes the value (LF to CRLF) after signing: the vector documents the trap.
        $unsigned = substr($body, 0, strrpos($body, '&Signature='));
        Tap::ok(IPC\sign_form($unsigned, $key) !== $body, "outgoing {$v['id']}: sign_form() over the browser's altered body differs (trap)");
    } elseif ($body !== null) {
        $unsigned = substr($body, 0, strrpos($body, '&Signature='));
        Tap::is(IPC\sign_form($unsigned, $key), $body, "outgoing {$v['id']}: sign_form() gives the browser body");
    }
}

foreach (vectors('incoming-notifications.json') as $v) {
    $want = $v['recommended_verdict'] === 'valid' ? 'valid'
        : (in_array($v['id'], MALFORMED_INCOMING, true) ? 'malformed' : 'invalid');
    $cert = data($v['verify_with']);
    $got = outcome(fn () => IPC\verify_form($v['raw_body'] ?? $v['raw_query'], $cert));
    Tap::is($got, $want, "incoming {$v['id']}: verify_form() is $want");
}

$simCert = data('test-keys/simulated-mypos-cert.pem');
$config = IPC\Config::fromArray([
    'sid' => '000000000000010', 'wallet' => '61938166610', 'key_index' => 1,
    'private_key' => data('test-keys/merchant-sim-private-key.pem'),
    'mypos_certificate' => $simCert,
]);
foreach (vectors('api-responses.json') as $v) {
    $want = $v['recommended_verdict'] === 'valid' ? 'valid'
        : (in_array($v['id'], MALFORMED_ANSWERS, true) ? 'malformed' : 'invalid');
    $doc = $v['format'] === 'json' ? json_decode($v['raw'], true) : null;
    if (is_array($doc) && !array_key_exists('Status', $doc) && array_filter($doc, 'is_array') === []) {
        // Not an API answer but a stored message (no Status): it verifies like a notification.
        $got = outcome(fn () => IPC\verify($doc, $simCert));
        Tap::is($got, $want, "answer {$v['id']}: verify() of the flat message is $want");
        continue;
    }
    $got = outcome(fn () => $config->response($v['raw'], $v['format']) instanceof IPC\Response);
    Tap::is($got, $want, "answer {$v['id']}: Config::response() is $want");
}

foreach (vectors('config-packages.json') as $v) {
    $id = "config pack {$v['id']}";
    if ($v['sdk_result'] !== 'loaded') {
        Tap::throws(fn () => IPC\config_pack_info($v['package']), IPC\ConfigException::class, "$id: config_pack_info() rejects it");
        Tap::throws(fn () => IPC\config_pack_parts($v['package']), IPC\ConfigException::class, "$id: config_pack_parts() rejects it");
        Tap::throws(fn () => IPC\Config::fromPack($v['package']), IPC\ConfigException::class, "$id: Config::fromPack() rejects it");
        continue;
    }
    $info = IPC\config_pack_info($v['package']);
    Tap::is(
        [$info['sid'], $info['wallet'], $info['key_index']],
        [$v['sid'], $v['wallet'], (int) $v['key_index']],
        "$id: config_pack_info() gives the SDK's sid, wallet and key index"
    );
    Tap::is($info['has_private_key'], $v['private_key_sha256'] !== null, "$id: has_private_key");
    $parts = IPC\config_pack_parts($v['package']);
    Tap::is(
        [$parts['sid'], $parts['wallet'], $parts['key_index'], $parts['private_key'] === null ? null : hash('sha256', $parts['private_key'])],
        [$v['sid'], $v['wallet'], (int) $v['key_index'], $v['private_key_sha256']],
        "$id: config_pack_parts() gives the SDK's sid, wallet, key index and the private key as stored"
    );
    if ($v['config_validate'] === 'ok') {
        $c = IPC\Config::fromPack($v['package']);
        Tap::is([$c->sid(), $c->wallet(), $c->keyIndex()], [$v['sid'], $v['wallet'], (int) $v['key_index']], "$id: Config::fromPack() loads like the SDK");
    } else {
        Tap::throws(fn () => IPC\Config::fromPack($v['package']), IPC\ConfigException::class, "$id: Config::fromPack() refuses it ({$v['config_validate']})");
    }
}

// The rsa2048 golden vectors (mock merchant and myPOS keys).
$rsa = 'keys/';
$merchantKey = data($rsa . 'merchant_private.pem');
$merchantCert = data($rsa . 'merchant_cert.pem');
$myposCert = data($rsa . 'mypos_cert.pem');
$golden = fn (string $name) => json_decode(data("vectors/rsa2048/$name.json"), true, 512, JSON_THROW_ON_ERROR);
foreach (['purchase_main', 'purchase_edge', 'purchase_v141_partner'] as $name) {
    $v = $golden($name);
    $fields = [];
    foreach ($v['params_in_signing_order'] as [$n, $val]) {
        if ($n !== 'Signature') {
            $fields[$n] = (string) $val;
        }
    }
    Tap::is(IPC\sign($fields, $merchantKey), $v['sign_steps']['signature_base64'], "rsa2048 $name: sign() equals the SDK's Signature");
    $body = $v['browser_body_application_x_www_form_urlencoded'] ?? null;
    if ($body !== null) {
        parse_str($body, $posted);
        unset($posted['Signature']);
        if (count($posted) === count($fields)) {
            Tap::ok(IPC\verify_form($body, $merchantCert), "rsa2048 $name: the browser body verifies with the merchant certificate");
        } else {
            // This body was built with http_build_query, which drops the null customer fields
            // the SDK signed as empty strings (the SDK's null-parameter trap): it must not verify.
            Tap::is(IPC\verify_form($body, $merchantCert), false, "rsa2048 $name: a body missing signed (null) fields does not verify");
        }
    }
}
foreach (['callback_notify_ok', 'callback_notify_merchant_http500', 'callback_purchase_cancel', 'callback_purchase_ok_redirect', 'callback_purchase_rollback', 'callback_notify_tampered_amount', 'callback_notify_reordered'] as $name) {
    $v = $golden($name);
    $want = $v['merchant_sdk']['sdk_verified'] ? 'valid' : 'invalid';
    Tap::is(outcome(fn () => IPC\verify_form($v['wire_body'], $myposCert)), $want, "rsa2048 $name: verify_form() is $want");
}
$mock = IPC\Config::fromArray(['sid' => '000000000000010', 'wallet' => '61938166610', 'key_index' => 1, 'private_key' => $merchantKey, 'mypos_certificate' => $myposCert]);
foreach (['refund_json', 'refund_xml', 'reversal_xml', 'getpaymentstatus_xml', 'gettxnstatus_json', 'gettxnstatus_xml'] as $name) {
    $v = $golden($name);
    Tap::ok(IPC\verify_form($v['request']['raw_body'], $merchantCert), "rsa2048 $name: the SDK's request body verifies with the merchant certificate");
    // docs/architecture.md ("Verification outcomes"): every answer here is valid (gettxnstatus_xml verified depth-first).
    $resp = $mock->response($v['response']['raw_body'], $v['response']['format']);
    Tap::ok($resp->isSuccess(), "rsa2048 $name: Config::response() verifies the answer (Status 0)");
}
$ps = $mock->response($golden('getpaymentstatus_xml')['response']['raw_body']);
Tap::ok(is_int($ps->paymentStatus()), 'rsa2048 getpaymentstatus_xml: paymentStatus() is an int');
$ts = $mock->response($golden('gettxnstatus_xml')['response']['raw_body'], 'xml');
Tap::ok(is_array($ts->orderStatus()) && $ts->orderStatus() !== [], 'rsa2048 gettxnstatus_xml: orderStatus() holds the nested message');
$packVector = $golden('config_pack');
$pc = IPC\Config::fromPack($packVector['base64']);
Tap::is([$pc->sid(), $pc->privateKeyBits()], ['000000000000010', 2048], 'rsa2048 config_pack: Config::fromPack() loads the mock keys');

Tap::finish();
