<?php

namespace MyPOS\IPC\WooCommerce;

/**
 * A failed call to myPOS; the message is meant for the store admin and holds no secret.
 */
final class ApiError extends \RuntimeException
{
}
