<?php

// phpcs:ignoreFile -- test server.
/**
 * Plays the shop's notify URL for the sandbox: appends each raw request body (one base64 line)
 * to FILE and answers 200 "OK". Stops on SIGTERM, after 50 requests or 60 s idle.
 * Usage: php notify-recorder.php FILE
 */

require __DIR__ . '/http-server.php';

$file = $argv[1] ?? '';
if ($file === '') {
    fwrite(STDERR, "usage: notify-recorder.php FILE\n");
    exit(1);
}
serve_http(static function (string $body) use ($file): array {
    file_put_contents($file, base64_encode($body) . "\n", FILE_APPEND | LOCK_EX);
    return [200, 'text/plain', 'OK'];
}, 50, 60);
