<?php

// phpcs:ignoreFile -- test server.
/**
 * A tiny stand-in for myPOS's server-to-server API on 127.0.0.1 (port 0 = a free port).
 * Prints "listening on http://127.0.0.1:PORT" first; stops on SIGTERM, after 200 requests or
 * after 60 s without one. Checks the merchant signature of every request (verify_form with
 * the merchant certificate) and answers IPCRefund with a signed JSON answer: success while
 * the refunds stay within the payment amount (MYPOS_STANDIN_PAID, default 24.45), else
 * Status 9; IPCGetTxnStatus with Status 0 and no OrderStatus. Unsigned requests get Status 2,
 * unknown methods Status 10.
 * Usage: php -d extension=... mypos-standin.php MERCHANT_CERT MYPOS_PRIVATE_KEY
 */

[$self, $certFile, $keyFile] = $argv + [null, null, null];
$cert = (string) file_get_contents((string) $certFile);
$key = (string) file_get_contents((string) $keyFile);
$paid = (int) round(((float) (getenv('MYPOS_STANDIN_PAID') ?: '24.45')) * 100);
$refunded = [];

$server = stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr);
if ($server === false) {
    fwrite(STDERR, "cannot listen: $errstr\n");
    exit(1);
}
echo 'listening on http://' . stream_socket_get_name($server, false) . "\n";
flush();

$answer = static function (array $fields) use ($key): string {
    $fields['Signature'] = \MyPOS\IPC\sign($fields, $key);
    return (string) json_encode($fields);
};

for ($served = 0; $served < 200; $served++) {
    $conn = @stream_socket_accept($server, 60);
    if ($conn === false) {
        break;
    }
    stream_set_timeout($conn, 5);
    $head = '';
    while (!str_contains($head, "\r\n\r\n") && !feof($conn) && strlen($head) < 65536) {
        $head .= (string) fread($conn, 1);
    }
    $length = preg_match('/^content-length:\s*(\d+)/im', $head, $m) ? (int) $m[1] : 0;
    $body = '';
    while (strlen($body) < min($length, 1 << 20) && !feof($conn)) {
        $body .= (string) fread($conn, $length - strlen($body));
    }
    parse_str($body, $form);
    try {
        $signed = \MyPOS\IPC\verify_form($body, $cert);
    } catch (\MyPOS\IPC\Exception $e) {
        $signed = false;
    }
    $method = (string) ($form['IPCmethod'] ?? '');
    if (!$signed) {
        $reply = $answer(['IPCMethod' => $method, 'Status' => '2', 'StatusMsg' => 'Invalid signature']);
    } elseif ($method === 'IPCRefund') {
        $trnref = (string) ($form['IPC_Trnref'] ?? '');
        $amount = (int) round(((float) ($form['Amount'] ?? '0')) * 100);
        $done = $refunded[$trnref] ?? 0;
        if ($done + $amount > $paid) {
            $reply = $answer(['IPCMethod' => 'IPCRefund', 'SID' => (string) ($form['SID'] ?? ''), 'Status' => '9', 'StatusMsg' => 'Refund amount exceeds the remaining amount']);
        } else {
            $refunded[$trnref] = $done + $amount;
            $reply = $answer(['IPCMethod' => 'IPCRefund', 'SID' => (string) ($form['SID'] ?? ''), 'Amount' => (string) $form['Amount'], 'Currency' => (string) $form['Currency'], 'IPC_Trnref' => $trnref, 'Status' => '0', 'StatusMsg' => 'Success']);
        }
    } elseif ($method === 'IPCGetTxnStatus') {
        $reply = $answer(['IPCMethod' => 'IPCGetTxnStatus', 'OrderID' => (string) ($form['OrderID'] ?? ''), 'Status' => '0', 'StatusMsg' => 'Success']);
    } else {
        $reply = $answer(['IPCMethod' => $method, 'Status' => '10', 'StatusMsg' => 'Unsupported method']);
    }
    fwrite($conn, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " . strlen($reply) . "\r\nConnection: close\r\n\r\n" . $reply);
    fclose($conn);
}
