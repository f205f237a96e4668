<?php

namespace MyPOS\IPC\WooCommerce;

// phpcs:disable Generic.Files.LineLength.TooLong -- a translatable sentence stays on one line

use MyPOS\IPC\Decision;

/**
 * Words the core's decision notes in the site's language. The core gives every decision a stable
 * note code and the values its text uses (Decision::noteCode(), noteParams()); the English text
 * (Decision::note()) stays the fallback for a code this plug-in does not know yet, so a newer
 * extension never loses a note.
 */
final class DecisionNotes
{
    /**
     * The note for an order or the log, in the site's language.
     */
    public static function text(Decision $decision): string
    {
        $params = [];
        foreach ($decision->noteParams() as $name => $value) {
            $params[(string) $name] = (string) $value;
        }
        return self::wording($decision->noteCode(), $params) ?? $decision->note();
    }

    /**
     * The translated sentence for a note code and its values, or null for an unknown code (or
     * a known code missing a value it needs).
     *
     * @param array<string, string> $p
     */
    public static function wording(string $code, array $p): ?string
    {
        $need = self::CODES[$code] ?? null;
        if ($need === null || array_diff($need, array_keys($p)) !== []) {
            return null;
        }
        // One sprintf per code, so every sentence is one translatable string with its comment.
        return match ($code) {
            /* translators: %s: why the message was rejected (from the extension, English) */
            'rejected' => sprintf(__('myPOS message rejected: %s', 'mypos-ipc'), $p['reason']),
            /* translators: %s: the store ID (SID) the message names */
            'other_store' => sprintf(__('myPOS message for another store (SID %s) ignored.', 'mypos-ipc'), $p['sid']),
            /* translators: %s: the myPOS method name */
            'unexpected_method' => sprintf(__('Unexpected myPOS method %s at the notify address; ignored.', 'mypos-ipc'), $p['method']),
            'connection_probe' => __('myPOS connection check.', 'mypos-ipc'),
            'buyer_returned' => __('The buyer returned from myPOS; the payment is confirmed only by myPOS\'s notification.', 'mypos-ipc'),
            /* translators: %s: the myPOS OrderID */
            'notify_unknown_order' => sprintf(__('myPOS payment notification for an unknown order (OrderID %s); refused.', 'mypos-ipc'), $p['order_id']),
            /* translators: %s: myPOS transaction reference (IPC_Trnref) */
            'notify_duplicate' => sprintf(__('Repeated myPOS notification for payment %s; nothing changed.', 'mypos-ipc'), $p['trnref']),
            'notify_already_paid' => sprintf(
                /* translators: 1: the refused payment's reference, 2: the reference that paid the order */
                __('myPOS payment %1$s refused: the order is already paid by %2$s.', 'mypos-ipc'),
                $p['trnref'],
                $p['paid_trnref']
            ),
            'notify_amount_mismatch' => sprintf(
                /* translators: 1: payment reference, 2: amount, 3: currency, 4: expected amount, 5: expected currency */
                __('myPOS payment %1$s refused: myPOS reported %2$s %3$s but the order expects %4$s %5$s.', 'mypos-ipc'),
                $p['trnref'],
                $p['amount'],
                $p['currency'],
                $p['expected_amount'],
                $p['expected_currency']
            ),
            /* translators: %s: myPOS transaction reference (IPC_Trnref) */
            'paid' => sprintf(__('Paid through myPOS, IPC_Trnref %s.', 'mypos-ipc'), $p['trnref']),
            'notify_unknown_attempt' => sprintf(
                /* translators: 1: payment attempt number, 2: the myPOS OrderID */
                __('myPOS payment notification for attempt %1$s (OrderID %2$s), which this order never made; refused so that myPOS reverses it.', 'mypos-ipc'),
                $p['attempt'],
                $p['order_id']
            ),
            'notify_after_rollback' => sprintf(
                /* translators: 1: payment reference, 2: payment attempt number */
                __('myPOS notification for payment %1$s of attempt %2$s ignored: myPOS already rolled that attempt back.', 'mypos-ipc'),
                $p['trnref'],
                $p['attempt']
            ),
            'notify_paid_twice' => sprintf(
                /* translators: 1: refused payment reference, 2: its attempt number, 3: paying attempt number, 4: paying reference */
                __('The buyer paid twice: payment %1$s of attempt %2$s refused (myPOS reverses it); the order stays paid by attempt %3$s, IPC_Trnref %4$s.', 'mypos-ipc'),
                $p['trnref'],
                $p['attempt'],
                $p['paid_attempt'],
                $p['paid_trnref']
            ),
            /* translators: %s: the myPOS OrderID */
            'rollback_unknown_order' => sprintf(__('myPOS rollback for an unknown order (OrderID %s); nothing to undo.', 'mypos-ipc'), $p['order_id']),
            'rollback_order_closed' => __('myPOS rolled back a payment; the order is already refunded or cancelled and stays so.', 'mypos-ipc'),
            'rollback_already_failed' => __('myPOS rolled back a payment; the order is already failed.', 'mypos-ipc'),
            'rollback_amount_mismatch' => sprintf(
                /* translators: 1: amount, 2: currency, 3: expected amount, 4: expected currency */
                __('myPOS rollback ignored: myPOS reported %1$s %2$s but the order expects %3$s %4$s.', 'mypos-ipc'),
                $p['amount'],
                $p['currency'],
                $p['expected_amount'],
                $p['expected_currency']
            ),
            'rollback_other_payment' => sprintf(
                /* translators: 1: the rolled back payment's reference, 2: the reference that paid the order */
                __('myPOS rollback of another payment (IPC_Trnref %1$s) ignored; the order stays paid by IPC_Trnref %2$s.', 'mypos-ipc'),
                $p['trnref'],
                $p['paid_trnref']
            ),
            'rollback_reversed' => __('myPOS reversed the payment (IPCPurchaseRollback): the order is not paid.', 'mypos-ipc'),
            'rollback_unknown_attempt' => sprintf(
                /* translators: 1: payment attempt number, 2: the myPOS OrderID */
                __('myPOS rollback for attempt %1$s (OrderID %2$s), which this order never made; nothing to undo.', 'mypos-ipc'),
                $p['attempt'],
                $p['order_id']
            ),
            'rollback_other_attempt' => sprintf(
                /* translators: 1: rolled back attempt number, 2: paying attempt number, 3: paying reference */
                __('myPOS rolled back attempt %1$s; the order stays paid by attempt %2$s, IPC_Trnref %3$s.', 'mypos-ipc'),
                $p['attempt'],
                $p['paid_attempt'],
                $p['paid_trnref']
            ),
            /* translators: %s: payment attempt number */
            'rollback_repeated' => sprintf(__('Repeated myPOS rollback of attempt %s; already applied.', 'mypos-ipc'), $p['attempt']),
            'cancel_after_payment' => __('Cancel from myPOS ignored: the order is already paid.', 'mypos-ipc'),
            'cancel_keep_payable' => __('The buyer cancelled on the myPOS page; the order stays payable.', 'mypos-ipc'),
            'cancel_unknown_order' => __('myPOS cancel for an unknown order.', 'mypos-ipc'),
            'authorized' => sprintf(
                /* translators: 1: myPOS transaction reference (IPC_Trnref), 2: the date the authorization expires */
                __('Authorized through myPOS, IPC_Trnref %1$s: capture before %2$s. The order is on hold until it is captured or released.', 'mypos-ipc'),
                $p['trnref'],
                $p['expiry'] !== '' ? $p['expiry'] : __('an unknown date', 'mypos-ipc')
            ),
            /* translators: %s: myPOS transaction reference (IPC_Trnref) */
            'notify_authorization_duplicate' => sprintf(__('Repeated myPOS notification for authorization %s; nothing changed.', 'mypos-ipc'), $p['trnref']),
            default => null,
        };
    }

