<?php

// phpcs:ignoreFile -- test server.
/**
 * A tiny stand-in for myPOS's server-to-server API (see http-server.php for the loop). Stops on
 * SIGTERM, after 200 requests or after 60 s without one. Checks the merchant signature of every
 * request (verify_form with the merchant certificate) and answers IPCRefund with a signed JSON
 * answer: success while the refunds stay within the payment amount (MYPOS_STANDIN_PAID, default
 * 24.45), else Status 9; IPCGetTxnStatus with Status 0 and no OrderStatus. Unsigned requests get
 * Status 2, unknown methods Status 10. IPCSignatureVerify gets Status MYPOS_STANDIN_STATUS (default 0).
 * Answers are JSON, or signed XML when the request asks for OutputFormat xml (as IPCSignatureVerify does).
 * MYPOS_STANDIN_FAULT makes it misbehave instead: hang (answers nothing for 10 s, then closes),
 * garbage (200 with an HTML page), unsigned (a JSON answer claiming success, no Signature),
 * badsig (a success answer whose signature does not match), otheramount (a signed success answer
 * echoing Amount 99.99 whatever was asked), http500 (500 Internal Server Error).
 * Usage: php -d extension=... mypos-standin.php MERCHANT_CERT MYPOS_PRIVATE_KEY
 */

require __DIR__ . '/http-server.php';

[$self, $certFile, $keyFile] = $argv + [null, null, null];
$cert = (string) file_get_contents((string) $certFile);
$key = (string) file_get_contents((string) $keyFile);
$paid = \MyPOS\IPC\parse_amount(getenv('MYPOS_STANDIN_PAID') ?: '24.45', 'EUR');
$fault = (string) getenv('MYPOS_STANDIN_FAULT');
$verifyStatus = (string) (getenv('MYPOS_STANDIN_STATUS') ?: '0');
$refunded = [];

$xml = false;
$signed = static function (array $fields) use ($key, &$xml): string {
    $fields['Signature'] = \MyPOS\IPC\sign($fields, $key);
    if (!$xml) {
        return (string) json_encode($fields);
    }
    $out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<IPC_response>";
    foreach ($fields as $name => $value) {
        $out .= '<' . $name . '>' . htmlspecialchars((string) $value, ENT_XML1) . '</' . $name . '>';
    }
    return $out . '</IPC_response>';
};

serve_http(static function (string $body) use ($cert, $paid, $fault, $signed, $verifyStatus, &$refunded, &$xml): ?array {
    parse_str($body, $form);
    $xml = strtolower((string) ($form['OutputFormat'] ?? 'json')) === 'xml';
    $type = $xml ? 'application/xml' : 'application/json';
    $method = (string) ($form['IPCmethod'] ?? '');
    $success = ['IPCMethod' => $method, 'OrderID' => (string) ($form['OrderID'] ?? ''), 'Amount' => (string) ($form['Amount'] ?? ''), 'Currency' => (string) ($form['Currency'] ?? ''), 'IPC_Trnref' => (string) ($form['IPC_Trnref'] ?? ''), 'Status' => '0', 'StatusMsg' => 'Success'];
    switch ($fault) {
        case 'hang':
            sleep(10);
            return null;
        case 'garbage':
            return [200, 'text/html', '<html><body>Service temporarily unavailable</body></html>'];
        case 'unsigned':
            return [200, 'application/json', (string) json_encode($success)];
        case 'badsig':
            return [200, 'application/json', str_replace('"Status":"9"', '"Status":"0"', $signed(['Status' => '9'] + $success))];
        case 'otheramount':
            // Signed correctly, Status 0, but for another amount than the request's.
            return [200, 'application/json', $signed(['Amount' => '99.99'] + $success)];
        case 'http500':
            return [500, 'text/html', 'Internal Server Error'];
    }
    try {
        $verified = \MyPOS\IPC\verify_form($body, $cert);
    } catch (\MyPOS\IPC\Exception $e) {
        $verified = false;
    }
    if (!$verified) {
        return [200, $type, $signed(['IPCMethod' => $method, 'Status' => '2', 'StatusMsg' => 'Invalid signature'])];
    }
    if ($method === 'IPCRefund') {
        $trnref = (string) ($form['IPC_Trnref'] ?? '');
        $amount = \MyPOS\IPC\parse_amount((string) ($form['Amount'] ?? '0'), (string) ($form['Currency'] ?? 'EUR'));
        $done = $refunded[$trnref] ?? 0;
        if ($done + $amount > $paid) {
            return [200, $type, $signed(['IPCMethod' => 'IPCRefund', 'SID' => (string) ($form['SID'] ?? ''), 'Status' => '9', 'StatusMsg' => 'Refund amount exceeds the remaining amount'])];
        }
        $refunded[$trnref] = $done + $amount;
        return [200, $type, $signed(['IPCMethod' => 'IPCRefund', 'SID' => (string) ($form['SID'] ?? ''), 'Amount' => (string) $form['Amount'], 'Currency' => (string) $form['Currency'], 'IPC_Trnref' => $trnref, 'Status' => '0', 'StatusMsg' => 'Success'])];
    }
    if ($method === 'IPCSignatureVerify') {
        return [200, $type, $signed(['IPCmethod' => 'IPCSignatureVerify', 'Status' => $verifyStatus, 'StatusMsg' => $verifyStatus === '0' ? 'Success' : 'Store restricted'])];
    }
    if ($method === 'IPCGetTxnStatus') {
        return [200, $type, $signed(['IPCMethod' => 'IPCGetTxnStatus', 'OrderID' => (string) ($form['OrderID'] ?? ''), 'Status' => '0', 'StatusMsg' => 'Success'])];
    }
    return [200, $type, $signed(['IPCMethod' => $method, 'Status' => '10', 'StatusMsg' => 'Unsupported method'])];
}, 200, 60);
