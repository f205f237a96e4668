<?php

// phpcs:ignoreFile -- test server.
/**
 * Plays the shop's notify URL for the sandbox: appends each raw request body (one base64 line)
 * to FILE and answers 200 "OK", or, for the first requests, the HTTP statuses listed in
 * ANSWERS (e.g. "500,500": the shop failed twice, so myPOS rolls back and retries).
 * Stops on SIGTERM, after 50 requests or 60 s idle.
 * Usage: php notify-recorder.php FILE [ANSWERS]
 */

require __DIR__ . '/http-server.php';

$file = $argv[1] ?? '';
if ($file === '') {
    fwrite(STDERR, "usage: notify-recorder.php FILE\n");
    exit(1);
}
$failures = array_values(array_filter(explode(',', $argv[2] ?? ''), 'strlen'));
serve_http(static function (string $body) use ($file, &$failures): array {
    file_put_contents($file, base64_encode($body) . "\n", FILE_APPEND | LOCK_EX);
    $status = (int) (array_shift($failures) ?? 200);
    return [$status, 'text/plain', $status === 200 ? 'OK' : 'NOT OK'];
}, 50, 60);
