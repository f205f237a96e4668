<?php

// The protocol rules the core owns, as PHP sees them: amounts, one configuration field at a
// time, configuration-pack options, the form that submits itself by id, the nested status
// message, the refund's confirmed transaction, and exception codes equal to the C codes.
declare(strict_types=1);

require __DIR__ . '/tap.php';

use MyPOS\IPC;

$keys = 'keys/';
$merchantKey = data($keys . 'merchant_private.pem');
$myposCert = data($keys . 'mypos_cert.pem');
$simCert = data('protocol/test-keys/simulated-mypos-cert.pem');
$config = IPC\Config::fromArray(['sid' => '000000000000010', 'wallet' => '61938166610', 'key_index' => 1, 'private_key' => $merchantKey, 'mypos_certificate' => $myposCert]);

// --- amounts
Tap::is([IPC\parse_amount('12.30', 'EUR'), IPC\parse_amount('12.3', 'EUR'), IPC\parse_amount('12', 'EUR')], [1230, 1230, 1200], 'parse_amount(): decimal text as cents');
Tap::is([IPC\parse_amount('1500', 'HUF'), IPC\parse_amount('1500.00', 'JPY'), IPC\parse_amount('-3.00', 'EUR')], [1500, 1500, -300], 'parse_amount(): zero-decimal currencies and a sign');
$e = Tap::throws(fn () => IPC\parse_amount('12.345', 'EUR'), IPC\InvalidArgumentException::class, 'parse_amount(): too many decimals throws', 'more decimals than EUR allows (2)');
Tap::is($e?->getCode(), IPC\Exception::INVALID_REQUEST, 'parse_amount(): the code is INVALID_REQUEST');
foreach (['1e3', '0.1E1', ' 5', '+5', '1,50', 'NaN', ''] as $bad) {
    Tap::throws(fn () => IPC\parse_amount($bad, 'EUR'), IPC\InvalidArgumentException::class, "parse_amount(): '$bad' refused");
}
Tap::throws(fn () => IPC\parse_amount('1500.5', 'HUF'), IPC\InvalidArgumentException::class, 'parse_amount(): no decimals for HUF', 'HUF');
Tap::throws(fn () => IPC\parse_amount('1', 'eur'), IPC\InvalidArgumentException::class, 'parse_amount(): lower-case currency refused', 'Currency');
Tap::throws(fn () => IPC\parse_amount(12.3, 'EUR'), TypeError::class, 'parse_amount(): a float is a TypeError, not a rounding');
Tap::is([IPC\format_amount(1230, 'EUR'), IPC\format_amount(1500, 'HUF'), IPC\format_amount(-5, 'EUR')], ['12.30', '1500', '-0.05'], 'format_amount(): wire text');
Tap::is([IPC\currency_decimals('EUR'), IPC\currency_decimals('HUF'), IPC\currency_decimals('JPY'), IPC\currency_decimals('TWD')], [2, 0, 0, 0], 'currency_decimals(): the core\'s list');

// --- one field at a time
Tap::is([IPC\Config::validateField('sid', '000000000000010'), IPC\Config::validateField('wallet', '61938166610'), IPC\Config::validateField('key_index', '3')], [null, null, null], 'Config::validateField(): good fields give null');
Tap::is(IPC\Config::validateField('private_key', $merchantKey), null, 'Config::validateField(): a good private key');
Tap::is(IPC\Config::validateField('sid', '12345'), 'must be 15 alphanumeric characters', 'Config::validateField(): the SID rule');
Tap::is(IPC\Config::validateField('wallet', '6193816661X'), 'must be 11 digits', 'Config::validateField(): the wallet rule');
Tap::is(IPC\Config::validateField('key_index', '0'), 'must be a whole number from 1', 'Config::validateField(): the key index rule');
Tap::is(IPC\Config::validateField('language', 'bul'), 'must be two letters, e.g. EN', 'Config::validateField(): the language rule');
$why = (string) IPC\Config::validateField('private_key', "-----BEGIN PRIVATE KEY-----\nsecretsecret\n-----END PRIVATE KEY-----");
Tap::ok($why !== '' && !str_contains($why, 'secretsecret'), 'Config::validateField(): a bad key gives a reason without the key', $why);
$e = Tap::throws(fn () => IPC\Config::validateField('colour', 'red'), IPC\InvalidArgumentException::class, 'Config::validateField(): an unknown field throws', 'colour');
Tap::is($e?->getCode(), IPC\Exception::INVALID_REQUEST, 'Config::validateField(): unknown field code');

