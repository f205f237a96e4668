<?php

namespace MyPOS\IPC\WooCommerce;

use MyPOS\IPC\Decision;
use MyPOS\IPC\Notification;

/**
 * Handles what myPOS (or the returning buyer) posts to ?wc-api=mypos_ipc: verifies it through
 * the extension, lets the native core decide, applies the decision with WooCommerce CRUD,
 * saves, and only then answers.
 */
final class NotifyHandler
{
    /** Decisions that leave the order as it is: safe to answer without holding its gate. */
    private const CHANGES_NOTHING = ['duplicate', 'acknowledge', 'unknown_order', 'ignore', 'unknown_attempt'];
    /** Rollback notes that mean the attempt's money went back (its state becomes rolled back). */
    private const ROLLED_BACK_NOTES = ['rollback_reversed', 'rollback_other_attempt'];

    private MessageClaims $claims;

    public function __construct(
        private Settings $settings,
        private OrderLock $lock,
        private Log $log,
        ?MessageClaims $claims = null
    ) {
        $this->claims = $claims ?? new MessageClaims();
    }

    public function handle(string $rawBody): Answer
    {
        $configs = $this->settings->configs();
        if ($configs === []) {
            $this->log->error('notify received but the gateway has no usable configuration');
            return new Answer(503, 'not configured');
        }
        $body = self::withoutRoutingParam($rawBody);
        $malformed = null;
        // Test and live are verified side by side: the one whose certificate verifies tells the
        // mode the message was made in (an older order's payment stays in its own mode).
        foreach ($configs as $mode => $config) {
            try {
                $notification = $config->notification($body);
            } catch (\MyPOS\IPC\SignatureException $e) {
                continue;
            } catch (\MyPOS\IPC\Exception $e) {
                $malformed ??= $e->getMessage();
                continue;
            }
            return $this->process($notification, (string) $mode);
        }
        if ($malformed !== null) {
            $this->log->warning('notify refused: malformed body: ' . $malformed);
            return new Answer(400, 'malformed');
        }
        $this->log->warning('notify refused: signature invalid');
        return new Answer(400, 'signature invalid');
    }

    /**
     * Applies a verified notification (from the endpoint, or nested in a verified status answer)
     * verified with the configuration of $mode ('test' or 'live'; null: the chosen mode).
     * The answer comes from what the database holds afterwards (read back), never from whether
     * an exception escaped: other plug-ins' payment hooks run after the save and may throw.
     *
     * One worker at a time changes an order: the message gate (MessageClaims, a unique key in
     * the database) decides, so it holds on Galera and behind a read/write-splitting drop-in.
     * The order lock (GET_LOCK) only queues workers of one server in front of the gate.
     */
    public function process(Notification $notification, ?string $mode = null): Answer
    {
        $mode ??= (string) $this->settings->mode();
        $ipcOrderId = $notification->orderId();
        DatabaseSession::readYourWrites();
        if (CardSaves::userOf($ipcOrderId) !== null) {
            return (new CardSaves($this->settings, $this->log))->handle($notification, $mode);
        }
        $order = Orders::find($ipcOrderId);
        if ($order === null) {
            return $this->unknownOrder($notification);
        }
        $lockKey = (string) $order->get_id();
        $lock = $this->lock->take($lockKey);
        if ($lock === OrderLock::BUSY) {
            $why = 'order lock busy (' . $this->lock->problem() . ')';
            return $this->withoutGate($notification, $ipcOrderId, $mode, $why, true);
        }
        if ($lock === OrderLock::UNAVAILABLE) {
            // GET_LOCK refused (reported for Galera, error 1235): the gate decides without it.
            $this->log->info("notify for order {$ipcOrderId}: order lock unavailable ({$this->lock->problem()});"
                . ' the message gate alone keeps the order to one worker');
        }
        try {
            return $this->throughGate($notification, (string) $ipcOrderId, $order->get_id(), $mode);
        } catch (\Throwable $e) {
            $this->log->error("notify for order {$ipcOrderId} failed before its change: " . get_class($e) . ': '
                . self::short($e->getMessage()) . '; answered 500 (not OK)');
            return new Answer(500, 'error');
        } finally {
            if ($lock === OrderLock::TAKEN) {
                $this->lock->release($lockKey);
            }
        }
    }

