<?php

// Writes the notify bodies the load test sends, one urlencoded body per line, into OUT_DIR:
// valid.txt (one signed IPCPurchaseNotify per paid order), duplicate.txt (the same, reversed),
// and three forgeries for every order: bad-signature.txt (one signature byte flipped),
// tampered-amount.txt (Amount changed after signing), other-signature.txt (another order's
// Signature). Orders on stdin, one per line: "ORDER_ID AMOUNT TRNREF pay|untouched".
// Usage: php -d extension=libmypos_ipc.so bodies.php MYPOS_KEY.pem SID OUT_DIR < orders
declare(strict_types=1);

[, $keyFile, $sid, $out] = $argv;
$key = (string) file_get_contents($keyFile);
$signed = $pay = [];
foreach (file('php://stdin', FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES) as $line) {
    [$id, $amount, $trnref, $role] = explode(' ', $line);
    $body = http_build_query([
        'IPCmethod' => 'IPCPurchaseNotify', 'SID' => $sid, 'Amount' => $amount, 'Currency' => 'EUR',
        'OrderID' => $id, 'IPC_Trnref' => $trnref, 'RequestSTAN' => '083107', 'RequestDateTime' => '2026-11-23 10:15:00',
    ]);
    $signed[] = MyPOS\IPC\sign_form($body, $key);
    if ($role === 'pay') {
        $pay[] = end($signed);
    }
}

/** [body without Signature, Signature value] */
function split_signature(string $body): array
{
    $at = strrpos($body, '&Signature=');
    return [substr($body, 0, $at), rawurldecode(substr($body, $at + 11))];
}

$bad = $tampered = $other = [];
foreach ($signed as $n => $body) {
    [$fields, $signature] = split_signature($body);
    $raw = base64_decode($signature, true);
    $raw[10] = chr(ord($raw[10]) ^ 1);
    $bad[] = $fields . '&Signature=' . rawurlencode(base64_encode($raw));
    $tampered[] = preg_replace_callback('/&Amount=([0-9.]+)/', fn ($m) => '&Amount=' . sprintf('%.2f', (float) $m[1] - 0.01), $body);
    $other[] = $fields . '&Signature=' . rawurlencode(split_signature($signed[($n + 1) % count($signed)])[1]);
}
$write = fn (string $name, array $lines) => file_put_contents("$out/$name.txt", implode("\n", $lines) . "\n");
$write('valid', $pay);
$write('duplicate', array_reverse($pay));
$write('bad-signature', $bad);
$write('tampered-amount', $tampered);
$write('other-signature', $other);
