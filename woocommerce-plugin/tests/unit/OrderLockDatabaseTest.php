<?php

// phpcs:ignoreFile -- tests.
namespace MyPOS\IPC\WooCommerce\Tests;

/**
 * OrderLock against a real MariaDB (a private server on a Unix socket, no TCP port): two
 * worker processes that overlap in time hold the same order's lock one after the other, and a
 * worker that cannot get it within its timeout reports so. Skipped when mariadbd or mysqli
 * is not installed.
 */
final class OrderLockDatabaseTest extends TestCase
{
    private static ?string $dir = null;
    /** @var resource|null */
    private static $server = null;

    public static function setUpBeforeClass(): void
    {
        if (!is_executable('/usr/sbin/mariadbd') || !is_executable('/usr/bin/mariadb-install-db')) {
            return;
        }
        self::$dir = sys_get_temp_dir() . '/mypos-ipc-lock-' . getmypid();
        @mkdir(self::$dir, 0700, true);
        exec('/usr/bin/mariadb-install-db --no-defaults --user=' . escapeshellarg(get_current_user() === 'root' ? 'root' : (string) get_current_user())
            . ' --datadir=' . escapeshellarg(self::$dir . '/data') . ' --auth-root-authentication-method=normal --skip-test-db > '
            . escapeshellarg(self::$dir . '/install.log') . ' 2>&1', $out, $rc);
        if ($rc !== 0) {
            self::$dir = null;
            return;
        }
        self::$server = proc_open([
            '/usr/sbin/mariadbd', '--no-defaults', '--datadir=' . self::$dir . '/data', '--socket=' . self::$dir . '/sock',
            '--skip-networking', '--user=root', '--pid-file=' . self::$dir . '/pid', '--skip-grant-tables', '--log-error=' . self::$dir . '/err.log',
        ], [1 => ['file', '/dev/null', 'a'], 2 => ['file', '/dev/null', 'a']], $pipes);
        for ($i = 0; $i < 100 && !file_exists(self::$dir . '/sock'); $i++) {
            usleep(100000);
        }
    }

    public static function tearDownAfterClass(): void
    {
        if (is_resource(self::$server)) {
            proc_terminate(self::$server, 15);
            proc_close(self::$server);
        }
        if (self::$dir !== null) {
            exec('rm -rf ' . escapeshellarg(self::$dir));
        }
    }

    private function requireDatabase(): void
    {
        if (!extension_loaded('mysqli')) {
            $this->markTestSkipped('php mysqli is not loaded (scripts/install-deps.sh wordpress)');
        }
        if (self::$dir === null || !file_exists(self::$dir . '/sock')) {
            $this->markTestSkipped('MariaDB is not installed or did not start (scripts/install-deps.sh wordpress)');
        }
    }

    /** @return list<resource> */
    private function startWorkers(array $specs, int $gapMs = 0): array
    {
        $procs = [];
        $this->pipes = [];
        foreach ($specs as [$order, $hold, $timeout]) {
            $procs[] = proc_open([PHP_BINARY, __DIR__ . '/../db/lock-worker.php', self::$dir . '/sock', $order, (string) $hold, (string) $timeout],
                [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
            $this->pipes[] = $pipes;
            usleep($gapMs * 1000);
        }
        return $procs;
    }

    private array $pipes = [];

    private function results(array $procs): array
    {
        $out = [];
        foreach ($procs as $i => $p) {
            $text = stream_get_contents($this->pipes[$i][1]) . stream_get_contents($this->pipes[$i][2]);
            proc_close($p);
            $this->assertMatchesRegularExpression('/^start=\d+ acquired=\d+ released=\d+ got=[01]$/', trim($text), $text);
            preg_match_all('/(\w+)=(\d+)/', $text, $m);
            $out[] = array_map('intval', array_combine($m[1], $m[2]));
        }
        return $out;
    }

    public function testOverlappingWorkersTakeTheLockOneAfterTheOther(): void
    {
        $this->requireDatabase();
        $r = $this->results($this->startWorkers([['7', 300, 10], ['7', 300, 10]]));
        $this->assertSame([1, 1], [$r[0]['got'], $r[1]['got']]);
        usort($r, fn ($a, $b) => $a['acquired'] <=> $b['acquired']);
        // Both asked before the first let go (they really overlapped)...
        $this->assertLessThan($r[0]['released'], $r[1]['start'], 'the workers did not overlap; the test proves nothing');
        // ...yet the second only got the lock after the first released it.
        $this->assertGreaterThanOrEqual($r[0]['released'], $r[1]['acquired']);
    }

    public function testOtherOrdersAreNotBlockedAndTimeoutIsReported(): void
    {
        $this->requireDatabase();
        $r = $this->results($this->startWorkers([['8', 1500, 10], ['9', 0, 1]], 300));
        $this->assertLessThan($r[0]['released'], $r[1]['released'], 'order 9 did not wait for order 8');
        $r = $this->results($this->startWorkers([['10', 2500, 10], ['10', 0, 1]], 300));
        usort($r, fn ($a, $b) => $b['got'] <=> $a['got']);
        $this->assertSame([1, 0], [$r[0]['got'], $r[1]['got']], 'a worker that cannot get the lock within its timeout says so');
    }
}
