<?php

// Bad input: wrong types throw TypeError; bad values throw the specific MyPOS\IPC exception.
declare(strict_types=1);

require __DIR__ . '/tap.php';

use MyPOS\IPC;

$keys = 'keys/';
$key = data($keys . 'mypos_private.pem');
$cert = data($keys . 'mypos_cert.pem');
$ok = ['IPCmethod' => 'IPCPurchaseNotify', 'Amount' => '1.00'];
$signedBody = IPC\sign_form('IPCmethod=IPCPurchaseNotify&Amount=1.00', $key);
$IA = IPC\InvalidArgumentException::class;
$MI = IPC\MalformedInputException::class;
$CE = IPC\ConfigException::class;

// Wrong argument types (ext-php-rs typed arguments).
Tap::throws(fn () => IPC\sign('not an array', $key), TypeError::class, 'sign(): string instead of array is a TypeError');
Tap::throws(fn () => IPC\sign($ok, 42), TypeError::class, 'sign(): int key is a TypeError');
Tap::throws(fn () => IPC\sign($ok, null), TypeError::class, 'sign(): null key is a TypeError');
Tap::throws(fn () => IPC\verify(null, $cert), TypeError::class, 'verify(): null fields is a TypeError');
Tap::throws(fn () => IPC\verify_form(['a'], $cert), TypeError::class, 'verify_form(): array body is a TypeError');
Tap::throws(fn () => IPC\sign_form(new stdClass(), $key), TypeError::class, 'sign_form(): object body is a TypeError');
Tap::throws(fn () => IPC\sign($ok), ArgumentCountError::class, 'sign(): missing argument is an ArgumentCountError');

// sign(): values, keys, emptiness.
Tap::throws(fn () => IPC\sign([], $key), $IA, 'sign(): empty array', 'empty');
Tap::throws(fn () => IPC\sign(['Amount' => 1.5], $key), $IA, 'sign(): float value names the key', "'Amount'");
Tap::throws(fn () => IPC\sign(['Flag' => true], $key), $IA, 'sign(): bool value names the key', "'Flag'");
Tap::throws(fn () => IPC\sign(['Nil' => null], $key), $IA, 'sign(): null value names the key', "'Nil'");
Tap::throws(fn () => IPC\sign(['Nested' => ['x']], $key), $IA, 'sign(): array value names the key', "'Nested'");
Tap::throws(fn () => IPC\sign(['Obj' => new stdClass()], $key), $IA, 'sign(): object value names the key', "'Obj'");
Tap::throws(fn () => IPC\sign(['a' => 'x', 'Signature' => 'abc'], $key), $IA, 'sign(): Signature key is refused', "'Signature'");
Tap::throws(fn () => IPC\sign(['a' => 'x', 'signature' => 'abc'], $key), $IA, 'sign(): lower-case signature key is refused', "'signature'");
Tap::throws(fn () => IPC\sign(['x', 'y'], $key), $IA, 'sign(): a list (int keys) is refused', "'0'");
Tap::throws(fn () => IPC\sign(['Note' => "a\0b"], $key), $IA, 'sign(): NUL byte in a value', "'Note'");
Tap::throws(fn () => IPC\sign(['Note' => "\xff\xfe"], $key), $IA, 'sign(): invalid UTF-8 value', "'Note'");
Tap::throws(fn () => IPC\sign(['A' => '1', 'a' => '2'], $key), $IA, 'sign(): duplicate names (case-insensitive)', "'a'");

// Keys and PEM text.
Tap::throws(fn () => IPC\sign($ok, 'not a pem'), $MI, 'sign(): bad PEM', 'privateKeyPem');
Tap::throws(fn () => IPC\sign($ok, ''), $MI, 'sign(): empty PEM', 'privateKeyPem');
Tap::throws(fn () => IPC\sign($ok, $cert), $MI, 'sign(): a certificate is not a private key', 'privateKeyPem');
Tap::throws(fn () => IPC\sign($ok, "\xff" . $key), $MI, 'sign(): invalid UTF-8 in the PEM', 'UTF-8');
Tap::throws(fn () => IPC\sign($ok, $key . "\0"), $MI, 'sign(): NUL byte in the PEM', 'NUL');
Tap::throws(fn () => IPC\verify_form($signedBody, 'garbage'), $MI, 'verify_form(): bad certificate PEM', 'publicKeyOrCertificatePem');
Tap::throws(fn () => IPC\verify($ok + ['Signature' => 'AAAA'], $key . 'x'), $MI, 'verify(): unparsable key', 'publicKeyOrCertificatePem');

