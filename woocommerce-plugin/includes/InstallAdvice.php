<?php

namespace MyPOS\IPC\WooCommerce;

/**
 * What the owner must install when the mypos_ipc extension is missing or too old: this server's
 * PHP (version, SAPI, thread safety), the build that fits it and the command that installs it.
 * PHP refuses to load an extension built for another PHP API or thread safety, and then it looks
 * exactly like a missing one, so the advice always names the fitting build.
 *
 * Build names follow `make dist`: the Debian package php<major.minor>-mypos-ipc (scripts/deb.sh,
 * Debian's NTS PHP only) and otherwise mypos_ipc-<version>-php<major.minor>-<nts|zts>-<arch>.so
 * (scripts/ext-artifact.sh).
 */
final class InstallAdvice
{
    /** dpkg's names for the machine names uname gives (the .deb file carries dpkg's). */
    private const DEB_ARCH = ['x86_64' => 'amd64', 'aarch64' => 'arm64', 'i686' => 'i386', 'i386' => 'i386',
        'armv7l' => 'armhf', 'ppc64le' => 'ppc64el', 's390x' => 's390x', 'riscv64' => 'riscv64'];

    /**
     * @param string $phpVersion PHP_VERSION, e.g. 8.2.36
     * @param string $sapi PHP_SAPI, e.g. fpm-fcgi
     * @param bool $zts thread-safe PHP (PHP_ZTS)
     * @param string $arch machine name (php_uname('m')), e.g. x86_64
     * @param bool $debianPhp Debian's packaged PHP (extensions in /usr/lib/php/<api>, /etc/debian_version)
     * @param string $extensionDir where PHP looks for extensions (extension_dir)
     * @param string $scanDir the directory PHP reads extra .ini files from, '' if none
     * @param string $version the extension version that ships with this plug-in
     */
    public function __construct(
        private string $phpVersion,
        private string $sapi,
        private bool $zts,
        private string $arch,
        private bool $debianPhp,
        private string $extensionDir,
        private string $scanDir,
        private string $version = Plugin::VERSION
    ) {
    }

    /** The advice for the PHP running this request. */
    public static function forThisServer(): self
    {
        $extensionDir = (string) ini_get('extension_dir');
        return new self(
            PHP_VERSION,
            PHP_SAPI,
            (bool) PHP_ZTS,
            php_uname('m'),
            is_file('/etc/debian_version') && str_starts_with($extensionDir, '/usr/lib/php/'),
            $extensionDir,
            defined('PHP_CONFIG_FILE_SCAN_DIR') ? (string) PHP_CONFIG_FILE_SCAN_DIR : ''
        );
    }

    /** major.minor of the running PHP, e.g. 8.2. */
    public function phpMinor(): string
    {
        return implode('.', array_slice(explode('.', $this->phpVersion), 0, 2));
    }

    public function threadSafety(): string
    {
        return $this->zts ? 'zts' : 'nts';
    }

    /** The Debian package that fits, or null when this PHP is not Debian's (NTS) PHP. */
    public function debianPackage(): ?string
    {
        return $this->debianPhp && !$this->zts ? 'php' . $this->phpMinor() . '-mypos-ipc' : null;
    }

    /** The extension file of `make dist` that fits this PHP. */
    public function artifact(): string
    {
        return sprintf(
            'mypos_ipc-%s-php%s-%s-%s.so',
            $this->version,
            $this->phpMinor(),
            $this->threadSafety(),
            $this->arch
        );
    }

    /** The shell command that installs the fitting build. */
    public function command(): string
    {
        $package = $this->debianPackage();
        if ($package !== null) {
            $arch = self::DEB_ARCH[$this->arch] ?? $this->arch;
            return sprintf('sudo apt-get install ./%s_%s-1_%s.deb', $package, $this->version, $arch);
        }
        $ini = $this->scanDir !== '' ? rtrim($this->scanDir, '/') . '/20-mypos_ipc.ini' : 'php.ini';
        return sprintf(
            'sudo install -m 0644 %s %s/mypos_ipc.so && echo extension=mypos_ipc.so | sudo tee -a %s',
            $this->artifact(),
            rtrim($this->extensionDir, '/'),
            $ini
        );
    }

    /** How the running PHP picks up the extension after the install. */
    private function restart(): string
    {
        $minor = $this->phpMinor();
        return match (true) {
            $this->sapi === 'fpm-fcgi' && $this->debianPhp => sprintf(
                /* translators: %s: a command, e.g. sudo systemctl restart php8.2-fpm */
                __('then restart PHP-FPM (%s)', 'mypos-ipc'),
                'sudo systemctl restart php' . $minor . '-fpm'
            ),
            $this->sapi === 'fpm-fcgi' => __('then restart PHP-FPM', 'mypos-ipc'),
            str_starts_with($this->sapi, 'apache2') => sprintf(
                /* translators: %s: a command, e.g. sudo systemctl restart apache2 */
                __('then restart Apache (%s)', 'mypos-ipc'),
                'sudo systemctl restart apache2'
            ),
            default => __('then restart the web server that runs PHP', 'mypos-ipc'),
        };
    }

    /** One paragraph for the admin notice: this PHP, the build that fits it, the command. */
    public function text(): string
    {
        $server = sprintf(
            /* translators: 1: PHP version (8.2.36), 2: SAPI (fpm-fcgi), 3: NTS or ZTS, 4: machine (x86_64) */
            __('This site runs PHP %1$s (SAPI %2$s, %3$s, %4$s).', 'mypos-ipc'),
            $this->phpVersion,
            $this->sapi,
            strtoupper($this->threadSafety()),
            $this->arch
        );
        $package = $this->debianPackage();
        $fits = $package !== null
            ? sprintf(
                /* translators: 1: Debian package (php8.2-mypos-ipc), 2: shell command, 3: what to restart */
                __('Install the Debian package %1$s (same release as this plug-in): %2$s; %3$s.', 'mypos-ipc'),
                $package,
                $this->command(),
                $this->restart()
            )
            : sprintf(
                /* translators: 1: extension file name, 2: shell command, 3: what to restart */
                __('Install the build for this PHP, %1$s (same release as this plug-in): %2$s; %3$s.', 'mypos-ipc'),
                $this->artifact(),
                $this->command(),
                $this->restart()
            );
        $refused = __(
            'An extension built for another PHP version or thread safety is refused by PHP and looks missing here.',
            'mypos-ipc'
        );
        return $server . ' ' . $fits . ' ' . $refused;
    }
}
