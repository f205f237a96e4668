<?php

// Checks the orders after a load run. Orders file: "ORDER_ID AMOUNT TRNREF pay|untouched" per
// line; stdin: one JSON object per order and line, {"id", "state" or "status", "trnref", "notes"}.
// A paid order: processing, its own trnref, exactly one "paid through myPOS" note, any other note
// a "repeated notify" for the same payment (the core's English or the plug-in's translatable
// wording). An untouched order: pending, no trnref, no note.
// Prints "paid=N untouched=N problems=N" and the first problems.
declare(strict_types=1);

$want = [];
foreach (file($argv[1], FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES) as $line) {
    [$id, , $trnref, $role] = explode(' ', $line);
    $want[$id] = [$trnref, $role];
}
$paid = $untouched = 0;
$problems = [];
$seen = [];
foreach (file('php://stdin', FILE_IGNORE_NEW_LINES | FILE_SKIP_EMPTY_LINES) as $line) {
    $o = json_decode($line, true, 8, JSON_THROW_ON_ERROR);
    $id = (string) $o['id'];
    if (!isset($want[$id])) {
        continue;
    }
    $seen[$id] = true;
    [$trnref, $role] = $want[$id];
    $state = preg_replace('/^wc-/', '', (string) ($o['state'] ?? $o['status']));
    $notes = $o['notes'];
    // The core's English note or the plug-in's worded (translatable) one.
    $isPaidNote = fn ($n) => stripos($n, 'paid through myPOS') === 0;
    $isRepeat = fn ($n) => in_array($n, ["repeated notify for payment $trnref", "Repeated myPOS notification for payment $trnref; nothing changed."], true);
    $paidNotes = count(array_filter($notes, $isPaidNote));
    $others = array_filter($notes, fn ($n) => !$isPaidNote($n) && !$isRepeat($n));
    // WordPress also has WooCommerce's payment meta: the transaction ID and the date paid.
    $meta = !isset($o['transaction_id']) || ($o['transaction_id'] === (string) $o['trnref'] && ($o['date_paid'] !== '') === ($role === 'pay'));
    if ($role === 'pay') {
        if ($state === 'processing' && (string) $o['trnref'] === $trnref && $paidNotes === 1 && $others === [] && $meta) {
            $paid++;
        } else {
            $problems[] = "$id: $state, trnref " . $o['trnref'] . ($meta ? '' : ', payment meta wrong') . ", $paidNotes payment notes, other notes: " . json_encode(array_values($others));
        }
    } elseif ($state === 'pending' && (string) ($o['trnref'] ?? '') === '' && $notes === [] && $meta) {
        $untouched++;
    } else {
        $problems[] = "$id (forgeries only): $state, trnref " . $o['trnref'] . ', notes: ' . json_encode($notes);
    }
}
foreach (array_diff_key($want, $seen) as $id => $_) {
    $problems[] = "$id: missing";
}
echo "paid=$paid untouched=$untouched problems=" . count($problems), "\n";
foreach (array_slice($problems, 0, 5) as $p) {
    echo "# $p\n";
}