// verify(): malformed per docs/architecture.md ("Verification outcomes").
Tap::throws(fn () => IPC\verify($ok, $cert), $MI, 'verify(): no Signature', 'Signature');
Tap::throws(fn () => IPC\verify($ok + ['Signature' => ''], $cert), $MI, 'verify(): empty Signature', 'Signature');
Tap::throws(fn () => IPC\verify($ok + ['Signature' => 'ab-_cd'], $cert), $MI, 'verify(): URL-safe Signature', 'URL-safe');
Tap::throws(fn () => IPC\verify($ok + ['Signature' => 'ab cd'], $cert), $MI, 'verify(): space in Signature', 'space');
Tap::throws(fn () => IPC\verify($ok + ['Signature' => 'AAAA', 'SIGNATURE' => 'AAAA'], $cert), $MI, 'verify(): duplicate Signature', 'SIGNATURE');
Tap::throws(fn () => IPC\verify(['Amount' => '1', 'AMOUNT' => '1', 'Signature' => 'AAAA'], $cert), $MI, 'verify(): duplicate field', 'AMOUNT');
Tap::throws(fn () => IPC\verify(['Signature' => 'AAAA'], $cert), $MI, 'verify(): nothing besides Signature');
Tap::throws(fn () => IPC\verify([], $cert), $IA, 'verify(): empty array');
Tap::throws(fn () => IPC\verify(['Amount' => 1.0, 'Signature' => 'AAAA'], $cert), $IA, 'verify(): float value names the key', "'Amount'");
Tap::is(IPC\verify($ok + ['Signature' => 'AAAA'], $cert), false, 'verify(): a short signature in the right alphabet is just invalid');

// verify_form() / sign_form(): body syntax.
Tap::throws(fn () => IPC\verify_form("IPCmethod=X&Note=\xff&Signature=AAAA", $cert), $MI, 'verify_form(): invalid UTF-8', 'UTF-8');
Tap::throws(fn () => IPC\verify_form('IPCmethod=X&Note=%zz&Signature=AAAA', $cert), $MI, 'verify_form(): bad percent-encoding');
Tap::throws(fn () => IPC\verify_form('IPCmethod=X&&Signature=AAAA', $cert), $MI, 'verify_form(): empty segment');
Tap::throws(fn () => IPC\verify_form('IPCmethod=X&Note&Signature=AAAA', $cert), $MI, 'verify_form(): name without =');
Tap::throws(fn () => IPC\verify_form('IPCmethod=X&a=1&A=2&Signature=AAAA', $cert), $MI, 'verify_form(): duplicate names', "'A'");
Tap::throws(fn () => IPC\verify_form('', $cert), $MI, 'verify_form(): empty body');
Tap::throws(fn () => IPC\sign_form('', $key), $MI, 'sign_form(): empty body', '$body');
Tap::throws(fn () => IPC\sign_form('a=1&Signature=x', $key), $IA, 'sign_form(): body already signed', 'Signature');
Tap::throws(fn () => IPC\sign_form("a=\xff", $key), $MI, 'sign_form(): invalid UTF-8 body', 'UTF-8');

// Config and builders.
$base = ['sid' => '000000000000010', 'wallet' => '61938166610', 'key_index' => 1,
    'private_key' => data($keys . 'merchant_private.pem'), 'mypos_certificate' => $cert];
