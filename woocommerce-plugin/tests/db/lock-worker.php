<?php

// phpcs:ignoreFile -- test worker.
/**
 * One "PHP worker": takes the plug-in's OrderLock for an order through a real MariaDB
 * connection (a mysqli-backed $wpdb with the two methods OrderLock uses), holds it for
 * HOLD_MS, releases it and prints "acquired=<µs> released=<µs> got=<0|1>".
 * Usage: php lock-worker.php SOCKET ORDER_ID HOLD_MS TIMEOUT_S
 */

[, $socket, $orderId, $holdMs, $timeout] = $argv;
require __DIR__ . '/../../includes/autoload.php';

final class MysqliWpdb
{
    public string $prefix = 'wp_';

    public function __construct(private mysqli $db)
    {
    }

    public function prepare(string $query, ...$args): string
    {
        $i = 0;
        return (string) preg_replace_callback('/%[sd]/', function (array $m) use (&$i, $args) {
            $v = $args[$i++];
            return $m[0] === '%d' ? (string) (int) $v : "'" . $this->db->real_escape_string((string) $v) . "'";
        }, $query);
    }

    public function get_var(string $query)
    {
        $row = $this->db->query($query)->fetch_row();
        return $row[0] ?? null;
    }
}

$GLOBALS['wpdb'] = new MysqliWpdb(new mysqli('localhost', 'root', '', '', 0, $socket));
$lock = new \MyPOS\IPC\WooCommerce\OrderLock((int) $timeout);
$start = hrtime(true);
$got = $lock->acquire($orderId);
$acquired = hrtime(true);
if ($got) {
    usleep((int) $holdMs * 1000);
}
$released = hrtime(true);
if ($got) {
    $lock->release($orderId);
}
printf("start=%d acquired=%d released=%d got=%d\n", $start / 1000, $acquired / 1000, $released / 1000, $got ? 1 : 0);
