<?php

// phpcs:ignoreFile -- tests.
namespace MyPOS\IPC\WooCommerce\Tests;

use MyPOS\IPC\WooCommerce\InstallAdvice;
use MyPOS\IPC\WooCommerce\Notices;

/** The notice that tells the owner what to install when the extension is missing or too old. */
final class InstallAdviceTest extends TestCase
{
    public function testDebianFpmGetsThePackageAndItsCommand(): void
    {
        $advice = new InstallAdvice('8.2.36', 'fpm-fcgi', false, 'x86_64', true, '/usr/lib/php/20220829', '/etc/php/8.2/fpm/conf.d', '0.1.0');
        $this->assertSame('php8.2-mypos-ipc', $advice->debianPackage());
        $this->assertSame('sudo apt-get install ./php8.2-mypos-ipc_0.1.0-1_amd64.deb', $advice->command());
        $text = $advice->text();
        $this->assertStringContainsString('This site runs PHP 8.2.36 (SAPI fpm-fcgi, NTS, x86_64).', $text);
        $this->assertStringContainsString('Install the Debian package php8.2-mypos-ipc (same release as this plug-in): sudo apt-get install ./php8.2-mypos-ipc_0.1.0-1_amd64.deb; then restart PHP-FPM (sudo systemctl restart php8.2-fpm).', $text);
        $this->assertStringContainsString('refused by PHP', $text);
    }

    public function testOtherPhpGetsTheArtifactNamedAfterIt(): void
    {
        $advice = new InstallAdvice('8.3.14', 'apache2handler', true, 'aarch64', false, '/opt/php/lib/extensions/', '/opt/php/etc/conf.d', '0.1.0');
        $this->assertNull($advice->debianPackage());
        $this->assertSame('mypos_ipc-0.1.0-php8.3-zts-aarch64.so', $advice->artifact());
        $this->assertSame(
            'sudo install -m 0644 mypos_ipc-0.1.0-php8.3-zts-aarch64.so /opt/php/lib/extensions/mypos_ipc.so && echo extension=mypos_ipc.so | sudo tee -a /opt/php/etc/conf.d/20-mypos_ipc.ini',
            $advice->command()
        );
        $text = $advice->text();
        $this->assertStringContainsString('PHP 8.3.14 (SAPI apache2handler, ZTS, aarch64)', $text);
        $this->assertStringContainsString('Install the build for this PHP, mypos_ipc-0.1.0-php8.3-zts-aarch64.so (same release as this plug-in): sudo install', $text);
        $this->assertStringContainsString('then restart Apache (sudo systemctl restart apache2)', $text);
        $this->assertStringNotContainsString('apt-get', $text);
    }

    public function testThreadSafeDebianPhpHasNoPackage(): void
    {
        // scripts/deb.sh builds the package only for Debian's own (NTS) PHP.
        $advice = new InstallAdvice('8.2.36', 'fpm-fcgi', true, 'x86_64', true, '/usr/lib/php/20220829-zts', '', '0.1.0');
        $this->assertNull($advice->debianPackage());
        $this->assertStringEndsWith('| sudo tee -a php.ini', $advice->command(), 'no scan directory: php.ini');
        $this->assertStringContainsString('mypos_ipc-0.1.0-php8.2-zts-x86_64.so', $advice->text());
    }

    public function testTheRunningPhpIsDescribedAsItIs(): void
    {
        $advice = InstallAdvice::forThisServer();
        $minor = PHP_MAJOR_VERSION . '.' . PHP_MINOR_VERSION;
        $this->assertSame($minor, $advice->phpMinor());
        $this->assertSame(PHP_ZTS ? 'zts' : 'nts', $advice->threadSafety());
        $this->assertSame(sprintf('mypos_ipc-%s-php%s-%s-%s.so', \MyPOS\IPC\WooCommerce\Plugin::VERSION, $minor, PHP_ZTS ? 'zts' : 'nts', php_uname('m')), $advice->artifact());
        $this->assertStringContainsString('PHP ' . PHP_VERSION . ' (SAPI ' . PHP_SAPI . ', ', $advice->text());
        if ($advice->debianPackage() === null) {
            $this->assertStringContainsString(rtrim((string) ini_get('extension_dir'), '/') . '/mypos_ipc.so', $advice->command());
        } else {
            $this->assertStringStartsWith('sudo apt-get install ./' . $advice->debianPackage() . '_', $advice->command());
        }
    }

    public function testTheNoticeSaysWhyAndWhatToInstall(): void
    {
        $advice = new InstallAdvice('8.4.1', 'fpm-fcgi', false, 'x86_64', false, '/usr/local/lib/php/extensions/no-debug-non-zts-20240924', '/usr/local/etc/php/conf.d', '0.1.0');
        $notice = Notices::extensionMissing('the PHP extension mypos_ipc is version 0.0.9; 0.1.0 or newer is required', $advice);
        $this->assertSame('error', $notice['level']);
        $this->assertStringStartsWith('myPOS IPC payments are unavailable: the PHP extension mypos_ipc is version 0.0.9; 0.1.0 or newer is required. This site runs PHP 8.4.1 (SAPI fpm-fcgi, NTS, x86_64).', $notice['text']);
        $this->assertStringContainsString('mypos_ipc-0.1.0-php8.4-nts-x86_64.so', $notice['text']);
        $this->assertStringContainsString('/usr/local/etc/php/conf.d/20-mypos_ipc.ini; then restart PHP-FPM.', $notice['text']);
    }

    public function testWithoutTheExtensionTheGatewayIsHiddenAndTheNoticeSaysWhatToInstall(): void
    {
        // A PHP without the extension (-n), the stand-ins and the plug-in's classes.
        $dir = dirname(__DIR__, 2);
        $script = 'foreach (["wordpress", "blocks", "wc-caches", "host"] as $s) { require ' . var_export($dir . '/tests/stubs/', true) . ' . $s . ".php"; }'
            . 'require ' . var_export($dir . '/includes/autoload.php', true) . ';'
            . 'Stub::$options["woocommerce_mypos_ipc_settings"] = ["enabled" => "yes"];'
            . '$blocks = new MyPOS\IPC\WooCommerce\BlocksSupport("x"); $blocks->initialize();'
            . 'echo json_encode(['
            . '"notices" => MyPOS\IPC\WooCommerce\Notices::collect(new MyPOS\IPC\WooCommerce\Settings(), true),'
            . '"gateways" => (new MyPOS\IPC\WooCommerce\Plugin("x"))->registerGateway([]),'
            . '"block" => $blocks->is_active()]);';
        exec(escapeshellarg(PHP_BINARY) . ' -n -r ' . escapeshellarg($script) . ' 2>&1', $out, $rc);
        $this->assertSame(0, $rc, implode("\n", $out));
        $got = json_decode(implode("\n", $out), true);
        $this->assertSame([], $got['gateways'], 'not offered in the classic checkout');
        $this->assertFalse($got['block'], 'nor in the Checkout block');
        $this->assertCount(1, $got['notices']);
        $this->assertSame('error', $got['notices'][0]['level']);
        $text = $got['notices'][0]['text'];
        $this->assertStringStartsWith('myPOS IPC payments are unavailable: the PHP extension mypos_ipc is not loaded. This site runs PHP ' . PHP_VERSION . ' (SAPI cli, ', $text);
        $advice = InstallAdvice::forThisServer();
        $this->assertStringContainsString($advice->debianPackage() ?? $advice->artifact(), $text);
        $this->assertStringContainsString($advice->command(), $text);
    }
}
