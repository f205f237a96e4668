<?php

namespace MyPOS\IPC\WooCommerce;

/**
 * The gate in front of every order change a myPOS message makes, kept in the table
 * {prefix}mypos_ipc_messages: one row per message (attempt OrderID, IPC_Trnref, method; unique)
 * with its last outcome. While a worker applies a message its row has `gate` = 1, and the
 * unique key (order_id, gate) admits one such row per order: an INSERT or UPDATE that would
 * make a second one fails with a duplicate key, on one server, on the primary of a replicated
 * database and across a Galera cluster (where the loser's commit fails certification). MySQL
 * lets a unique key hold many NULLs, so finished rows (gate NULL) never collide.
 *
 * Unlike GET_LOCK (refused by Galera, local to one server, and sent to a replica by a
 * read/write-splitting drop-in), the gate is a plain committed write: it holds wherever writes
 * are consistent. A worker that died while holding it leaves a row older than STALE_SECONDS,
 * which the next worker takes over.
 */
final class MessageClaims
{
    public const TABLE = 'mypos_ipc_messages';
    /** claim(): this worker holds the order's gate for the message. */
    public const CLAIMED = 'claimed';
    /** claim(): another worker is applying a message to the same order (or the same message). */
    public const HELD = 'held';
    /** claim(): the database refused for another reason; problem() says which. */
    public const FAILED = 'failed';
    /** A gate held this long belongs to a worker that is gone (the notify path takes seconds). */
    public const STALE_SECONDS = 30;
    /** MySQL/MariaDB errors after which the same statement may simply be sent again. */
    private const RETRYABLE = [1205, 1213, 1047, 1180];

    private string $problem = '';

    public static function table(): string
    {
        global $wpdb;
        return $wpdb->prefix . self::TABLE;
    }