    /**
     * Reads the order afresh until there is nothing to change (answered at once) or this worker
     * holds the order's gate (then applies under it); gives up after OrderLock::MAX_WAIT_SECONDS,
     * myPOS's patience.
     */
    private function throughGate(Notification $notification, string $ipcOrderId, int $orderId, string $mode): Answer
    {
        $key = [$orderId, $ipcOrderId, (string) $notification->trnref(), (string) $notification->method()];
        $deadline = microtime(true) + OrderLock::MAX_WAIT_SECONDS;
        while (true) {
            $order = Orders::findFresh($ipcOrderId);
            if ($order === null) {
                return $this->unknownOrder($notification);
            }
            $decision = $this->decide($notification, $order, $mode)[0];
            if (in_array($decision->action(), self::CHANGES_NOTHING, true)) {
                return $this->answer($decision, $order, $notification);
            }
            $claim = $this->claims->claim(...$key);
            if ($claim === MessageClaims::CLAIMED) {
                break;
            }
            if ($claim === MessageClaims::FAILED) {
                return $this->withoutGate($notification, $ipcOrderId, $mode, 'message gate unavailable ('
                    . $this->claims->problem() . ')', false);
            }
            if (microtime(true) >= $deadline) {
                $busy = $this->claims->problem() !== ''
                    ? $this->claims->problem()
                    : 'another worker is applying a message to it';
                return $this->withoutGate($notification, $ipcOrderId, $mode, "order busy ({$busy})", true);
            }
            usleep(random_int(20000, 100000));
        }
        $outcome = 'failed';
        try {
            $answer = $this->applyFresh($notification, $ipcOrderId, $mode);
            $outcome = $answer->status === 500 ? 'failed' : 'done';
            return $answer;
        } finally {
            $this->claims->release(...[...$key, $outcome]);
        }
    }

    /**
     * No order found: the core's answer for an unknown order, unless the lookup failed in the
     * database (a node shutting down, a lost connection): a failed read is not a missing order,
     * and "unknown order" would refuse a payment another worker may have recorded.
     */
    private function unknownOrder(Notification $notification): Answer
    {
        $error = DatabaseSession::lastError();
        if ($error !== '') {
            $this->log->error(sprintf(
                '%s for order %s: the order could not be read (database error: %s); answered 503 (not OK)',
                $notification->method(),
                $notification->orderId() ?? '-',
                self::short($error)
            ));
            return new Answer(503, 'database unavailable');
        }
        return $this->answer($notification->decide(null), null, $notification);
    }

    /** Under the gate: decides again on what the database holds now, applies, reads back. */
    private function applyFresh(Notification $notification, string $ipcOrderId, string $mode): Answer
    {
        try {
            // Another worker may have changed the order since the read before the gate.
            $order = Orders::findFresh($ipcOrderId);
            if ($order === null) {
                return $this->answer($notification->decide(null), null, $notification);
            }
            [$decision, $attempt] = $this->decide($notification, $order, $mode);
            $escaped = null;
            try {
                $this->apply($decision, $order, $notification, $attempt);
            } catch (\Throwable $e) {
                $escaped = $e;
                $this->log->error(sprintf(
                    'notify for order %s: %s thrown while applying %s (%s); the answer follows what was saved',
                    $ipcOrderId,
                    get_class($e),
                    $decision->action(),
                    self::short($e->getMessage())
                ));
            }
            $problem = self::notPersisted($decision, $ipcOrderId, $escaped !== null, $attempt);
            if ($problem !== null) {
                // WooCommerce's save() logs database errors instead of throwing: without this
                // check myPOS would get OK for a payment the order does not show.
                $this->log->error("notify for order {$ipcOrderId} not saved: {$problem}; answered 500 (not OK)");
                return new Answer(500, 'not saved');
            }
            return $this->answer($decision, $order, $notification);
        } catch (\Throwable $e) {
            $this->log->error("notify for order {$ipcOrderId} failed: " . get_class($e) . ': '
                . self::short($e->getMessage()) . '; answered 500 (not OK)');
            return new Answer(500, 'error');
        }
    }

    /**
     * The core's decision for $order, with what the order knows about the attempt the message
     * names (made in $mode, rolled back, or not made at all), and that attempt's record.
     *
     * @return array{0: Decision, 1: array<string, mixed>|null}
     */
    private function decide(Notification $notification, \WC_Order $order, string $mode): array
    {
        $ipcOrderId = (string) $notification->orderId();
        $named = Attempts::named($order, $ipcOrderId, $mode, $this->settings->mode());
        $context = Attempts::context($order, (int) Orders::attemptOf($ipcOrderId), $named);
        return [$notification->decide(Orders::snapshot($order) + $context), $named];
    }

