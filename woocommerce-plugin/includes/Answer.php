<?php

namespace MyPOS\IPC\WooCommerce;

/**
 * What the notify endpoint sends back: a status and body, or a redirect for the buyer.
 */
final class Answer
{
    public function __construct(
        public readonly int $status,
        public readonly string $body,
        public readonly ?string $redirect = null
    ) {
    }
}
