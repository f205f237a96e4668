<?php

/**
 * A read/write-splitting db.php drop-in, as HyperDB or LudicrousDB set one up (tests/scale):
 * SELECT and SHOW go to the replica on the Unix socket MYPOS_DB_REPLICA (environment) until
 * send_reads_to_masters() is called; everything else goes to DB_HOST, the primary. Without
 * MYPOS_DB_REPLICA, WordPress makes its usual wpdb.
 */

// phpcs:ignoreFile -- test fixture, WordPress naming.

if (!getenv('MYPOS_DB_REPLICA')) {
    return;
}

final class Mypos_Split_WPDB extends wpdb
{
    /** @var mysqli|null */
    private $primary = null;
    /** @var mysqli|null */
    private $replica = null;
    private bool $readsToPrimary = false;

    public function db_connect($allow_bail = true)
    {
        $connected = parent::db_connect($allow_bail);
        $this->primary = $this->dbh;
        $replica = mysqli_init();
        if ($replica && @mysqli_real_connect($replica, 'localhost', DB_USER, DB_PASSWORD, DB_NAME, null, (string) getenv('MYPOS_DB_REPLICA'))) {
            mysqli_set_charset($replica, $this->charset ?: 'utf8mb4');
            $this->replica = $replica;
        }
        return $connected;
    }

    /** As HyperDB: from now on every read of this request goes to the primary. */
    public function send_reads_to_masters(): void
    {
        $this->readsToPrimary = true;
    }

    public function query($query)
    {
        $read = !$this->readsToPrimary && preg_match('/^\s*(SELECT|SHOW)\b/i', (string) $query);
        if ($read && $this->replica !== null) {
            $this->dbh = $this->replica;
        }
        try {
            return parent::query($query);
        } finally {
            if ($this->primary !== null) {
                $this->dbh = $this->primary;
            }
        }
    }
}

$wpdb = new Mypos_Split_WPDB(DB_USER, DB_PASSWORD, DB_NAME, DB_HOST);
