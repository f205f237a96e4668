<?php

// No secret reaches var_dump, print_r, var_export, serialize, json_encode, exception messages or
// traces (run with -d zend.exception_ignore_args=0, so traces would carry arguments).
declare(strict_types=1);

require __DIR__ . '/tap.php';

use MyPOS\IPC;

$key = data('keys/merchant_private.pem');
$cert = data('keys/mypos_cert.pem');
$pack = json_decode(data('vectors/rsa2048/config_pack.json'), true)['base64'];
// Distinctive pieces of the secrets: a line from the middle of the key, and of the pack.
$keyLines = explode("\n", trim($key));
$needles = [$keyLines[5], $keyLines[count($keyLines) - 3], substr($pack, 200, 40), 'PRIVATE KEY'];

function leaks(string $text, array $needles): ?string
{
    foreach ($needles as $n) {
        if (str_contains($text, $n)) {
            return $n;
        }
    }
    return null;
}

function dumped(mixed $v): string
{
    ob_start();
    var_dump($v);
    $out = ob_get_clean();
    return $out . print_r($v, true) . var_export($v, true) . (string) json_encode($v);
}

Tap::is(ini_get('zend.exception_ignore_args'), '0', 'tests run with zend.exception_ignore_args=0');
function control(string $secret): never
{
    throw new RuntimeException('control');
}
try {
    control('visible');
} catch (RuntimeException $e) {
    Tap::ok(str_contains($e->getTraceAsString(), 'visible'), 'control: a user function trace shows its arguments');
}

$config = IPC\Config::fromArray(['sid' => '000000000000010', 'wallet' => '61938166610', 'key_index' => 1, 'private_key' => $key, 'mypos_certificate' => $cert]);
$fromPack = IPC\Config::fromPack($pack);
foreach (['fromArray' => $config, 'fromPack' => $fromPack] as $how => $obj) {
    $out = dumped($obj);
    Tap::is(leaks($out, $needles), null, "Config::$how: var_dump/print_r/var_export/json_encode show no secret");
    Tap::is(get_object_vars($obj), [], "Config::$how: no PHP properties");
    Tap::is((array) $obj, [], "Config::$how: array cast is empty");
    Tap::throws(fn () => serialize($obj), Exception::class, "Config::$how: serialize() is refused", 'not allowed');
}
$req = $config->purchase(['order_id' => 'O-1', 'amount' => 100, 'currency' => 'EUR', 'url_ok' => 'https://s.example/ok', 'url_cancel' => 'https://s.example/c', 'url_notify' => 'https://s.example/n', 'cart' => [['article' => 'A', 'quantity' => 1, 'unit_price' => 100]]]);
Tap::is(leaks(dumped($req) . $req->htmlForm() . $req->body(), $needles), null, 'Request: dumps and output show no secret');
Tap::throws(fn () => unserialize('O:16:"MyPOS\IPC\Config":0:{}'), Exception::class, 'unserialize() of a Config is refused');

/** Runs $fn, which must throw; returns everything the throwable exposes. */
function exposed(callable $fn): string
{
    try {
        $fn();
    } catch (Throwable $e) {
        // Frames of the extension's own functions, in full (closures of this test are skipped:
        // print_r() of a closure shows the variables it captured).
        $ours = array_filter($e->getTrace(), fn ($f) => str_starts_with(($f['class'] ?? '') . $f['function'], 'MyPOS\\IPC\\'));
        $text = get_class($e) . $e->getMessage() . $e->getTraceAsString() . print_r($ours, true) . (string) $e;
        if ($ours === []) {
            return 'NO FRAME OF THE EXTENSION IN THE TRACE';
        }
        for ($p = $e->getPrevious(); $p; $p = $p->getPrevious()) {
            $text .= (string) $p;
        }
        return $text;
    }
    return 'NO EXCEPTION';
}

$cases = [
    'sign() with an empty array' => fn () => IPC\sign([], $key),
    'sign() with a Signature key' => fn () => IPC\sign(['a' => '1', 'Signature' => 'x'], $key),
    'sign() TypeError on fields' => fn () => IPC\sign('not-an-array', $key),
    'sign_form() with a bad body' => fn () => IPC\sign_form('a=%zz', $key),
    'sign_form() TypeError on body' => fn () => IPC\sign_form([], $key),
    'Config::fromArray() with a bad sid' => fn () => IPC\Config::fromArray(['sid' => 'bad', 'wallet' => '61938166610', 'key_index' => 1, 'private_key' => $key, 'mypos_certificate' => $cert]),
    'Config::fromArray() with a bad type' => fn () => IPC\Config::fromArray(['sid' => 1, 'private_key' => $key]),
    'Config::fromPack() with a bad endpoint' => fn () => IPC\Config::fromPack($pack, 'http://evil.example/'),
    'Config::fromPack() TypeError on endpoint' => fn () => IPC\Config::fromPack($pack, []),
    'config_pack_info() TypeError' => fn () => IPC\config_pack_info($pack, 'extra', []),
    'config_pack_info() with a bad pack' => fn () => IPC\config_pack_info(substr($pack, 0, 300)),
    'config_pack_parts() with a bad pack' => fn () => IPC\config_pack_parts(substr($pack, 0, 300)),
    'sign() with a truncated key' => fn () => IPC\sign(['a' => '1'], substr($key, 0, 900)),
    'Config::fromArray() with a truncated key' => fn () => IPC\Config::fromArray(['sid' => '000000000000010', 'wallet' => '61938166610', 'key_index' => 1, 'private_key' => substr($key, 0, 900), 'mypos_certificate' => $cert]),
    'Config::fromArray() with the key as certificate' => fn () => IPC\Config::fromArray(['sid' => '000000000000010', 'wallet' => '61938166610', 'key_index' => 1, 'private_key' => $key, 'mypos_certificate' => $key]),
];
foreach ($cases as $name => $fn) {
    $text = exposed($fn);
    Tap::ok($text !== 'NO EXCEPTION' && leaks($text, $needles) === null, "$name: the exception and its trace show no secret", leaks($text, $needles) ?? $text);
}
// Every parameter that carries a key or a pack is marked #[\SensitiveParameter].
$marked = [
    ['MyPOS\IPC\sign', 'privateKeyPem'], ['MyPOS\IPC\sign_form', 'privateKeyPem'],
    ['MyPOS\IPC\config_pack_info', 'pack'], ['MyPOS\IPC\config_pack_parts', 'pack'], [[IPC\Config::class, 'fromPack'], 'pack'],
    [[IPC\Config::class, 'fromArray'], 'options'],
];
foreach ($marked as [$fn, $param]) {
    $r = is_array($fn) ? new ReflectionMethod($fn[0], $fn[1]) : new ReflectionFunction($fn);
    $names = [];
    foreach ($r->getParameters() as $p) {
        if ($p->getName() === $param) {
            $names = array_map(fn ($a) => $a->getName(), $p->getAttributes());
        }
    }
    $label = is_array($fn) ? implode('::', $fn) : $fn;
    Tap::is($names, ['SensitiveParameter'], "$label(\$$param) is #[\\SensitiveParameter]");
}
// The trace keeps a placeholder instead of the value.
try {
    IPC\sign([], $key);
} catch (IPC\InvalidArgumentException $e) {
    $arg = $e->getTrace()[0]['args'][1] ?? null;
    Tap::ok($arg instanceof SensitiveParameterValue, 'sign(): $privateKeyPem in the trace is a SensitiveParameterValue');
}

Tap::finish();
