<?php

namespace MyPOS\IPC\WooCommerce;

/**
 * The payment attempts of an order, kept in its meta: one record per request that can take
 * money (a redirect to myPOS, a server-to-server charge), each with its own myPOS OrderID and
 * the mode (test or live) it was made in. Every later operation on the payment (verifying its
 * messages, refunds, status checks) uses that mode, whatever mode is chosen now.
 *
 * A record: n (1, 2, ...), id (the OrderID sent), mode ('test'|'live'), amount (minor units),
 * currency, created and updated (Unix time), state (one of STATES), trnref (once paid or
 * authorized), kind (PURCHASE or PREAUTH; absent on records made before kinds: a purchase),
 * and for a pre-authorization expiry (the date myPOS gave, DD/MM/YYYY) and captured (minor
 * units); a server-to-server charge of a saved card also has kind 'token', card (the
 * WooCommerce token id) and, for a buyer present, tds (the TDSReferenceID of its 3-D Secure
 * check); a redirect that saves the card has card 'save'.
 * Writers change records with put() and save the order in the same save as the change the
 * message made, so the record and the order never disagree.
 */
final class Attempts
{
    public const META = '_mypos_ipc_attempts';
    public const OPEN = 'open';
    public const PAID = 'paid';
    public const ROLLED_BACK = 'rolled_back';
    public const CANCELLED = 'cancelled';
    /** A token charge myPOS declined (its OrderID took no money). */
    public const DECLINED = 'declined';
    /** A pre-authorization holds the amount; captured, it becomes PAID. */
    public const AUTHORIZED = 'authorized';
    /** A pre-authorization released (by the shop, at myPOS, or expired): no money taken. */
    public const RELEASED = 'released';
    public const STATES = [
        self::OPEN, self::PAID, self::ROLLED_BACK, self::CANCELLED, self::DECLINED, self::AUTHORIZED, self::RELEASED,
    ];
    /** What an attempt asked myPOS for (the core's attempt kinds). */
    public const PURCHASE = 'purchase';
    public const PREAUTH = 'preauth';
    /** A server-to-server charge of a saved card (a purchase to the core; never reused by a redirect). */
    public const TOKEN = 'token';
    /**
     * Most attempts one order may make: a bot reloading the pay page must not grow the order's
     * meta without end (a reload reuses an unused attempt, so real buyers never come near it).
     */
    public const MAX_PER_ORDER = 50;
    /** An unused open attempt is reused by a reload of the pay page for this long. */
    private const REUSE_SECONDS = DAY_IN_SECONDS;
    /**
     * Option: when this plug-in version first ran. Orders created before it may have a payment
     * in flight under their bare order id (attempt 1), so their recorded attempts start at 2.
     */
    public const SINCE_OPTION = 'mypos_ipc_attempts_since';

    /**
     * The order's attempts, oldest first (malformed entries dropped).
     *
     * @return list<array<string, mixed>>
     */
    public static function all(\WC_Order $order): array
    {
        $stored = $order->get_meta(self::META);
        $attempts = [];
        foreach (is_array($stored) ? $stored : [] as $attempt) {
            if (is_array($attempt) && is_int($attempt['n'] ?? null) && is_string($attempt['id'] ?? null)) {
                $attempts[] = $attempt;
            }
        }
        usort($attempts, static fn (array $a, array $b): int => $a['n'] <=> $b['n']);
        return $attempts;
    }

    /** @return array<string, mixed>|null */
    public static function get(\WC_Order $order, int $n): ?array
    {
        foreach (self::all($order) as $attempt) {
            if ($attempt['n'] === $n) {
                return $attempt;
            }
        }
        return null;
    }

    /** @return array<string, mixed>|null the attempt whose payment the order holds */
    public static function paid(\WC_Order $order): ?array
    {
        foreach (self::all($order) as $attempt) {
            if (($attempt['state'] ?? '') === self::PAID) {
                return $attempt;
            }
        }
        return null;
    }

    /** @return array<string, mixed>|null the pre-authorization that holds the order's amount now */
    public static function authorized(\WC_Order $order): ?array
    {
        foreach (self::all($order) as $attempt) {
            if (($attempt['state'] ?? '') === self::AUTHORIZED) {
                return $attempt;
            }
        }
        return null;
    }

