<?php

namespace MyPOS\IPC\WooCommerce;

use MyPOS\IPC\Config;

/**
 * One mode's stored credentials as entries: SID, wallet, key index, the myPOS certificate in
 * the clear (it is public: notifies verify whatever happens to the sealing key) and the merchant
 * private key sealed by SecretBox. A mode has its current entry ("{mode}_pack", or the separate
 * fields) and at most one standby entry ("{mode}_standby"): the next pack before it is made
 * active, or the former one until its retire date. Both certificates verify while both are kept.
 *
 * @phpstan-type Entry array{sid: string, wallet: string, key_index: int, certificate: string,
 *   private_key: string, application_id?: string, partner_id?: string, retire_at?: int}
 */
final class Keyring
{
    private static ?string $placeholderKey = null;

    /**
     * An entry from a pasted pack: checked by the core (Config::fromPack) and split by it
     * (config_pack_parts()), so only the private key is sealed.
     *
     * @return array<string, mixed>
     * @throws \InvalidArgumentException with a message safe to show (never the key)
     */
    public static function entryFromPack(#[\SensitiveParameter] string $pack, string $endpoint): array
    {
        $pack = trim($pack);
        try {
            Config::fromPack($pack, $endpoint);
        } catch (\MyPOS\IPC\Exception $e) {
            throw new \InvalidArgumentException(sprintf(
                /* translators: %s: reason given by the extension */
                __('The configuration pack is not usable: %s', 'mypos-ipc'),
                $e->getMessage()
            ));
        }
        // The core reads the pack (its format is the core's); only the private key is sealed.
        $parts = \MyPOS\IPC\config_pack_parts($pack);
        $entry = [
            'sid' => $parts['sid'],
            'wallet' => $parts['wallet'],
            'key_index' => $parts['key_index'],
            'certificate' => (string) $parts['mypos_certificate'],
            'private_key' => SecretBox::seal((string) $parts['private_key']),
            'retire_at' => 0,
        ];
        foreach (['application_id', 'partner_id'] as $field) {
            if ((string) ($parts[$field] ?? '') !== '') {
                $entry[$field] = (string) $parts[$field];
            }
        }
        return $entry;
    }

    /** Whether a stored value looks like an entry (settings may hold anything). */
    public static function isEntry(mixed $entry): bool
    {
        return is_array($entry) && is_string($entry['certificate'] ?? null) && is_string($entry['private_key'] ?? null)
            && isset($entry['sid'], $entry['wallet'], $entry['key_index']);
    }

    /** Whether a standby entry still verifies at $now (no retire date, or before it). */
    public static function accepted(array $entry, int $now): bool
    {
        $retireAt = (int) ($entry['retire_at'] ?? 0);
        return $retireAt === 0 || $now < $retireAt;
    }

    /**
     * The Config of an entry. When its private key cannot be opened, a throwaway key made in
     * memory stands in (the extension has no verify-only Config): the Config then only verifies,
     * and Settings::signingConfig() keeps every signing caller away from it.
     *
     * @param array<string, mixed> $entry
     * @throws \MyPOS\IPC\Exception when the core refuses the entry
     */
    public static function config(array $entry, string $endpoint, string $language): Config
    {
        $options = [
            'sid' => (string) $entry['sid'],
            'wallet' => (string) $entry['wallet'],
            'key_index' => (int) $entry['key_index'],
            'private_key' => SecretBox::open((string) $entry['private_key']) ?? self::placeholderKey(),
            'mypos_certificate' => (string) $entry['certificate'],
            'endpoint' => $endpoint,
            'language' => $language,
        ];
        foreach (['application_id', 'partner_id'] as $field) {
            if (isset($entry[$field]) && $entry[$field] !== '') {
                $options[$field] = (string) $entry[$field];
            }
        }
        return Config::fromArray($options);
    }

    /** $config that also accepts $certificate (kept as is when it is the same key). */
    public static function withCertificate(Config $config, string $certificate): Config
    {
        try {
            return $config->withCertificate($certificate);
        } catch (\MyPOS\IPC\ConfigException $e) {
            return $config;
        }
    }

    /** The validity end of an entry's certificate (Unix time), or null when unknown. */
    public static function notAfter(array $entry): ?int
    {
        try {
            return \MyPOS\IPC\certificate_not_after((string) $entry['certificate']);
        } catch (\MyPOS\IPC\Exception $e) {
            return null;
        }
    }

    /** An RSA key made once per process, never stored: it signs nothing myPOS accepts. */
    private static function placeholderKey(): string
    {
        if (self::$placeholderKey === null) {
            $key = openssl_pkey_new(['private_key_bits' => 2048, 'private_key_type' => OPENSSL_KEYTYPE_RSA]);
            $pem = '';
            if ($key === false || !openssl_pkey_export($key, $pem)) {
                throw new \RuntimeException('openssl could not make a key');
            }
            self::$placeholderKey = $pem;
        }
        return self::$placeholderKey;
    }
}
