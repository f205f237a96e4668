<?php

namespace MyPOS\IPC\WooCommerce;

/**
 * Makes the reads of a request that may change an order see every committed write: on a
 * replicated database (HyperDB, LudicrousDB and other read/write-splitting db.php drop-ins)
 * they go to the primary, and on a Galera node they wait until the node has applied what the
 * cluster committed before them. Without this a duplicate notify could read an order as still
 * pending on a replica or a lagging node and pay it again.
 */
final class DatabaseSession
{
    public static function readYourWrites(): void
    {
        global $wpdb;
        if (!is_object($wpdb)) {
            return;
        }
        if (method_exists($wpdb, 'send_reads_to_masters')) {
            $wpdb->send_reads_to_masters();
        }
        // MySQL has no such variable (the query then fails and is ignored); MariaDB without
        // Galera answers 0.
        $suppressed = method_exists($wpdb, 'suppress_errors') ? $wpdb->suppress_errors(true) : null;
        if ((string) $wpdb->get_var('SELECT @@wsrep_on') === '1') {
            // 1: reads wait for the cluster's earlier commits (causal reads).
            $wpdb->query('SET SESSION wsrep_sync_wait = 1');
        }
        if ($suppressed !== null) {
            $wpdb->suppress_errors($suppressed);
        }
        $wpdb->last_error = '';
    }

    /** The error of the database's last query ('' when it succeeded). */
    public static function lastError(): string
    {
        global $wpdb;
        return is_object($wpdb) ? (string) ($wpdb->last_error ?? '') : '';
    }
}