    /**
     * PURCHASE or PREAUTH, as the core knows them: a saved-card charge (TOKEN) and records made
     * before kinds were kept are purchases.
     */
    public static function kind(?array $attempt): string
    {
        return ($attempt['kind'] ?? null) === self::PREAUTH ? self::PREAUTH : self::PURCHASE;
    }

    /** @return array<string, mixed>|null */
    public static function latest(\WC_Order $order): ?array
    {
        $all = self::all($order);
        return $all === [] ? null : $all[count($all) - 1];
    }

    /**
     * The mode of the order's payment (the paid attempt's, else the latest attempt's), or null
     * for an order with no recorded attempt (made before attempts were recorded).
     */
    public static function mode(\WC_Order $order): ?string
    {
        $attempt = self::paid($order) ?? self::authorized($order) ?? self::latest($order);
        $mode = $attempt['mode'] ?? null;
        return is_string($mode) && isset(Settings::MODES[$mode]) ? $mode : null;
    }

    /**
     * The attempt a redirect to myPOS uses now: the latest attempt while nothing has happened to
     * it (a reload of the pay page, same prefix, mode, amount and currency), else a new one. The
     * caller saves the order before the form is shown.
     *
     * @return array<string, mixed>
     * @throws \LengthException when the order has made MAX_PER_ORDER attempts
     * @throws \MyPOS\IPC\Exception when the prefix or order id cannot make an OrderID
     */
    public static function forRedirect(
        \WC_Order $order,
        string $prefix,
        string $mode,
        int $amount,
        string $currency,
        string $kind = self::PURCHASE
    ): array {
        $latest = self::latest($order);
        $sameKind = $latest !== null && self::kind($latest) === $kind;
        if ($sameKind && self::reusable($latest, $prefix, $mode, $amount, $currency)) {
            return $latest;
        }
        if ($latest === null && self::mayHaveBareAttempt($order)) {
            // The bare order id may be at myPOS already: keep it as attempt 1.
            $latest = self::record(1, (string) $order->get_id(), $mode, $amount, $currency);
            self::put($order, $latest);
        }
        return self::create($order, ($latest['n'] ?? 0) + 1, $prefix, $mode, $amount, $currency, ['kind' => $kind]);
    }

    /**
     * A new attempt for a server-to-server charge of a saved card (never a reused redirect
     * attempt: the two must not share an OrderID). The caller saves the order before charging.
     *
     * @param array<string, mixed> $extra kind, card, tds
     * @return array<string, mixed>
     * @throws \LengthException|\MyPOS\IPC\Exception as forRedirect()
     */
    public static function forCharge(
        \WC_Order $order,
        string $prefix,
        string $mode,
        int $amount,
        string $currency,
        array $extra
    ): array {
        $latest = self::latest($order);
        if ($latest === null && self::mayHaveBareAttempt($order)) {
            $latest = self::record(1, (string) $order->get_id(), $mode, $amount, $currency);
            self::put($order, $latest);
        }
        return self::create($order, ($latest['n'] ?? 0) + 1, $prefix, $mode, $amount, $currency, $extra);
    }

    /**
     * Records attempt $n (with $extra: kind, card, tds) on the order; the caller saves.
     *
     * @param array<string, mixed> $extra
     * @return array<string, mixed>
     * @throws \LengthException|\MyPOS\IPC\Exception
     */
    private static function create(
        \WC_Order $order,
        int $n,
        string $prefix,
        string $mode,
        int $amount,
        string $currency,
        array $extra
    ): array {
        if ($n > self::MAX_PER_ORDER) {
            throw new \LengthException(sprintf(
                'order %d has made %d payment attempts, the limit (Attempts::MAX_PER_ORDER)',
                $order->get_id(),
                self::MAX_PER_ORDER
            ));
        }
        $id = \MyPOS\IPC\attempt_id($prefix, (string) $order->get_id(), $n);
        $attempt = $extra + self::record($n, $id, $mode, $amount, $currency);
        self::put($order, $attempt);
        return $attempt;
    }

