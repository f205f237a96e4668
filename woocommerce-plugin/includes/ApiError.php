<?php

namespace MyPOS\IPC\WooCommerce;

/**
 * A failed call to myPOS; the message is meant for the store admin and holds no secret. When the
 * answer was refused by the extension, getCode() is its error kind (a \MyPOS\IPC\Exception
 * constant such as SIGNATURE_INVALID); 0 for transport and HTTP failures.
 */
final class ApiError extends \RuntimeException
{
}