    /**
     * The order could not be had ($why; $busy: another worker holds it, else the database
     * refused). Nothing is changed; the core decides on a fresh read whether anything is left to
     * do: a duplicate of the payment already recorded gets its OK, anything that would change
     * the order gets 503 (not OK).
     */
    private function withoutGate(
        Notification $notification,
        string $ipcOrderId,
        string $mode,
        string $why,
        bool $busy
    ): Answer {
        $fresh = null;
        $decision = null;
        try {
            $fresh = Orders::findFresh($ipcOrderId);
            $decision = $fresh === null ? $notification->decide(null) : $this->decide($notification, $fresh, $mode)[0];
        } catch (\Throwable $e) {
            $why .= '; reading the order failed: ' . get_class($e);
        }
        // The returning buyer is sent on as usual (the note and the status check are skipped).
        $browser = $decision !== null && str_starts_with($decision->reply(), 'redirect_');
        if ($decision !== null && ($browser || in_array($decision->action(), self::CHANGES_NOTHING, true))) {
            $this->log->info("notify for order {$ipcOrderId} without the gate, {$why}: nothing to change");
            return $this->answer($decision, $fresh, $notification);
        }
        $message = sprintf(
            '%s for order %s not handled: %s; answered 503 (not OK), nothing changed',
            $notification->method(),
            $ipcOrderId,
            $why
        );
        if ($busy) {
            $this->log->warning($message);
        } else {
            $this->log->error($message);
        }
        if ($fresh !== null) {
            try {
                $fresh->add_order_note(sprintf(
                    /* translators: 1: myPOS method, 2: why the order could not be changed now */
                    __('myPOS %1$s not handled: %2$s. Answered "not OK"; the order was not changed.', 'mypos-ipc'),
                    $notification->method(),
                    $why
                ));
            } catch (\Throwable $e) {
                $this->log->error("notify for order {$ipcOrderId}: order note not added: " . get_class($e));
            }
        }
        return new Answer(503, $busy ? 'busy' : 'unavailable');
    }

    private static function short(string $text): string
    {
        return strlen($text) > 200 ? substr($text, 0, 200) . '...' : $text;
    }

    /** @param array<string, mixed>|null $attempt the record of the attempt the message names */
    private function apply(Decision $decision, \WC_Order $order, Notification $notification, ?array $attempt): void
    {
        $note = DecisionNotes::text($decision);
        // Saved by the same save as the order change below (or on its own for no change).
        $attemptChanged = $attempt !== null
            && !in_array($decision->action(), self::CHANGES_NOTHING, true)
            && $this->recordAttempt($decision, $order, $notification, $attempt);
        switch ($decision->action()) {
            case 'mark_paid':
                $order->update_meta_data(Orders::META_TRNREF, (string) $decision->trnref());
                $order->add_order_note($note);
                // WooCommerce saves inside payment_complete() and then runs other plug-ins'
                // woocommerce_payment_complete hooks; it catches their Exceptions (returning
                // false) but not Errors. Either way the read-back decides the answer.
                // The card is saved even when such an Error escapes after the payment was saved:
                // without it the order's subscriptions could never renew.
                try {
                    if ($order->payment_complete((string) $decision->trnref()) === false) {
                        $this->log->warning("order {$order->get_id()}: payment_complete() reported a failure");
                    }
                    $order->save();
                } finally {
                    $saved = Orders::findFresh((string) $order->get_id());
                    if ($saved !== null && in_array($saved->get_status(), Orders::paidStatuses(), true)) {
                        $this->saveCard($order, $notification, $attempt);
                    }
                }
                break;
            case 'authorize':
                // Held, not paid: the money is taken only by a capture (Authorizations).
                $order->update_meta_data(Orders::META_TRNREF, (string) $decision->trnref());
                $order->update_status((string) OrderState::after('authorize'), $note);
                $order->save();
                break;
            case 'hold_mismatch':
            case 'mark_failed':
                $order->update_status((string) OrderState::after($decision->action()), $note);
                $order->save();
                break;
            case 'already_paid_otherwise':
            case 'note_only':
            case 'keep_payable':
                $order->add_order_note($note);
                $order->save();
                break;
            case 'show_received':
                if ($order->get_status() === OrderState::PENDING) {
                    // The buyer is back before the notify: ask myPOS soon in case it never comes.
                    Reconciler::scheduleOrder($order->get_id());
                }
                break;
            default:
                // duplicate, acknowledge: nothing to change.
                break;
        }
        if ($attemptChanged && $decision->action() === 'show_received') {
            $order->save();
        }
    }

    /**
     * The buyer asked to save the card with this payment (the attempt's card is 'save'): the
     * notify's card becomes the customer's saved card, bound to the attempt's mode, and the
     * order's subscriptions renew with it. A card that cannot be stored does not undo the
     * payment (it is logged; the buyer can add the card later).
     *
     * @param array<string, mixed>|null $attempt
     */
    private function saveCard(\WC_Order $order, Notification $notification, ?array $attempt): void
    {
        if (($attempt['card'] ?? null) !== 'save' || (string) $notification->get('CardToken') === '') {
            return;
        }
        try {
            $userId = (int) $order->get_customer_id();
            $tokenId = CardTokens::saveFromNotify($notification, $userId, (string) $attempt['mode']);
            if ($tokenId === null) {
                $this->log->error("order {$order->get_id()}: the card from the notify was not saved");
                return;
            }
            Subscriptions::useCard($order, $tokenId);
        } catch (\Throwable $e) {
            $this->log->error("order {$order->get_id()}: saving the card failed: " . get_class($e) . ': '
                . self::short($e->getMessage()));
        }
    }

