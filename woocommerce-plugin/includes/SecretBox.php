<?php

namespace MyPOS\IPC\WooCommerce;

/**
 * Encrypts secrets at rest with libsodium secretbox, keyed from the WordPress salts.
 */
final class SecretBox
{
    private const PREFIX = 'mypos-ipc:v1:';

    public static function isSealed(string $value): bool
    {
        return strncmp($value, self::PREFIX, strlen(self::PREFIX)) === 0;
    }

    public static function seal(string $plain): string
    {
        $nonce = random_bytes(SODIUM_CRYPTO_SECRETBOX_NONCEBYTES);
        $key = self::key();
        $sealed = self::PREFIX . base64_encode($nonce . sodium_crypto_secretbox($plain, $nonce, $key));
        sodium_memzero($key);
        return $sealed;
    }

    /**
     * The plain text, or null when the value is not sealed or cannot be opened
     * (e.g. the WordPress salts changed).
     */
    public static function open(string $sealed): ?string
    {
        if (!self::isSealed($sealed)) {
            return null;
        }
        $raw = base64_decode(substr($sealed, strlen(self::PREFIX)), true);
        if ($raw === false || strlen($raw) <= SODIUM_CRYPTO_SECRETBOX_NONCEBYTES) {
            return null;
        }
        $key = self::key();
        $plain = sodium_crypto_secretbox_open(
            substr($raw, SODIUM_CRYPTO_SECRETBOX_NONCEBYTES),
            substr($raw, 0, SODIUM_CRYPTO_SECRETBOX_NONCEBYTES),
            $key
        );
        sodium_memzero($key);
        return $plain === false ? null : $plain;
    }

    private static function key(): string
    {
        return sodium_crypto_generichash(
            'mypos-ipc settings key|' . wp_salt('auth') . '|' . wp_salt('secure_auth'),
            '',
            SODIUM_CRYPTO_SECRETBOX_KEYBYTES
        );
    }
}
