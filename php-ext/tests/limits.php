<?php

// The input limits (MyPOS\IPC\MAX_*, the core's ipc::limits) at and just past each limit, and
// the duplicate rule. Times are not asserted (`make bench` measures the worst case).
declare(strict_types=1);

require __DIR__ . '/tap.php';

use MyPOS\IPC;

$keys = 'keys/';
$myposKey = data($keys . 'mypos_private.pem');
$cert = data($keys . 'mypos_cert.pem');
$config = IPC\Config::fromArray([
    'sid' => '000000000000010', 'wallet' => '61938166610', 'key_index' => 1,
    'private_key' => data($keys . 'merchant_private.pem'), 'mypos_certificate' => $cert,
]);
$MI = IPC\MalformedInputException::class;
$IA = IPC\InvalidArgumentException::class;
$notify = 'IPCmethod=IPCPurchaseNotify&SID=000000000000010&Amount=23.45&Currency=EUR'
    . '&OrderID=ORDER-1&IPC_Trnref=410227';

/** $count fields with distinct names and empty values: f1=&f2=&... */
function fields_body(int $count): string
{
    return implode('&', array_map(fn ($i) => "f$i=", range(1, $count)));
}

/**
 * $body plus a filler field, signed, with exactly $len bytes. The urlencoded Signature's length
 * varies (%2B, %2F), so this pads for a likely length and changes a counter in the padding (a
 * new signature each time) until the Signature has that length.
 */
function signed_of_len(string $body, int $len, string $key): string
{
    $first = IPC\sign_form($body . '&Data=', $key);
    $sig = strlen($first) - strpos($first, '&Signature=') - strlen('&Signature=');
    $fixed = strlen($first) - $sig;
    for ($i = 0; $i < 5000; $i++) {
        $pad = $len - $fixed - ($sig - 2 + 2 * ($i % 3));
        $filler = str_repeat('a', $pad - 8) . sprintf('%08d', intdiv($i, 3));
        try {
            $signed = IPC\sign_form("$body&Data=$filler", $key);
        } catch (IPC\MalformedInputException) {
            continue; // one byte too many for the limit: try the next counter
        }
        if (strlen($signed) === $len) {
            return $signed;
        }
    }
    throw new RuntimeException("no signature gave exactly $len bytes");
}

Tap::is([IPC\MAX_BODY_BYTES, IPC\MAX_FIELDS, IPC\MAX_FIELD_NAME_BYTES], [1048576, 4096, 64], 'the limits: 1 MiB, 4096 fields, 64-byte names');

// Fields: MAX_FIELDS with Signature verify; one more is refused naming the limit.
$signed = IPC\sign_form(fields_body(IPC\MAX_FIELDS - 1), $myposKey);
Tap::is(IPC\verify_form($signed, $cert), true, 'verify_form(): MAX_FIELDS fields (Signature included) verify');
Tap::throws(fn () => IPC\sign_form(fields_body(IPC\MAX_FIELDS), $myposKey), $MI, 'sign_form(): a body that would pass MAX_FIELDS once signed', 'more than 4096 (the limit)');
$over = fields_body(IPC\MAX_FIELDS) . '&Signature=AAAA';
Tap::throws(fn () => IPC\verify_form($over, $cert), $MI, 'verify_form(): MAX_FIELDS + 1 fields', 'verify_form(): $body: malformed body: body has more than 4096 fields (the limit)');
Tap::throws(fn () => $config->notification($over), $MI, 'notification(): MAX_FIELDS + 1 fields', 'more than 4096 fields (the limit)');
// The body of issue 13 (108,000 empty fields, 13 s before the limits): refused as too many.
$issue = implode('&', array_map(fn ($i) => "a$i=", range(0, 107999))) . '&Signature=AAAA';
Tap::throws(fn () => $config->notification($issue), $MI, 'notification(): 108000 fields are too many fields', 'more than 4096 fields (the limit)');
Tap::throws(fn () => IPC\verify_form($issue, $cert), $MI, 'verify_form(): 108000 fields are too many fields', 'more than 4096 fields (the limit)');

// Field arrays (verify(), sign()) follow the same limits.
$array = [];
for ($i = 1; $i <= IPC\MAX_FIELDS; $i++) {
    $array["f$i"] = '';
}
Tap::throws(fn () => IPC\verify($array + ['Signature' => 'AAAA'], $cert), $MI, 'verify(): MAX_FIELDS + 1 array entries', 'more than 4096 fields (the limit)');
Tap::is(IPC\verify(array_slice($array, 0, IPC\MAX_FIELDS - 1) + ['Signature' => 'AAAA'], $cert), false, 'verify(): MAX_FIELDS entries reach the RSA check');
Tap::throws(fn () => IPC\sign([str_repeat('N', 65) => '1'], $myposKey), $IA, 'sign(): a 65-byte name', 'longer than 64 bytes (the limit)');
Tap::ok(strlen(IPC\sign([str_repeat('N', 64) => '1'], $myposKey)) > 100, 'sign(): a 64-byte name signs');

// Names: 64 bytes verify, 65 are refused naming the limit and the position.
$n64 = str_repeat('N', IPC\MAX_FIELD_NAME_BYTES);
$signed = IPC\sign_form("$notify&$n64=x", $myposKey);
Tap::is($config->notification($signed)->get($n64), 'x', 'notification(): a 64-byte name is read');
$n65 = $n64 . 'N';
Tap::throws(fn () => $config->notification("$notify&$n65=x&Signature=AAAA"), $MI, 'notification(): a 65-byte name', 'field name at position 7 is longer than 64 bytes (the limit)');

// Bytes: exactly MAX_BODY_BYTES verify and decide; one more is refused naming the limit.
$exact = signed_of_len($notify, IPC\MAX_BODY_BYTES, $myposKey);
Tap::is(strlen($exact), IPC\MAX_BODY_BYTES, 'the padded body has exactly MAX_BODY_BYTES');
Tap::is($config->notification($exact)->orderId(), 'ORDER-1', 'notification(): a body of MAX_BODY_BYTES verifies');
Tap::is(IPC\verify_form($exact, $cert), true, 'verify_form(): a body of MAX_BODY_BYTES verifies');
Tap::throws(fn () => $config->notification($exact . 'a'), $MI, 'notification(): MAX_BODY_BYTES + 1', 'body has 1048577 bytes; at most 1048576 are accepted');

// Duplicates in any letter case, anywhere.
Tap::throws(fn () => IPC\verify_form('Amount=1&b=2&AMOUNT=3&Signature=AAAA', $cert), $MI, 'verify_form(): duplicate in another case', "duplicate field 'AMOUNT'");
Tap::throws(fn () => IPC\verify(['Amount' => '1', 'amount' => '2', 'Signature' => 'AAAA'], $cert), $MI, 'verify(): duplicate array keys in another case', "'amount'");
Tap::throws(fn () => IPC\verify_form(fields_body(IPC\MAX_FIELDS - 2) . '&F1=&Signature=AAAA', $cert), $MI, 'verify_form(): a duplicate at the far end of a full body', "duplicate field 'F1'");

Tap::finish();
