<?php

// phpcs:ignoreFile -- tests.
namespace MyPOS\IPC\WooCommerce\Tests;

use MyPOS\IPC\WooCommerce\DatabaseSession;

/**
 * Issue 17: the notify's reads see every committed write, behind a read/write-splitting drop-in
 * (send_reads_to_masters()) and on Galera (causal reads).
 */
final class DatabaseSessionTest extends TestCase
{
    private $saved;

    protected function setUp(): void
    {
        parent::setUp();
        $this->saved = $GLOBALS['wpdb'];
    }

    protected function tearDown(): void
    {
        $GLOBALS['wpdb'] = $this->saved;
        parent::tearDown();
    }

    /** A connection as a drop-in gives it: records what it is asked. */
    private static function connection(?string $wsrepOn, bool $splitting): object
    {
        $base = new class ($wsrepOn) {
            public array $sent = [];
            public string $last_error = '';
            public function __construct(private ?string $wsrepOn) {}
            public function get_var(string $q) { $this->sent[] = $q; if ($this->wsrepOn === null) { $this->last_error = "Unknown system variable 'wsrep_on'"; } return $this->wsrepOn; }
            public function query(string $q) { $this->sent[] = $q; return true; }
            public function suppress_errors(bool $s = true): bool { $this->sent[] = 'suppress:' . ($s ? 1 : 0); return false; }
        };
        if (!$splitting) {
            return $base;
        }
        return new class ($wsrepOn) {
            public array $sent = [];
            public string $last_error = '';
            public function __construct(private ?string $wsrepOn) {}
            public function send_reads_to_masters(): void { $this->sent[] = 'send_reads_to_masters'; }
            public function get_var(string $q) { $this->sent[] = $q; return $this->wsrepOn; }
            public function query(string $q) { $this->sent[] = $q; return true; }
        };
    }

    public function testGaleraBehindADropInGetsPrimaryAndCausalReads(): void
    {
        $GLOBALS['wpdb'] = $db = self::connection('1', true);
        DatabaseSession::readYourWrites();
        $this->assertSame(['send_reads_to_masters', 'SELECT @@wsrep_on', 'SET SESSION wsrep_sync_wait = 1'], $db->sent);
    }

    public function testOneMariaDbServerIsLeftAlone(): void
    {
        $GLOBALS['wpdb'] = $db = self::connection('0', false);
        DatabaseSession::readYourWrites();
        $this->assertSame(['suppress:1', 'SELECT @@wsrep_on', 'suppress:0'], $db->sent);
    }

    /** MySQL has no wsrep_on: the failed probe is silent and leaves no error behind. */
    public function testMysqlWithoutTheVariableLeavesNoError(): void
    {
        $GLOBALS['wpdb'] = $db = self::connection(null, false);
        DatabaseSession::readYourWrites();
        $this->assertNotContains('SET SESSION wsrep_sync_wait = 1', $db->sent);
        $this->assertSame('', $db->last_error);
    }
}