// --- configuration-pack options
$pack = trim(data('protocol/test-keys/mypos-test-config-package.txt'));
$bg = IPC\Config::fromPack($pack, 'test', ['language' => 'BG']);
Tap::is(strtoupper($bg->getTxnStatus('O-1')->fields()['IPCLanguage']), 'BG', 'Config::fromPack(): the language option reaches requests');
Tap::is(strtolower(IPC\Config::fromPack($pack)->getTxnStatus('O-1')->fields()['IPCLanguage']), 'en', 'Config::fromPack(): default language');
$e = Tap::throws(fn () => IPC\Config::fromPack($pack, 'test', ['language' => 'Bulgarian']), IPC\ConfigException::class, 'Config::fromPack(): a bad language option', 'language');
Tap::is($e?->getCode(), IPC\Exception::INVALID_CONFIG, 'Config::fromPack(): INVALID_CONFIG');
Tap::throws(fn () => IPC\Config::fromPack($pack, 'test', ['sid' => '000000000000099']), IPC\InvalidArgumentException::class, 'Config::fromPack(): a pack field is not an option', 'sid');

// --- the form submits itself by id
$req = $config->getTxnStatus('O-1');
$html = $req->htmlFormEmbedded('shop-pay', 'Pay <now>');
Tap::ok(str_starts_with($html, '<form id="shop-pay" method="post"') && !str_contains($html, '<body'), 'Request::htmlFormEmbedded(): only the form, with the id');
Tap::ok(str_contains($html, 'document.getElementById("shop-pay").submit();') && !str_contains($html, 'forms[0]'), 'Request::htmlFormEmbedded(): submits itself by id');
Tap::ok(str_contains($html, '>Pay &lt;now&gt;</button>'), 'Request::htmlFormEmbedded(): the button label is escaped');
// What a browser posts: the attribute values, entities decoded (php -n has no DOM; no PCRE
// either, whose JIT reads past string ends in ways valgrind reports).
$posted = [];
foreach (explode("\n", $html) as $line) {
    if (!str_starts_with($line, '<input type="hidden" name="')) {
        continue;
    }
    [, $name, , $value] = explode('"', substr($line, strlen('<input type="hidden" ')));
    $posted[html_entity_decode($name, ENT_QUOTES | ENT_HTML5, 'UTF-8')] = html_entity_decode($value, ENT_QUOTES | ENT_HTML5, 'UTF-8');
}
Tap::is($posted, $req->fields(), 'Request::htmlFormEmbedded(): the posted fields are the signed ones');
Tap::ok(str_contains($req->htmlForm(), 'document.getElementById("mypos-ipc").submit();') && !str_contains($req->htmlForm(), 'forms[0]'), 'Request::htmlForm(): the page submits its form by id');
$e = Tap::throws(fn () => $req->htmlFormEmbedded('a"b', 'Pay'), IPC\InvalidArgumentException::class, 'Request::htmlFormEmbedded(): an unsafe id throws', 'form_id');
Tap::is($e?->getCode(), IPC\Exception::INVALID_REQUEST, 'Request::htmlFormEmbedded(): INVALID_REQUEST');

