<?php

// phpcs:ignoreFile -- test tool.
// Usage: php state.php WP_DIR ORDER_ID... — prints each order as stored in the database (JSON, one a line).

$_SERVER['HTTP_HOST'] = '127.0.0.1';
require $argv[1] . '/wp-load.php';
global $wpdb;
foreach (array_slice($argv, 2) as $id) {
    $id = (int) $id;
    $notes = $wpdb->get_col($wpdb->prepare(
        "SELECT comment_content FROM {$wpdb->comments} WHERE comment_post_ID = %d AND comment_type = 'order_note' ORDER BY comment_ID",
        $id
    ));
    echo json_encode([
        'id' => $id,
        'status' => (string) get_post_status($id),
        'transaction_id' => (string) get_post_meta($id, '_transaction_id', true),
        'trnref' => (string) get_post_meta($id, '_mypos_ipc_trnref', true),
        'date_paid' => (string) get_post_meta($id, '_date_paid', true),
        'notes' => $notes,
    ]), "\n";
}
