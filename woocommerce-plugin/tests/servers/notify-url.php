<?php

// phpcs:ignoreFile -- test server.
/**
 * Plays what answers at a shop's notify URL for NotifyCheck (one line of the usage each):
 *   plugin       the plug-in itself: the body goes through the real NotifyHandler (the stand-ins,
 *                the extension and the test pack), its answer is sent alone
 *   noisy        the plug-in's answer with a theme's or plug-in's output around it
 *   basic-auth   HTTP 401 with a WWW-Authenticate header (a password-protected staging site)
 *   login        302 to wp-login.php (a "private site" or membership plug-in)
 *   maintenance  503 with a maintenance page
 * Each request's raw body is appended (base64, one a line) to FILE. Stops on SIGTERM, after 20
 * requests or 30 s idle. Usage: php -d extension=... notify-url.php MODE FILE
 */

require __DIR__ . '/http-server.php';

[, $mode, $file] = $argv + [1 => '', 2 => '/dev/null'];
if ($mode === 'plugin' || $mode === 'noisy') {
    require __DIR__ . '/../stubs/wordpress.php';
    require __DIR__ . '/../../includes/autoload.php';
    $pack = json_decode((string) file_get_contents(__DIR__ . '/../../../tests/data/vectors/rsa2048/config_pack.json'), true)['base64'];
    Stub::reset();
    Stub::$options[MyPOS\IPC\WooCommerce\Settings::OPTION] = [
        'enabled' => 'yes', 'testmode' => 'yes', 'test_config_pack' => MyPOS\IPC\WooCommerce\SecretBox::seal($pack),
    ];
}
serve_http(static function (string $body) use ($mode, $file): array {
    file_put_contents($file, base64_encode($body) . "\n", FILE_APPEND | LOCK_EX);
    switch ($mode) {
        case 'plugin':
        case 'noisy':
            $handler = new MyPOS\IPC\WooCommerce\NotifyHandler(
                new MyPOS\IPC\WooCommerce\Settings(),
                new MyPOS\IPC\WooCommerce\OrderLock(),
                new MyPOS\IPC\WooCommerce\Log('error')
            );
            $answer = (new MyPOS\IPC\WooCommerce\NotifyEndpoint(fn () => $handler, fn () => new MyPOS\IPC\WooCommerce\Log()))->answer($body, '');
            $text = $mode === 'noisy' ? "\n<!-- theme -->\n" . $answer->body . "\n" : $answer->body;
            return [$answer->status, 'text/plain; charset=utf-8', $text];
        case 'basic-auth':
            return [401, 'text/html', '<html><title>401 Authorization Required</title></html>', "WWW-Authenticate: Basic realm=\"staging\"\r\n"];
        case 'login':
            return [302, 'text/html', '', "Location: https://shop.test/wp-login.php?redirect_to=%2F%3Fwc-api%3Dmypos_ipc\r\n"];
        case 'maintenance':
            return [503, 'text/html', "<!DOCTYPE html><html><head><title>Briefly unavailable for scheduled maintenance</title></head>\n<body><h1>Maintenance mode</h1><p>Check back in a minute.</p></body></html>", "Retry-After: 600\r\n"];
    }
    return [500, 'text/plain', "unknown mode $mode"];
}, 20, 30);
