<?php

// phpcs:ignoreFile -- tests.
namespace MyPOS\IPC\WooCommerce\Tests;

use MyPOS\IPC\WooCommerce\MessageClaims;

/**
 * Issue 17: the message gate against a real MariaDB (a private server on a Unix socket), two
 * connections standing for two workers: the table made on the first write, one message applied
 * per order at a time, other orders free, a released message claimed again, a gate left by a
 * dead worker taken over. Skipped when mariadbd or mysqli is not installed.
 */
final class MessageClaimsDatabaseTest extends TestCase
{
    private static ?string $dir = null;
    /** @var resource|null */
    private static $server = null;
    private $saved;

    public static function setUpBeforeClass(): void
    {
        if (!is_executable('/usr/sbin/mariadbd') || !is_executable('/usr/bin/mariadb-install-db') || !extension_loaded('mysqli')) {
            return;
        }
        self::$dir = sys_get_temp_dir() . '/mypos-ipc-claims-' . getmypid();
        @mkdir(self::$dir, 0700, true);
        exec('/usr/bin/mariadb-install-db --no-defaults --user=' . escapeshellarg((string) get_current_user())
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

    protected function setUp(): void
    {
        parent::setUp();
        $this->saved = $GLOBALS['wpdb'];
        if (self::$dir === null || !file_exists(self::$dir . '/sock')) {
            $this->markTestSkipped('MariaDB or php mysqli is not installed, or mariadbd did not start (scripts/install-deps.sh wordpress)');
        }
    }

    protected function tearDown(): void
    {
        $GLOBALS['wpdb'] = $this->saved;
        parent::tearDown();
    }

    /** A mysqli-backed $wpdb with what MessageClaims uses (wpdb's return values and last_error). */
    private static function worker(): object
    {
        $db = new \mysqli('localhost', 'root', '', '', 0, self::$dir . '/sock');
        $db->query('CREATE DATABASE IF NOT EXISTS claims');
        $db->select_db('claims');
        return new class ($db) {
            public string $prefix = 'wp_';
            public string $last_error = '';
            public int $rows_affected = 0;
            public function __construct(private \mysqli $db) {}
            public function prepare(string $query, ...$args): string
            {
                $i = 0;
                return (string) preg_replace_callback('/%[sd]/', function (array $m) use (&$i, $args) {
                    $v = $args[$i++];
                    return $m[0] === '%d' ? (string) (int) $v : "'" . $this->db->real_escape_string((string) $v) . "'";
                }, $query);
            }
            public function suppress_errors(bool $s = true): bool { return false; }
            public function query(string $q)
            {
                $this->last_error = '';
                try {
                    $ok = $this->db->query($q);
                } catch (\mysqli_sql_exception $e) {
                    $ok = false;
                }
                if ($ok === false) {
                    $this->last_error = $this->db->error;
                    return false;
                }
                return $this->rows_affected = $this->db->affected_rows;
            }
            public function run(string $q): void { $this->db->query($q); }
        };
    }

    private static function as(object $worker, callable $do)
    {
        $GLOBALS['wpdb'] = $worker;
        return $do(new MessageClaims());
    }

    public function testOneMessagePerOrderAtATimeAcrossConnections(): void
    {
        $a = self::worker();
        $b = self::worker();
        $a->run('DROP TABLE IF EXISTS wp_mypos_ipc_messages');
        $notify = ['5', '700005', 'IPCPurchaseNotify'];
        $this->assertSame(MessageClaims::CLAIMED, self::as($a, fn ($c) => $c->claim(5, ...$notify)), 'the table is made by the first claim');
        $this->assertSame(MessageClaims::HELD, self::as($b, fn ($c) => $c->claim(5, ...$notify)), 'the same message elsewhere');
        $this->assertSame(MessageClaims::HELD, self::as($b, fn ($c) => $c->claim(5, '5', '', 'IPCPurchaseRollback')), 'another message of the order');
        $this->assertSame(MessageClaims::CLAIMED, self::as($b, fn ($c) => $c->claim(6, '6', '700006', 'IPCPurchaseNotify')), 'another order is free');
        self::as($b, fn ($c) => $c->release(6, '6', '700006', 'IPCPurchaseNotify', 'done'));
        self::as($a, fn ($c) => $c->release(5, ...[...$notify, 'done']));
        $this->assertSame(MessageClaims::CLAIMED, self::as($b, fn ($c) => $c->claim(5, ...$notify)), 'the duplicate gets its row back');
        $this->assertSame(MessageClaims::HELD, self::as($a, fn ($c) => $c->claim(5, '5', '', 'IPCPurchaseRollback')));
        self::as($b, fn ($c) => $c->release(5, ...[...$notify, 'failed']));
        $this->assertSame(MessageClaims::CLAIMED, self::as($a, fn ($c) => $c->claim(5, '5', '', 'IPCPurchaseRollback')));
        self::as($a, fn ($c) => $c->release(5, '5', '', 'IPCPurchaseRollback', 'done'));
    }

    public function testAGateLeftByADeadWorkerIsTakenOver(): void
    {
        $a = self::worker();
        $b = self::worker();
        $this->assertSame(MessageClaims::CLAIMED, self::as($a, fn ($c) => $c->claim(7, '7', '700007', 'IPCPurchaseNotify')));
        // Worker A dies: its gate stays. Fresh, it holds; older than STALE_SECONDS, it is taken over.
        $this->assertSame(MessageClaims::HELD, self::as($b, fn ($c) => $c->claim(7, '7', '700007', 'IPCPurchaseNotify')));
        $a->run('UPDATE wp_mypos_ipc_messages SET updated = updated - ' . (MessageClaims::STALE_SECONDS + 5) . ' WHERE order_id = 7');
        $this->assertSame(MessageClaims::HELD, self::as($b, fn ($c) => $c->claim(7, '7', '700007', 'IPCPurchaseNotify')), 'taken over, claimed on the next try');
        $this->assertSame(MessageClaims::CLAIMED, self::as($b, fn ($c) => $c->claim(7, '7', '700007', 'IPCPurchaseNotify')));
    }

    public function testOtherDatabaseErrorsAreFailuresWithTheReason(): void
    {
        $a = self::worker();
        $a->run('DROP TABLE IF EXISTS wp_mypos_ipc_messages');
        $a->run('CREATE TABLE wp_mypos_ipc_messages (id int)'); // a table of that name without the columns
        $claims = null;
        $result = self::as($a, function ($c) use (&$claims) { $claims = $c; return $c->claim(8, '8', '1', 'IPCPurchaseNotify'); });
        $this->assertSame(MessageClaims::FAILED, $result);
        $this->assertStringContainsString("database error: Unknown column 'order_id'", $claims->problem());
        $a->run('DROP TABLE wp_mypos_ipc_messages');
    }
}
