<?php

// phpcs:ignoreFile -- test server.
/**
 * Plays the shop's notify URL for the sandbox on 127.0.0.1 (port 0 = a free port): appends
 * each raw request body (one base64 line) to FILE and answers 200 "OK". Prints
 * "listening on http://127.0.0.1:PORT" first; stops on SIGTERM, after 50 requests or 60 s idle.
 * Usage: php notify-recorder.php FILE
 */

$file = $argv[1] ?? '';
$server = stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr);
if ($server === false || $file === '') {
    fwrite(STDERR, "cannot listen: $errstr\n");
    exit(1);
}
echo 'listening on http://' . stream_socket_get_name($server, false) . "\n";
flush();
for ($served = 0; $served < 50; $served++) {
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
    file_put_contents($file, base64_encode($body) . "\n", FILE_APPEND | LOCK_EX);
    fwrite($conn, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\nOK");
    fclose($conn);
}
