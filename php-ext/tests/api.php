<?php

// The required functions and every class, end to end with the rsa2048 keys.
declare(strict_types=1);

require __DIR__ . '/tap.php';

use MyPOS\IPC;

$keys = 'keys/';
$merchantKey = data($keys . 'merchant_private.pem');
$merchantCert = data($keys . 'merchant_cert.pem');
$myposKey = data($keys . 'mypos_private.pem');
$myposCert = data($keys . 'mypos_cert.pem');

// --- functions
$fields = ['IPCmethod' => 'IPCPurchaseNotify', 'SID' => '000000000000010', 'Amount' => '10.00', 'KeyIndex' => 1];
$sig = IPC\sign($fields, $myposKey);
Tap::ok(base64_decode($sig, true) !== false && strlen(base64_decode($sig)) === 256, 'sign() returns a base64 2048-bit signature');
Tap::is(IPC\sign(['a' => 1, 'b' => 'x'], $myposKey), IPC\sign(['a' => '1', 'b' => 'x'], $myposKey), 'sign() signs ints as decimal text');
Tap::ok(openssl_verify(base64_encode('IPCPurchaseNotify-000000000000010-10.00-1'), base64_decode($sig), $myposCert, OPENSSL_ALGO_SHA256) === 1, 'sign() matches OpenSSL over base64(values joined by -)');
Tap::ok(IPC\verify($fields + ['Signature' => $sig], $myposCert), 'verify() accepts a good signature (Signature last)');
Tap::ok(IPC\verify(['signature' => $sig] + $fields, $myposCert), 'verify() finds a lower-case Signature first');
$mid = ['IPCmethod' => 'IPCPurchaseNotify', 'SIGNATURE' => $sig, 'SID' => '000000000000010', 'Amount' => '10.00', 'KeyIndex' => 1];
Tap::ok(IPC\verify($mid, $myposCert), 'verify() finds SIGNATURE in the middle');
Tap::is(IPC\verify(['Amount' => '10.01'] + $fields + ['Signature' => $sig], $myposCert), false, 'verify() is false for a tampered value');
Tap::is(IPC\verify(array_reverse($fields, true) + ['Signature' => $sig], $myposCert), false, 'verify() is false for reordered fields');
Tap::is(IPC\verify($fields + ['Signature' => $sig], $merchantCert), false, 'verify() is false with the wrong certificate');
Tap::ok(IPC\verify($fields + ['Signature' => $sig], data($keys . 'mypos_public.pem')), 'verify() takes a bare public key');

$body = 'IPCmethod=IPCPurchaseNotify&SID=000000000000010&Amount=10.00&Note=a+b%26c';
$signed = IPC\sign_form($body, $myposKey);
Tap::ok(str_starts_with($signed, $body . '&Signature='), 'sign_form() appends &Signature= to the body as given');
Tap::ok(IPC\verify_form($signed, $myposCert), 'verify_form() accepts sign_form() output');
parse_str($signed, $posted);
Tap::ok(IPC\verify($posted, $myposCert), 'verify() accepts the parse_str() view of the same body');
Tap::is(IPC\verify_form(str_replace('10.00', '10.01', $signed), $myposCert), false, 'verify_form() is false for a tampered body');
Tap::throws(fn () => IPC\verify_form($body, $myposCert), IPC\MalformedInputException::class, 'verify_form() without Signature throws MalformedInputException', 'Signature');
Tap::ok(IPC\MalformedInputException::class === get_class(new IPC\MalformedInputException('x')) && is_subclass_of(IPC\MalformedInputException::class, IPC\Exception::class), 'MalformedInputException extends MyPOS\IPC\Exception');
foreach (['InvalidArgumentException', 'MalformedInputException', 'SignatureException', 'ConfigException'] as $c) {
    Tap::ok(get_parent_class('MyPOS\\IPC\\' . $c) === IPC\Exception::class, "$c extends MyPOS\\IPC\\Exception");
}
Tap::ok(get_parent_class(IPC\Exception::class) === 'Exception', 'MyPOS\IPC\Exception extends \Exception');
Tap::ok(is_string(IPC\VERSION) && preg_match('/^\d+\.\d+\.\d+/', IPC\VERSION) === 1, 'MyPOS\IPC\VERSION is a version string');

