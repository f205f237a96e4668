<?php

// phpcs:ignoreFile -- test server helper.
/**
 * The one HTTP loop the stand-in servers share. Binds 127.0.0.1:0 (a free port), prints
 * "listening on http://127.0.0.1:PORT" first, then serves one request at a time until
 * $maxRequests were served or none came for $idleSeconds. SIGTERM stops it (PHP's default).
 * $handle gets the raw body and returns [status, content type, body(, more header lines)], or
 * null to close the connection without answering.
 */
function serve_http(callable $handle, int $maxRequests, int $idleSeconds): void
{
    $server = stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr);
    if ($server === false) {
        fwrite(STDERR, "cannot listen: $errstr\n");
        exit(1);
    }
    echo 'listening on http://' . stream_socket_get_name($server, false) . "\n";
    flush();
    for ($served = 0; $served < $maxRequests; $served++) {
        $conn = @stream_socket_accept($server, $idleSeconds);
        if ($conn === false) {
            break;
        }
        stream_set_timeout($conn, 5);
        $head = '';
        while (!str_contains($head, "\r\n\r\n") && !feof($conn) && strlen($head) < 65536) {
            $head .= (string) fread($conn, 1);
        }
        $length = preg_match('/^content-length:\s*(\d+)/im', $head, $m) ? min((int) $m[1], 1 << 20) : 0;
        $body = '';
        while (strlen($body) < $length && !feof($conn)) {
            $body .= (string) fread($conn, $length - strlen($body));
        }
        $reply = $handle($body);
        if ($reply !== null) {
            [$status, $type, $text] = $reply;
            $extra = (string) ($reply[3] ?? ''); // more header lines, each ending in \r\n
            fwrite($conn, "HTTP/1.1 $status " . ($status === 200 ? 'OK' : 'Error') . "\r\nContent-Type: $type\r\n"
                . $extra . 'Content-Length: ' . strlen($text) . "\r\nConnection: close\r\n\r\n" . $text);
        }
        fclose($conn);
    }
}
