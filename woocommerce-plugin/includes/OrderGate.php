<?php

namespace MyPOS\IPC\WooCommerce;

/**
 * Keeps a server-side order change that talks to myPOS (a refund, a capture or release, a
 * saved-card or renewal charge) to one worker across servers: it holds the order's message gate
 * (MessageClaims, a unique key that holds on Galera and on the primary of a replicated database)
 * under a pseudo-message "<action>:<order id>", so two such changes, or one and a notify, never
 * run at once for the same order. Reads after take() see every committed write
 * (DatabaseSession::readYourWrites()), so the caller decides on the order as it really is.
 * GET_LOCK is only a queue in front of the gate for the workers of one server.
 */
final class OrderGate
{
    private OrderLock $lock;
    private MessageClaims $claims;
    private string $problem = '';
    /** @var array<string, array{0: int, 1: bool}> key => [order id, GET_LOCK taken] */
    private array $held = [];

    public function __construct(?OrderLock $lock = null, ?MessageClaims $claims = null)
    {
        $this->lock = $lock ?? new OrderLock();
        $this->claims = $claims ?? new MessageClaims();
    }

    /**
     * Takes order $orderId's gate for $action (the lock name $key is kept for the local queue).
     * OrderLock::TAKEN, BUSY (another worker holds the order past OrderLock::MAX_WAIT_SECONDS)
     * or UNAVAILABLE (the database refused the gate: the caller changes nothing).
     */
    public function take(string $key, int $orderId, string $action): string
    {
        $this->problem = '';
        DatabaseSession::readYourWrites();
        $local = $this->lock->take($key);
        if ($local === OrderLock::BUSY) {
            $this->problem = $this->lock->problem();
            return OrderLock::BUSY;
        }
        // UNAVAILABLE (Galera refuses GET_LOCK): the gate decides alone.
        $deadline = microtime(true) + OrderLock::MAX_WAIT_SECONDS;
        while (true) {
            $claim = $this->claims->claim($orderId, self::message($action, $orderId), '', $action);
            if ($claim === MessageClaims::CLAIMED) {
                $this->held[$key] = [$orderId, $local === OrderLock::TAKEN];
                return OrderLock::TAKEN;
            }
            if ($claim === MessageClaims::FAILED || microtime(true) >= $deadline) {
                if ($local === OrderLock::TAKEN) {
                    $this->lock->release($key);
                }
                $this->problem = $claim === MessageClaims::FAILED
                    ? $this->claims->problem()
                    : 'another worker is changing the order';
                return $claim === MessageClaims::FAILED ? OrderLock::UNAVAILABLE : OrderLock::BUSY;
            }
            usleep(random_int(20000, 100000));
        }
    }

    /** Opens the gate taken with take($key, ..., $action). */
    public function release(string $key, string $action): void
    {
        if (!isset($this->held[$key])) {
            return;
        }
        [$orderId, $local] = $this->held[$key];
        unset($this->held[$key]);
        $this->claims->release($orderId, self::message($action, $orderId), '', $action, 'done');
        if ($local) {
            $this->lock->release($key);
        }
    }

    /** Why the last take() did not succeed, for the log. */
    public function problem(): string
    {
        return $this->problem;
    }

    /** The gate row's OrderID column; its method is the action, never a myPOS method, so no notify shares it. */
    private static function message(string $action, int $orderId): string
    {
        return $action . ':' . $orderId;
    }
}
