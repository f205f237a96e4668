<?php

// Verifying a myPOS notification three ways, in one run:
//   ext          MyPOS\IPC\verify_form() (key parsed once and cached by the extension)
//   sdk-style    plain PHP as the myPOS SDK does it: parse the certificate on every request,
//                rebuild the concatenation, openssl_verify()
//   php-cached   best-effort plain PHP: certificate parsed once (OpenSSLAsymmetricKey kept)
// Plus signing: MyPOS\IPC\sign() against openssl_sign() with the key parsed each time / once.
// Usage: php -n -d extension=target/release/libmypos_ipc.so php-ext/bench/bench.php [seconds]
// MYPOS_BENCH_SMOKE=1 runs each case once (the smoke run in make test).
declare(strict_types=1);

if (!extension_loaded('mypos_ipc') || !extension_loaded('openssl')) {
    fwrite(STDERR, "bench.php needs the mypos_ipc and openssl extensions\n");
    exit(2);
}

$data = dirname(__DIR__, 2) . '/tests/data';
$read = static function (string $rel) use ($data): string {
    $t = file_get_contents("$data/$rel");
    if ($t === false) {
        fwrite(STDERR, "cannot read $data/$rel\n");
        exit(2);
    }
    return $t;
};
$cert = $read('test-keys/simulated-mypos-cert.pem');
$privateKey = $read('test-keys/merchant-sim-private-key.pem');
$vectors = json_decode($read('vectors/incoming-notifications.json'), true)['vectors'];
$body = null;
foreach ($vectors as $v) {
    if ($v['id'] === 'notify-valid') {
        $body = $v['raw_body'];
    }
}
$smoke = getenv('MYPOS_BENCH_SMOKE') === '1';
$seconds = $smoke ? 0.0 : (float) ($argv[1] ?? 1.0);

// The SDK's way (Mypos\IPC\Response::verifySignature): $_POST-style array, Signature removed,
// values joined with '-', base64, openssl_verify with a freshly parsed certificate.
function sdk_style(string $body, string $cert): bool
{
    parse_str($body, $post);
    $signature = $post['Signature'];
    unset($post['Signature']);
    $concData = base64_encode(implode('-', $post));
    $pubKeyId = openssl_get_publickey($cert);
    return openssl_verify($concData, base64_decode($signature), $pubKeyId, OPENSSL_ALGO_SHA256) === 1;
}

function php_cached(string $body, OpenSSLAsymmetricKey $key): bool
{
    parse_str($body, $post);
    $signature = $post['Signature'];
    unset($post['Signature']);
    return openssl_verify(base64_encode(implode('-', $post)), base64_decode($signature), $key, OPENSSL_ALGO_SHA256) === 1;
}

$fields = ['IPCmethod' => 'IPCPurchase', 'SID' => '000000000000010', 'Amount' => '23.45', 'Currency' => 'EUR', 'OrderID' => 'ORDER-0001'];
$parsedCert = openssl_pkey_get_public($cert);
$parsedKey = openssl_pkey_get_private($privateKey);
$cases = [
    'verify notify: ext verify_form()' => fn () => MyPOS\IPC\verify_form($body, $cert),
    'verify notify: sdk-style PHP (parse cert each time)' => fn () => sdk_style($body, $cert),
    'verify notify: PHP, cert parsed once' => fn () => php_cached($body, $parsedCert),
    'sign request: ext sign()' => fn () => MyPOS\IPC\sign($fields, $privateKey) !== '',
    'sign request: PHP openssl_sign (parse key each time)' => fn () => openssl_sign(base64_encode(implode('-', $fields)), $s, openssl_pkey_get_private($privateKey), OPENSSL_ALGO_SHA256),
    'sign request: PHP openssl_sign, key parsed once' => fn () => openssl_sign(base64_encode(implode('-', $fields)), $s, $parsedKey, OPENSSL_ALGO_SHA256),
];

$results = [];
foreach ($cases as $name => $fn) {
    if ($fn() !== true) {
        fwrite(STDERR, "case '$name' did not succeed\n");
        exit(1);
    }
    $n = 0;
    $start = hrtime(true);
    do {
        $fn();
        $n++;
        $elapsed = (hrtime(true) - $start) / 1e9;
    } while ($elapsed < $seconds);
    $results[$name] = $n / max($elapsed, 1e-9);
}

$baseVerify = $results['verify notify: sdk-style PHP (parse cert each time)'];
$baseSign = $results['sign request: PHP openssl_sign (parse key each time)'];
printf("%-55s %12s %10s\n", 'case', 'ops/s', 'vs SDK');
foreach ($results as $name => $ops) {
    $base = str_starts_with($name, 'verify') ? $baseVerify : $baseSign;
    printf("%-55s %12.0f %9.2fx\n", $name, $ops, $ops / $base);
}
printf("(%s, %s%s)\n", PHP_VERSION, OPENSSL_VERSION_TEXT, $smoke ? ', smoke run: 1 iteration each' : ", {$seconds}s per case");
