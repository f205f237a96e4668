<?php

namespace MyPOS\IPC\WooCommerce;

/**
 * What the notify endpoint sends back: a status and body, or a redirect for the buyer; for an
 * answer the core decided, what it decided (NotifyStats::decided(), for the health counters).
 */
final class Answer
{
    /**
     * @param array<string, mixed>|null $decided
     */
    public function __construct(
        public readonly int $status,
        public readonly string $body,
        public readonly ?string $redirect = null,
        public readonly ?array $decided = null
    ) {
    }
}