// --- Config
$config = IPC\Config::fromArray([
    'sid' => '000000000000010', 'wallet' => '61938166610', 'key_index' => 1,
    'private_key' => $merchantKey, 'mypos_certificate' => $myposCert,
    'endpoint' => 'http://127.0.0.1:9/vmp/checkout-test',
]);
Tap::is(
    [$config->sid(), $config->wallet(), $config->keyIndex(), $config->endpointUrl(), $config->privateKeyBits()],
    ['000000000000010', '61938166610', 1, 'http://127.0.0.1:9/vmp/checkout-test', 2048],
    'Config::fromArray() getters'
);
$pack = json_decode(data('vectors/rsa2048/config_pack.json'), true);
$packText = $pack['base64'] ?? null;
if (is_string($packText)) {
    $pc = IPC\Config::fromPack($packText, 'production');
    Tap::is($pc->endpointUrl(), 'https://www.mypos.com/vmp/checkout', 'Config::fromPack() production endpoint');
} else {
    Tap::ok(true, 'Config::fromPack() production endpoint # SKIP no pack text found in config_pack.json');
}
Tap::is(IPC\Config::fromArray(['sid' => '000000000000010', 'wallet' => '61938166610', 'key_index' => 1, 'private_key' => $merchantKey, 'mypos_certificate' => $myposCert])->endpointUrl(), 'https://www.mypos.com/vmp/checkout-test', 'Config endpoint defaults to test');

// --- Request builders
$order = [
    'order_id' => 'ORDER-1', 'amount' => 2445, 'currency' => 'EUR',
    'url_ok' => 'https://shop.example/ok', 'url_cancel' => 'https://shop.example/cancel', 'url_notify' => 'https://shop.example/notify',
    'note' => 'hi', 'payment_parameters' => 1,
    'customer' => ['email' => 'a@b.example', 'phone' => '+359888', 'first_names' => 'Ann', 'family_name' => 'Lee', 'country' => 'BGR', 'city' => 'Sofia', 'zip_code' => '1000', 'address' => 'Street 1'],
    'cart' => [['article' => 'Sticker', 'quantity' => 2, 'unit_price' => 1050], ['article' => 'Delivery', 'quantity' => 1, 'unit_price' => 345, 'delivery' => true]],
];
$r = $config->purchase($order);
$f = $r->fields();
Tap::is($r->method(), 'IPCPurchase', 'purchase(): method()');
Tap::is([$f['Amount'], $f['Currency'], $f['OrderID'], $f['CartItems']], ['24.45', 'EUR', 'ORDER-1', '2'], 'purchase(): amount in myPOS decimals, cart count');
Tap::is(array_key_last($f), 'Signature', 'purchase(): Signature is the last field');
Tap::is($r->signature(), $f['Signature'], 'purchase(): signature() equals the Signature field');
Tap::ok(IPC\verify($f, $merchantCert), 'purchase(): the fields verify with the merchant certificate');
Tap::ok(IPC\verify_form($r->body(), $merchantCert), 'purchase(): body() verifies');
Tap::is($r->actionUrl(), 'http://127.0.0.1:9/vmp/checkout-test', 'purchase(): actionUrl() is the endpoint');
Tap::ok(str_contains($r->htmlForm(), '<form') && str_contains($r->htmlForm(), 'http://127.0.0.1:9/vmp/checkout-test'), 'purchase(): htmlForm() is a form posting to the endpoint');

