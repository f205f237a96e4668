<?php

// MyPOS\IPC\BUILD_TARGET and PHP_API name the PHP that runs the extension, and phpinfo() shows them.
declare(strict_types=1);
require __DIR__ . '/tap.php';

$want = sprintf('php%d.%d-%s-%s', PHP_MAJOR_VERSION, PHP_MINOR_VERSION, PHP_ZTS ? 'zts' : 'nts', php_uname('m'));
Tap::is(\MyPOS\IPC\BUILD_TARGET, $want, 'BUILD_TARGET matches the running PHP');

ob_start();
phpinfo(INFO_GENERAL | INFO_MODULES);
$info = ob_get_clean();
preg_match('/^PHP API => (\d+)$/m', $info, $m);
Tap::is(\MyPOS\IPC\PHP_API, (int) ($m[1] ?? -1), 'PHP_API matches the running PHP API (phpinfo)');
Tap::ok(str_contains($info, 'Build target => ' . $want), 'phpinfo() shows the build target');
Tap::ok(str_contains($info, 'Built for PHP API => ' . \MyPOS\IPC\PHP_API), 'phpinfo() shows the PHP API');
Tap::ok(str_contains($info, 'Version => ' . \MyPOS\IPC\VERSION), 'phpinfo() shows the version');
Tap::finish();