Tap::throws(fn () => IPC\Config::fromArray(['sid' => 'x'] + $base), $CE, 'Config::fromArray(): bad sid', 'sid');
Tap::throws(fn () => IPC\Config::fromArray(['colour' => 'red'] + $base), $IA, 'Config::fromArray(): unknown key', "'colour'");
Tap::throws(fn () => IPC\Config::fromArray(['key_index' => '1'] + $base), $IA, 'Config::fromArray(): key_index as string', "'key_index'");
Tap::throws(fn () => IPC\Config::fromArray(['private_key' => 'nope'] + $base), $CE, 'Config::fromArray(): bad private key', 'private_key');
Tap::throws(fn () => IPC\Config::fromArray(['endpoint' => 'http://evil.example/'] + $base), $CE, 'Config::fromArray(): plain-http endpoint', 'endpoint');
Tap::throws(fn () => IPC\Config::fromPack('!!!'), $CE, 'Config::fromPack(): not a pack', '$pack');
Tap::throws(fn () => IPC\config_pack_info(''), $CE, 'config_pack_info(): empty pack', '$pack');
$c = IPC\Config::fromArray($base);
$order = ['order_id' => 'O-1', 'amount' => 100, 'currency' => 'EUR', 'url_ok' => 'https://s.example/ok', 'url_cancel' => 'https://s.example/c', 'url_notify' => 'https://s.example/n', 'cart' => [['article' => 'A', 'quantity' => 1, 'unit_price' => 100]]];
Tap::throws(fn () => $c->purchase(['amount' => '1.00'] + $order), $IA, 'purchase(): amount as string', "'amount'");
Tap::throws(fn () => $c->purchase(['currency' => 'EURO'] + $order), $IA, 'purchase(): bad currency', 'currency');
Tap::throws(fn () => $c->purchase(['url_notify' => 'http://s.example/n'] + $order), $IA, 'purchase(): http notify URL', 'URL_Notify');
Tap::throws(fn () => $c->purchase(array_diff_key($order, ['cart' => 1])), $IA, 'purchase(): missing cart', "'cart'");
Tap::throws(fn () => $c->purchase(['payment_method' => 7] + $order), $IA, 'purchase(): payment_method out of range', "'payment_method'");
Tap::throws(fn () => $c->purchase(['cart' => [['article' => 'A', 'quantity' => -1, 'unit_price' => 1]]] + $order), $IA, 'purchase(): negative quantity', "'quantity'");
Tap::throws(fn () => $c->refund('O-1', 'T1', 100, 'EUR', 'yaml'), $IA, 'refund(): bad output format', 'outputFormat');
Tap::throws(fn () => $c->refund('O-1', 'T1', 0, 'EUR'), $IA, 'refund(): zero amount', 'Amount');
Tap::throws(fn () => $c->request('IPC Bad', ['a' => 1]), $IA, 'request(): bad method name', 'IPCmethod');
Tap::throws(fn () => $c->request('IPCX', ['Signature' => 'x']), $IA, 'request(): Signature param', 'Signature');
Tap::throws(fn () => $c->response('{"Status":0}'), $MI, 'response(): unsigned answer', 'unsigned');
Tap::throws(fn () => $c->response('<<<'), $MI, 'response(): not JSON or XML');
Tap::throws(fn () => $c->response('{}', 'csv'), $IA, 'response(): bad format name', 'outputFormat');
$n = $c->notification(IPC\sign_form('IPCmethod=IPCPurchaseCancel&SID=000000000000010&Amount=1.00&Currency=EUR&OrderID=O-1', $key));
Tap::throws(fn () => $n->decide(['amount' => 100, 'currency' => 'EUR', 'state' => 'lost']), $IA, 'decide(): unknown state', "'state'");
Tap::throws(fn () => $c->refund('O-1', 'T1', '100', 'EUR'), TypeError::class, 'refund(): string amount is a TypeError naming it', 'Argument #3 ($amount) must be of type int, string given');
Tap::throws(fn () => $c->notification(42), TypeError::class, 'notification(): int body is a TypeError', '($rawBody) must be of type string, int given');
Tap::throws(fn () => $n->decide('paid'), TypeError::class, 'decide(): string order is a TypeError', '($order) must be of type array');
Tap::throws(fn () => $c->response('{}', 5), TypeError::class, 'response(): int format is a TypeError', '($format)');
Tap::throws(fn () => IPC\Config::fromPack(null), TypeError::class, 'Config::fromPack(): null pack is a TypeError', '($pack)');
Tap::throws(fn () => $c->getTxnStatus('O-1', ''), $IA, 'getTxnStatus(): empty output format', 'outputFormat');
Tap::throws(fn () => $n->decide(['amount' => 100, 'state' => 'pending']), $IA, 'decide(): missing currency', "'currency'");

Tap::finish();