$checks = [
    'refund' => [$config->refund('ORDER-1', '410227', 1250, 'EUR'), 'IPCRefund', ['Amount' => '12.50', 'IPC_Trnref' => '410227', 'OutputFormat' => 'json']],
    'reversal' => [$config->reversal('410227', 'xml'), 'IPCReversal', ['IPC_Trnref' => '410227', 'OutputFormat' => 'xml']],
    'getTxnStatus' => [$config->getTxnStatus('ORDER-1'), 'IPCGetTxnStatus', ['OrderID' => 'ORDER-1']],
    'getPaymentStatus' => [$config->getPaymentStatus('ORDER-1'), 'IPCGetPaymentStatus', ['OrderID' => 'ORDER-1']],
    'getTxnLog' => [$config->getTxnLog('ORDER-1'), 'IPCGetTxnLog', ['OrderID' => 'ORDER-1']],
    'preAuthorization' => [$config->preAuthorization(['order_id' => 'PA-1', 'item_name' => 'Room', 'amount' => 10000, 'currency' => 'EUR', 'url_ok' => 'https://shop.example/ok', 'url_cancel' => 'https://shop.example/c', 'url_notify' => 'https://shop.example/n']), 'IPCPreAuthorization', ['Amount' => '100.00', 'ItemName' => 'Room']],
    'preAuthCompletion' => [$config->preAuthCompletion('PA-1', 5000, 'EUR'), 'IPCPreAuthCompletion', ['Amount' => '50.00']],
    'preAuthCancellation' => [$config->preAuthCancellation('PA-1', 5000, 'EUR'), 'IPCPreAuthCancellation', ['OrderID' => 'PA-1']],
    'preAuthStatus' => [$config->preAuthStatus('PA-1'), 'IPCPreAuthStatus', ['OrderID' => 'PA-1']],
    'purchaseWithToken' => [$config->purchaseWithToken(['order_id' => 'R-1', 'amount' => 999, 'currency' => 'EUR', 'card_token' => 'TOK1', 'allow_without_tds' => true, 'cart' => [['article' => 'Renewal', 'quantity' => 1, 'unit_price' => 999]]]), 'IPCIAPurchaseWithToken', ['Amount' => '9.99', 'CardToken' => 'TOK1', 'AllowWithoutTDSReferenceID' => '1', 'TDSReferenceID' => '', 'CartItems' => '1']],
    'signatureVerify' => [$config->signatureVerify('https://shop.example/n'), 'IPCSignatureVerify', []],
    'request' => [$config->request('IPCGetTxnStatus', ['OrderID' => 'X-1', 'OutputFormat' => 'json']), 'IPCGetTxnStatus', ['OrderID' => 'X-1', 'OutputFormat' => 'json']],
];
foreach ($checks as $name => [$req, $method, $want]) {
    $rf = $req->fields();
    $ok = $req->method() === $method && $rf['IPCmethod'] === $method && IPC\verify($rf, $merchantCert)
        && array_intersect_key($rf, $want) == $want && array_key_last($rf) === 'Signature';
    Tap::ok($ok, "$name(): $method, signed, expected fields", var_export($rf, true));
}
try {
    $config->purchaseWithToken(['order_id' => 'R-1', 'amount' => 999, 'currency' => 'EUR', 'card_token' => 'TOK1', 'cart' => [['article' => 'R', 'quantity' => 1, 'unit_price' => 999]]]);
    Tap::ok(false, 'purchaseWithToken(): neither a 3-D Secure reference nor allow_without_tds is refused');
} catch (IPC\InvalidArgumentException $e) {
    Tap::ok(str_contains($e->getMessage(), "'tds_reference_id'"), 'purchaseWithToken(): neither a 3-D Secure reference nor allow_without_tds is refused', $e->getMessage());
}
Tap::is(array_slice(array_keys($config->request('IPCX', ['B' => 1, 'A' => 2])->fields()), -3), ['B', 'A', 'Signature'], 'request(): params kept in the given order');

// --- Notification + Decision
$notifyFields = ['IPCmethod' => 'IPCPurchaseNotify', 'SID' => '000000000000010', 'Amount' => '24.45', 'Currency' => 'EUR', 'OrderID' => 'ORDER-1', 'IPC_Trnref' => '410227', 'RequestSTAN' => '000123', 'RequestDateTime' => '2026-01-15 14:49:48', 'PaymentMethod' => '1', 'BillingDescriptor' => 'x', 'PAN' => '4444'];
$nbody = http_build_query($notifyFields) . '&Signature=' . rawurlencode(IPC\sign($notifyFields, $myposKey));
$n = $config->notification($nbody);
Tap::is(
    [$n->method(), $n->kind(), $n->orderId(), $n->trnref(), $n->amount(), $n->currency(), $n->sid()],
    ['IPCPurchaseNotify', 'notify', 'ORDER-1', '410227', '24.45', 'EUR', '000000000000010'],
    'Notification getters'
);
Tap::is($n->fields(), $notifyFields, 'Notification::fields() in order without Signature');
Tap::is([$n->get('pan'), $n->get('Nope')], ['4444', null], 'Notification::get() is case-insensitive, null when absent');
$d = $n->decide(['amount' => 2445, 'currency' => 'EUR', 'state' => 'pending', 'trnref' => null]);
Tap::is([$d->action(), $d->reply(), $d->httpStatus(), $d->body(), $d->trnref()], ['mark_paid', 'ok', 200, 'OK', '410227'], 'decide(): pending order is marked paid, reply OK');
Tap::ok($d->note() !== '', 'Decision::note() is set');
$d = $n->decide(['amount' => 2445, 'currency' => 'EUR', 'state' => 'paid', 'trnref' => '410227']);
Tap::is([$d->action(), $d->reply()], ['duplicate', 'ok'], 'decide(): repeat notify is a duplicate');
$d = $n->decide(['amount' => 9999, 'currency' => 'EUR', 'state' => 'pending', 'trnref' => null]);
Tap::is($d->action(), 'hold_mismatch', 'decide(): amount mismatch is held');
$d = $n->decide(null);
Tap::is($d->action(), 'unknown_order', 'decide(): unknown order');
$d = $n->decide(['amount' => 2445, 'currency' => 'EUR', 'state' => 'pending'], '000000000000099');
Tap::is([$d->action(), $d->reply(), $d->httpStatus()], ['ignore', 'bad_request', 400], 'decide(): another store SID is refused');
Tap::throws(fn () => $config->notification(str_replace('24.45', '24.46', $nbody)), IPC\SignatureException::class, 'notification(): tampered body throws SignatureException');
Tap::throws(fn () => $config->notification('IPCmethod=IPCPurchaseNotify&SID=1'), IPC\MalformedInputException::class, 'notification(): unsigned body throws MalformedInputException');