    /**
     * Writes what the message means for its attempt into the order (not saved here): seen by
     * myPOS, paid, rolled back or cancelled. Returns whether the record changed.
     *
     * @param array<string, mixed> $attempt
     */
    private function recordAttempt(
        Decision $decision,
        \WC_Order $order,
        Notification $notification,
        array $attempt
    ): bool {
        $before = $attempt;
        $attempt['seen'] = true;
        $isRollback = $notification->method() === 'IPCPurchaseRollback';
        if ($decision->action() === 'mark_paid') {
            $attempt['state'] = Attempts::PAID;
            $attempt['trnref'] = (string) $decision->trnref();
        } elseif ($decision->action() === 'authorize') {
            $attempt['state'] = Attempts::AUTHORIZED;
            $attempt['trnref'] = (string) $decision->trnref();
            $attempt['expiry'] = $decision->expiry();
        } elseif ($isRollback && in_array($decision->noteCode(), self::ROLLED_BACK_NOTES, true)) {
            $attempt['state'] = Attempts::ROLLED_BACK;
        } elseif ($decision->action() === 'keep_payable' && $attempt['state'] === Attempts::OPEN) {
            $attempt['state'] = Attempts::CANCELLED;
        }
        // An order from before attempts (no record yet) gets one only when a state changes.
        if ($attempt === $before || (Attempts::all($order) === [] && $attempt['state'] === $before['state'])) {
            return false;
        }
        Attempts::put($order, $attempt);
        return true;
    }

    /**
     * Null when the database now holds what the decision changed (read back, not trusted from
     * memory), else what is missing.
     *
     * @param array<string, mixed>|null $attempt the record of the attempt the message names
     */
    private static function notPersisted(Decision $decision, string $ipcOrderId, bool $threw, ?array $attempt): ?string
    {
        // A payment: every status WooCommerce counts as paid (other plug-ins extend the list).
        $expected = OrderState::recorded($decision->action(), Orders::paidStatuses());
        if ($expected === null) {
            // Only a note to write: nothing to read back, so an exception means not done.
            return $threw ? 'an exception escaped before the change was complete' : null;
        }
        $stored = Orders::findFresh($ipcOrderId);
        if ($stored === null) {
            return 'the order could not be read back';
        }
        if (!in_array($stored->get_status(), $expected, true)) {
            return 'the order status is still ' . $stored->get_status();
        }
        $trnref = (string) $stored->get_meta(Orders::META_TRNREF);
        $holds = in_array($decision->action(), ['mark_paid', 'authorize'], true);
        if ($holds && $trnref !== (string) $decision->trnref()) {
            return 'the myPOS transaction reference was not stored';
        }
        $record = $attempt === null ? null : Attempts::get($stored, (int) $attempt['n']);
        if ($decision->action() === 'mark_paid' && $attempt !== null && ($record['state'] ?? '') !== Attempts::PAID) {
            return 'the paying attempt was not recorded';
        }
        if ($decision->action() === 'authorize' && ($record['state'] ?? '') !== Attempts::AUTHORIZED) {
            return 'the authorization was not recorded';
        }
        return null;
    }

    private function answer(Decision $decision, ?\WC_Order $order, Notification $notification): Answer
    {
        $this->log->info(sprintf(
            '%s for order %s: %s (%s); %s',
            $notification->method(),
            $notification->orderId() ?? '-',
            $decision->action(),
            $decision->reply(),
            $decision->note()
        ));
        switch ($decision->reply()) {
            case 'redirect_received':
                $url = $order !== null ? $order->get_checkout_order_received_url() : wc_get_checkout_url();
                return new Answer(302, '', $url);
            case 'redirect_payment':
                $url = $order !== null ? $order->get_checkout_payment_url() : wc_get_checkout_url();
                return new Answer(302, '', $url);
            default:
                $decided = NotifyStats::decided($notification, $decision);
                return new Answer($decision->httpStatus(), $decision->body(), null, $decided);
        }
    }

    /** Drops the wc-api routing parameter from a GET query string. */
    public static function withoutRoutingParam(string $raw): string
    {
        $pairs = array_filter(
            explode('&', $raw),
            static fn (string $pair): bool => strncmp($pair, 'wc-api=', 7) !== 0
        );
        return implode('&', $pairs);
    }
}