    /** The table's definition (also usable with dbDelta()). */
    public static function schema(): string
    {
        global $wpdb;
        $charset = method_exists($wpdb, 'get_charset_collate') ? ' ' . $wpdb->get_charset_collate() : '';
        return 'CREATE TABLE IF NOT EXISTS ' . self::table() . " (
  id bigint(20) unsigned NOT NULL AUTO_INCREMENT,
  order_id bigint(20) unsigned NOT NULL,
  ipc_order_id varchar(100) NOT NULL,
  trnref varchar(64) NOT NULL DEFAULT '',
  method varchar(32) NOT NULL,
  state varchar(16) NOT NULL,
  gate tinyint(1) DEFAULT NULL,
  created int(10) unsigned NOT NULL,
  updated int(10) unsigned NOT NULL,
  PRIMARY KEY  (id),
  UNIQUE KEY message (ipc_order_id,trnref,method),
  UNIQUE KEY gate (order_id,gate)
){$charset}";
    }

    /** Why the last claim() failed, for the log (no message content). */
    public function problem(): string
    {
        return $this->problem;
    }

    /**
     * Takes the gate of WooCommerce order $orderId for one message: a new message's row is
     * inserted, a message seen before gets its row back (a retry after a failure, or a
     * duplicate, which the core then finds recorded). One of CLAIMED, HELD, FAILED.
     */
    public function claim(int $orderId, string $ipcOrderId, string $trnref, string $method): string
    {
        global $wpdb;
        $this->problem = '';
        $now = time();
        $insert = $wpdb->prepare(
            'INSERT INTO ' . self::table() . ' (order_id, ipc_order_id, trnref, method, state, gate, created, updated)'
            . " VALUES (%d, %s, %s, %s, 'applying', 1, %d, %d)",
            $orderId,
            $ipcOrderId,
            $trnref,
            $method,
            $now,
            $now
        );
        $result = $this->send($insert);
        if ($result === self::CLAIMED || $result === self::FAILED) {
            return $result;
        }
        // Duplicate key: the message has a row already, or another message holds the gate.
        $reclaim = $wpdb->prepare(
            'UPDATE ' . self::table() . " SET gate = 1, state = 'applying', updated = %d"
            . ' WHERE ipc_order_id = %s AND trnref = %s AND method = %s AND gate IS NULL',
            $now,
            $ipcOrderId,
            $trnref,
            $method
        );
        $result = $this->send($reclaim);
        if ($result === self::CLAIMED && (int) $wpdb->rows_affected === 0) {
            $result = self::HELD; // the message itself is being applied by another worker
        }
        if ($result === self::HELD) {
            $this->takeOverStale($orderId, $now);
        }
        return $result;
    }

    /** Opens the gate again, keeping the message's outcome ('done' or 'failed'). */
    public function release(int $orderId, string $ipcOrderId, string $trnref, string $method, string $outcome): void
    {
        global $wpdb;
        $sql = $wpdb->prepare(
            'UPDATE ' . self::table() . ' SET gate = NULL, state = %s, updated = %d'
            . ' WHERE order_id = %d AND ipc_order_id = %s AND trnref = %s AND method = %s',
            $outcome,
            time(),
            $orderId,
            $ipcOrderId,
            $trnref,
            $method
        );
        // A deadlock or certification failure rolled the release back: send it again.
        for ($i = 0; $i < 5 && $this->send($sql) === self::HELD; $i++) {
            usleep(20000);
        }
    }

    /** Frees a gate whose holder is gone (older than STALE_SECONDS); the caller tries again later. */
    private function takeOverStale(int $orderId, int $now): void
    {
        global $wpdb;
        $this->send($wpdb->prepare(
            'UPDATE ' . self::table() . " SET gate = NULL, state = 'abandoned'"
            . ' WHERE order_id = %d AND gate = 1 AND updated < %d',
            $orderId,
            $now - self::STALE_SECONDS
        ));
    }

    /**
     * Sends one write: CLAIMED when it went through, HELD for a duplicate key or an error worth
     * retrying later (deadlock, lock wait, Galera certification failure or node not ready),
     * FAILED otherwise. A missing table is created once and the write sent again.
     */
    private function send(string $sql): string
    {
        global $wpdb;
        // A duplicate key is the expected answer here: keep it out of the PHP error log.
        $suppressed = $wpdb->suppress_errors(true);
        try {
            return $this->sendQuietly($sql);
        } finally {
            $wpdb->suppress_errors($suppressed);
        }
    }

    private function sendQuietly(string $sql): string
    {
        global $wpdb;
        for ($try = 0; $try < 2; $try++) {
            $ok = $wpdb->query($sql);
            if ($ok !== false && (string) $wpdb->last_error === '') {
                return self::CLAIMED;
            }
            $error = (string) $wpdb->last_error;
            $code = self::errorCode($error);
            if ($code === 1062) {
                return self::HELD;
            }
            if (in_array($code, self::RETRYABLE, true)) {
                $this->problem = 'database busy: ' . self::short($error);
                return self::HELD;
            }
            if ($code === 1146 && $try === 0) {
                $wpdb->query(self::schema());
                continue;
            }
            $this->problem = 'database error: ' . self::short($error);
            return self::FAILED;
        }
        return self::FAILED;
    }

    /**
     * The MySQL error number of the last query: from mysqli when wpdb uses it, else from the
     * text (a drop-in such as HyperDB keeps several connections, so the text is what is sure).
     */
    private static function errorCode(string $error): int
    {
        $texts = [
            1062 => 'Duplicate entry',
            1213 => 'Deadlock found',
            1205 => 'Lock wait timeout',
            1047 => 'WSREP has not yet prepared node',
            1180 => 'Got error',
            1146 => "doesn't exist",
        ];
        foreach ($texts as $code => $text) {
            if (stripos($error, $text) !== false) {
                return $code;
            }
        }
        return 0;
    }

    private static function short(string $text): string
    {
        return strlen($text) > 160 ? substr($text, 0, 160) . '...' : $text;
    }
}
