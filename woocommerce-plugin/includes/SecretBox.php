<?php

namespace MyPOS\IPC\WooCommerce;

/**
 * Encrypts secrets at rest with libsodium secretbox. The key comes from the wp-config.php
 * constant MYPOS_IPC_SECRET_KEY when it is defined, else from the WordPress salts (which
 * security plug-ins and migrations rotate). A sealed value names its key source and carries a
 * key-check value, so a key that changed is told apart from a damaged value.
 *
 * Format v2: "mypos-ipc:v2:<c|s>:<check>:<base64 nonce+box>"; v1 ("mypos-ipc:v1:<base64>",
 * salts only, no check) is still opened and resealed by Settings::migrated().
 */
final class SecretBox
{
    /** The wp-config.php constant holding the sealing key (tests point it at their own constant). */
    public static string $constant = 'MYPOS_IPC_SECRET_KEY';

    public const SOURCE_CONSTANT = 'constant';
    public const SOURCE_SALTS = 'salts';

    private const V1 = 'mypos-ipc:v1:';
    private const V2 = 'mypos-ipc:v2:';

    public static function isSealed(string $value): bool
    {
        return str_starts_with($value, self::V1) || str_starts_with($value, self::V2);
    }

    /** Whether the wp-config.php constant is defined (and not empty). */
    public static function hasConstant(): bool
    {
        return defined(self::$constant) && is_string(constant(self::$constant)) && constant(self::$constant) !== '';
    }

    /** A fresh value for the constant: 32 random bytes, base64. */
    public static function newConstantValue(): string
    {
        return base64_encode(random_bytes(32));
    }

    /** Seals with the constant's key when it is defined, else with the salts' key. */
    public static function seal(string $plain): string
    {
        $source = self::hasConstant() ? self::SOURCE_CONSTANT : self::SOURCE_SALTS;
        $key = self::key($source);
        $nonce = random_bytes(SODIUM_CRYPTO_SECRETBOX_NONCEBYTES);
        $sealed = self::V2 . $source[0] . ':' . self::check($key) . ':'
            . base64_encode($nonce . sodium_crypto_secretbox($plain, $nonce, $key));
        sodium_memzero($key);
        return $sealed;
    }

    /**
     * The plain text, or null when the value is not sealed or cannot be opened (problem() says why).
     */
    public static function open(string $sealed): ?string
    {
        $parts = self::parts($sealed);
        if ($parts === null || !self::keyAvailable($parts['source'])) {
            return null;
        }
        $key = self::key($parts['source']);
        if ($parts['check'] !== null && !hash_equals($parts['check'], self::check($key))) {
            sodium_memzero($key);
            return null;
        }
        $raw = $parts['box'];
        $plain = sodium_crypto_secretbox_open(
            substr($raw, SODIUM_CRYPTO_SECRETBOX_NONCEBYTES),
            substr($raw, 0, SODIUM_CRYPTO_SECRETBOX_NONCEBYTES),
            $key
        );
        sodium_memzero($key);
        return $plain === false ? null : $plain;
    }

    /**
     * Why a stored value does not open: SOURCE_SALTS (sealed with the salts, which changed),
     * SOURCE_CONSTANT (sealed with the constant, which changed or was removed), 'damaged', or
     * null when it opens or nothing is stored.
     */
    public static function problem(string $sealed): ?string
    {
        if ($sealed === '' || self::open($sealed) !== null) {
            return null;
        }
        return self::parts($sealed)['source'] ?? 'damaged';
    }

    /**
     * Whether an openable value should be sealed again: v1, or sealed with the salts while the
     * constant is now defined.
     */
    public static function needsReseal(string $sealed): bool
    {
        $parts = self::parts($sealed);
        return $parts !== null && self::open($sealed) !== null
            && ($parts['check'] === null || ($parts['source'] === self::SOURCE_SALTS && self::hasConstant()));
    }

    /**
     * @return array{source: string, check: ?string, box: string}|null
     */
    private static function parts(string $sealed): ?array
    {
        if (str_starts_with($sealed, self::V1)) {
            $box = base64_decode(substr($sealed, strlen(self::V1)), true);
            return $box === false || !self::boxSized($box)
                ? null
                : ['source' => self::SOURCE_SALTS, 'check' => null, 'box' => $box];
        }
        if (!preg_match('/^mypos-ipc:v2:([cs]):([0-9a-f]{16}):([A-Za-z0-9+\/=]+)$/D', $sealed, $m)) {
            return null;
        }
        $box = base64_decode($m[3], true);
        $source = $m[1] === 'c' ? self::SOURCE_CONSTANT : self::SOURCE_SALTS;
        return $box === false || !self::boxSized($box) ? null : ['source' => $source, 'check' => $m[2], 'box' => $box];
    }

    /** Long enough to hold a nonce and a box (shorter is damage, not a changed key). */
    private static function boxSized(string $box): bool
    {
        return strlen($box) >= SODIUM_CRYPTO_SECRETBOX_NONCEBYTES + SODIUM_CRYPTO_SECRETBOX_MACBYTES;
    }

    private static function keyAvailable(string $source): bool
    {
        return $source === self::SOURCE_SALTS || self::hasConstant();
    }

    private static function key(string $source): string
    {
        $material = $source === self::SOURCE_CONSTANT
            ? 'mypos-ipc secret key|' . (string) constant(self::$constant)
            : 'mypos-ipc settings key|' . wp_salt('auth') . '|' . wp_salt('secure_auth');
        return sodium_crypto_generichash($material, '', SODIUM_CRYPTO_SECRETBOX_KEYBYTES);
    }

    /** A key-check value: tells a changed key, reveals nothing of it. */
    private static function check(string $key): string
    {
        return substr(bin2hex(sodium_crypto_generichash('mypos-ipc key check', $key, 16)), 0, 16);
    }
}
