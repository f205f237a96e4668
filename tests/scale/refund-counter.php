<?php

// phpcs:ignoreFile -- test server.
// myPOS's API for the scale suite's refund race (a php -S router): every request is appended to
// the file REFUND_COUNTER_LOG ("IPCmethod OrderID Amount") and, after 300 ms (myPOS takes a while,
// so a second refund arrives meanwhile), answered with a signed success echoing the request.
$f = $_POST;
file_put_contents((string) getenv('REFUND_COUNTER_LOG'), sprintf("%s %s %s\n", $f['IPCmethod'] ?? '?', $f['OrderID'] ?? '', $f['Amount'] ?? ''), FILE_APPEND | LOCK_EX);
usleep(300000);
$answer = ['IPCMethod' => 'IPCRefund', 'SID' => (string) ($f['SID'] ?? ''), 'OrderID' => (string) ($f['OrderID'] ?? ''),
    'Amount' => (string) ($f['Amount'] ?? ''), 'Currency' => (string) ($f['Currency'] ?? ''), 'IPC_Trnref' => '900001',
    'Status' => '0', 'StatusMsg' => 'Success'];
$answer['Signature'] = \MyPOS\IPC\sign($answer, (string) file_get_contents((string) getenv('MYPOS_KEY')));
header('Content-Type: application/json');
echo json_encode($answer);