// --- Response
$vec = [];
foreach (vectors('api-responses.json') as $v) {
    $vec[$v['id']] = $v;
}
$sim = IPC\Config::fromArray(['sid' => '000000000000010', 'wallet' => '61938166610', 'key_index' => 1, 'private_key' => $merchantKey, 'mypos_certificate' => data('test-keys/simulated-mypos-cert.pem')]);
$resp = $sim->response($vec['refund-json-valid']['raw']);
Tap::is([$resp->status(), $resp->isSuccess(), $resp->method(), $resp->get('amount'), $resp->statusMessage()], [0, true, 'IPCRefund', '12.50', 'Success'], 'Response getters (refund JSON)');
Tap::ok($resp->statusName() !== '' && $resp->statusMeaning() !== '', 'Response status name and meaning');
Tap::is($resp->fields()['IPC_Trnref'] ?? null, '410228', 'Response::fields() top-level values');
$tx = $sim->response($vec['gettxnstatus-json-nested-valid']['raw'], 'json');
Tap::ok(is_array($tx->orderStatus()) && isset($tx->orderStatus()['OrderID']) && is_array($tx->fields()['OrderStatus'] ?? null), 'Response::orderStatus() and nested fields() for GetTxnStatus');
$err = $sim->response($vec['error-status2-json-signed']['raw']);
Tap::is([$err->status(), $err->isSuccess()], [2, false], 'Response: signed error answer has its status');
Tap::is([$resp->paymentStatus(), $resp->txnLog()], [null, []], 'Response: paymentStatus() null and txnLog() empty when absent');
$x = $sim->response($vec['refund-xml-valid']['raw'], 'xml');
Tap::is($x->method(), 'IPCRefund', 'Response: XML answer');

// A txn log answer signed here with the mock myPOS key (leaf values depth-first).
$log = ['IPCmethod' => 'IPCGetTxnLog', 'Status' => 0, 'StatusMsg' => 'Success',
    'log' => [['trnref' => '410227', 'type' => 'payment'], ['trnref' => '410228', 'type' => 'refund']]];
$leaves = [];
array_walk_recursive($log, function ($v) use (&$leaves) {
    $leaves['v' . count($leaves)] = (string) $v;
});
$log['Signature'] = IPC\sign($leaves, $myposKey);
$tl = $config->response(json_encode($log), 'json');
Tap::is($tl->txnLog(), [['trnref' => '410227', 'type' => 'payment'], ['trnref' => '410228', 'type' => 'refund']], 'Response::txnLog() gives the entries in order');
Tap::is($tl->fields()['log'][1]['type'] ?? null, 'refund', 'Response::fields() nests the log');
$log['log'][1]['type'] = 'payment';
Tap::throws(fn () => $config->response(json_encode($log)), IPC\SignatureException::class, 'Config::response(): a tampered nested value throws SignatureException');

// --- objects hold nothing PHP can see; no construction from PHP
Tap::throws(fn () => new IPC\Config(), Exception::class, 'new Config() is not possible', 'cannot instantiate');
Tap::ok((new ReflectionClass(IPC\Config::class))->isFinal(), 'Config is final');
foreach (['Config' => $config, 'Request' => $r, 'Notification' => $n, 'Decision' => $d, 'Response' => $resp] as $cls => $obj) {
    Tap::throws(fn () => clone $obj, Error::class, "$cls cannot be cloned", 'uncloneable');
}
Tap::throws(fn () => (new ReflectionClass(IPC\Request::class))->newInstanceWithoutConstructor(), ReflectionException::class, 'Request cannot be made without its constructor');

Tap::finish();