// --- the nested status message, verified as a message
$vec = [];
foreach (vectors('api-responses.json') as $v) {
    $vec[$v['id']] = $v;
}
$sim = IPC\Config::fromArray(['sid' => '000000000000010', 'wallet' => '61938166610', 'key_index' => 1, 'private_key' => $merchantKey, 'mypos_certificate' => $simCert]);
$status = $sim->response($vec['gettxnstatus-json-nested-valid']['raw'], 'json');
$n = $status->orderStatusNotification();
Tap::ok($n instanceof IPC\Notification, 'Response::orderStatusNotification(): a Notification');
Tap::is([$n?->method(), $n?->kind(), $n?->get('Signature')], ['IPCPurchaseNotify', 'notify', null], 'Response::orderStatusNotification(): the nested notify without its Signature');
Tap::is($n?->fields(), array_diff_key($status->orderStatus(), ['Signature' => 1]), 'Response::orderStatusNotification(): the same fields as orderStatus()');
Tap::is($sim->response($vec['refund-json-valid']['raw'])->orderStatusNotification(), null, 'Response::orderStatusNotification(): null without OrderStatus');
// The same answer signed again at the top by another key would not verify; the nested message
// is checked with the config's key too: a nested value changed and the top re-signed.
$tampered = json_decode($vec['gettxnstatus-json-nested-valid']['raw'], true);
unset($tampered['Signature']);
$tampered['OrderStatus']['Amount'] = '99.99';
$leaves = [];
array_walk_recursive($tampered, function ($v) use (&$leaves) {
    $leaves['v' . count($leaves)] = (string) $v;
});
$tampered['Signature'] = IPC\sign($leaves, data('protocol/test-keys/simulated-mypos-private-key.pem'));
$forged = $sim->response((string) json_encode($tampered), 'json');
$e = Tap::throws(fn () => $forged->orderStatusNotification(), IPC\SignatureException::class, 'Response::orderStatusNotification(): a changed nested message throws SignatureException');
Tap::is($e?->getCode(), IPC\Exception::SIGNATURE_INVALID, 'Response::orderStatusNotification(): SIGNATURE_INVALID');

// --- the refund's confirmed transaction
Tap::is($sim->response($vec['refund-json-valid']['raw'])->transaction(), ['trnref' => '410228', 'amount' => 1250, 'currency' => 'EUR'], 'Response::transaction(): trnref, amount in cents, currency');
$e = Tap::throws(fn () => $sim->response($vec['error-status2-json-signed']['raw'])->transaction(), IPC\MalformedInputException::class, 'Response::transaction(): no IPC_Trnref throws', 'IPC_Trnref');
Tap::is($e?->getCode(), IPC\Exception::MALFORMED_RESPONSE, 'Response::transaction(): MALFORMED_RESPONSE');

// --- exception codes are the core's error kinds, the C result numbers
$codes = (new ReflectionClass(IPC\Exception::class))->getConstants();
Tap::is([$codes['SIGNATURE_INVALID'] ?? null, $codes['BAD_KEY'] ?? null, $codes['INVALID_CONFIG'] ?? null, $codes['INTERNAL_ERROR'] ?? null], [1, 8, 11, 21], 'Exception constants: the C numbers');
Tap::is(count($codes), 21, 'Exception constants: every kind');
$e = Tap::throws(fn () => $config->notification('IPCmethod=IPCPurchaseNotify&SID=1'), IPC\MalformedInputException::class, 'a malformed notification');
Tap::is($e?->getCode(), IPC\Exception::MISSING_SIGNATURE, 'a notification without Signature: MISSING_SIGNATURE');
$e = Tap::throws(fn () => IPC\Config::fromPack('not a pack'), IPC\ConfigException::class, 'a bad pack');
Tap::is($e?->getCode(), IPC\Exception::INVALID_CONFIG_PACK, 'a bad pack: INVALID_CONFIG_PACK');
$e = Tap::throws(fn () => IPC\verify(['a' => 1, 'Signature' => 'AAAA'], 'not a pem'), IPC\MalformedInputException::class, 'a bad key');
Tap::is($e?->getCode(), IPC\Exception::BAD_KEY, 'a bad key: BAD_KEY');
$e = Tap::throws(fn () => $config->refund('O-1', '1', 100, 'euro'), IPC\InvalidArgumentException::class, 'a bad currency');
Tap::is($e?->getCode(), IPC\Exception::INVALID_ARGUMENT, 'a bad argument: INVALID_ARGUMENT');

Tap::finish();