    /** Every note code this plug-in words, with the values its sentence needs. */
    public const CODES = [
        'rejected' => ['reason'],
        'other_store' => ['sid'],
        'unexpected_method' => ['method'],
        'connection_probe' => [],
        'buyer_returned' => [],
        'notify_unknown_order' => ['order_id'],
        'notify_duplicate' => ['trnref'],
        'notify_already_paid' => ['trnref', 'paid_trnref'],
        'notify_amount_mismatch' => ['trnref', 'amount', 'currency', 'expected_amount', 'expected_currency'],
        'paid' => ['trnref'],
        'notify_unknown_attempt' => ['attempt', 'order_id'],
        'notify_after_rollback' => ['attempt', 'trnref'],
        'notify_paid_twice' => ['attempt', 'trnref', 'paid_attempt', 'paid_trnref'],
        'rollback_unknown_order' => ['order_id'],
        'rollback_order_closed' => [],
        'rollback_already_failed' => [],
        'rollback_amount_mismatch' => ['amount', 'currency', 'expected_amount', 'expected_currency'],
        'rollback_other_payment' => ['trnref', 'paid_trnref'],
        'rollback_reversed' => [],
        'rollback_unknown_attempt' => ['attempt', 'order_id'],
        'rollback_other_attempt' => ['attempt', 'paid_attempt', 'paid_trnref'],
        'rollback_repeated' => ['attempt'],
        'cancel_after_payment' => [],
        'cancel_keep_payable' => [],
        'cancel_unknown_order' => [],
        'authorized' => ['trnref', 'expiry'],
        'notify_authorization_duplicate' => ['trnref'],
    ];
}