    /** @param array<string, mixed> $a */
    private static function reusable(array $a, string $prefix, string $mode, int $amount, string $currency): bool
    {
        $parts = \MyPOS\IPC\parse_attempt_id((string) $a['id']);
        return ($a['state'] ?? '') === self::OPEN
            && empty($a['seen'])
            && ($a['kind'] ?? self::PURCHASE) !== self::TOKEN
            && $parts['prefix'] === $prefix
            && ($a['mode'] ?? null) === $mode
            && ($a['amount'] ?? null) === $amount
            && ($a['currency'] ?? null) === $currency
            && time() - (int) ($a['created'] ?? 0) < self::REUSE_SECONDS;
    }

    /** @return array<string, mixed> */
    private static function record(int $n, string $id, string $mode, int $amount, string $currency): array
    {
        return [
            'n' => $n,
            'id' => $id,
            'mode' => $mode,
            'amount' => $amount,
            'currency' => $currency,
            'created' => time(),
            'state' => self::OPEN,
            'seen' => false,
            'trnref' => null,
        ];
    }

    /** Notes when attempts were first recorded on this site (once; the option then exists). */
    public static function recordSince(): void
    {
        add_option(self::SINCE_OPTION, time());
    }

    /**
     * Whether the order may have gone to myPOS under its bare order id: it existed before
     * attempts were recorded (or that moment is not known yet).
     */
    private static function mayHaveBareAttempt(\WC_Order $order): bool
    {
        $since = (int) get_option(self::SINCE_OPTION, 0);
        $created = $order->get_date_created();
        return $since <= 0 || $created === null || $created->getTimestamp() < $since;
    }

    /**
     * The record a message's OrderID names, or null: the same OrderID, made in the mode the
     * message was verified with. An order without records (created before attempts existed)
     * made only its bare order id, in the mode chosen then.
     *
     * @return array<string, mixed>|null
     */
    public static function named(\WC_Order $order, string $ipcOrderId, string $mode, ?string $chosenMode): ?array
    {
        $all = self::all($order);
        if ($all === []) {
            $bare = $ipcOrderId === (string) $order->get_id()
                && $mode === $chosenMode
                && self::mayHaveBareAttempt($order);
            $currency = $order->get_currency();
            $amount = Money::toMinor($order->get_total(), $currency);
            return $bare ? self::record(1, $ipcOrderId, $mode, $amount, $currency) : null;
        }
        foreach ($all as $attempt) {
            if ($attempt['id'] === $ipcOrderId) {
                return ($attempt['mode'] ?? null) === $mode ? $attempt : null;
            }
        }
        return null;
    }

    /**
     * What Notification::decide() needs to know about the attempt $number a message names
     * ($named: its record, null when the order never made it).
     *
     * @param array<string, mixed>|null $named
     * @return array{attempt: int, attempt_known: bool, attempt_rolled_back: bool, paid_attempt: ?int,
     *   attempt_kind: string}
     */
    public static function context(\WC_Order $order, int $number, ?array $named): array
    {
        // An authorization holds the order as a payment would: another attempt's notify is refused.
        $paid = self::paid($order) ?? self::authorized($order);
        return [
            'attempt' => $number,
            'attempt_known' => $named !== null,
            // A released authorization gave its money back as a rollback does: a replay changes nothing.
            'attempt_rolled_back' => in_array($named['state'] ?? '', [self::ROLLED_BACK, self::RELEASED], true),
            'paid_attempt' => $paid === null ? null : (int) $paid['n'],
            'attempt_kind' => self::kind($named),
        ];
    }

    /**
     * Adds or replaces (by n) one attempt record in the order's meta; the caller saves the order.
     *
     * @param array<string, mixed> $attempt
     */
    public static function put(\WC_Order $order, array $attempt): void
    {
        $all = array_values(array_filter(
            self::all($order),
            static fn (array $a): bool => $a['n'] !== $attempt['n']
        ));
        $attempt['updated'] = time();
        $all[] = $attempt;
        usort($all, static fn (array $a, array $b): int => $a['n'] <=> $b['n']);
        $order->update_meta_data(self::META, $all);
    }
}
