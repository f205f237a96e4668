<?php

namespace MyPOS\IPC\WooCommerce;

use MyPOS\IPC\Config;

/**
 * Reads the gateway settings (option woocommerce_mypos_ipc_settings) and builds the Config.
 */
final class Settings
{
    public const OPTION = 'woocommerce_mypos_ipc_settings';
    public const LEVELS = ['error', 'warning', 'info', 'debug'];

    /** @var array<string, mixed> */
    private array $values;

    /**
     * @param array<string, mixed>|null $values the saved settings (null: read the option)
     */
    public function __construct(?array $values = null)
    {
        $stored = $values ?? get_option(self::OPTION, []);
        $this->values = is_array($stored) ? $stored : [];
    }

    public function get(string $key, string $default = ''): string
    {
        $value = $this->values[$key] ?? $default;
        return is_scalar($value) ? (string) $value : $default;
    }

    public function enabled(): bool
    {
        return $this->get('enabled', 'no') === 'yes';
    }

    public function testMode(): bool
    {
        return $this->get('testmode', 'yes') !== 'no';
    }

    public function logLevel(): string
    {
        $level = $this->get('logging', 'error');
        return in_array($level, self::LEVELS, true) ? $level : 'error';
    }

    /**
     * 'test', 'production' or the configured test endpoint URL (e.g. a local sandbox).
     */
    public function endpoint(): string
    {
        if (!$this->testMode()) {
            return 'production';
        }
        $url = trim($this->get('test_endpoint_url'));
        return $url === '' ? 'test' : $url;
    }

    /**
     * The active configuration (test or live), or null when it is missing or unusable.
     */
    public function config(): ?Config
    {
        $key = $this->testMode() ? 'test_config_pack' : 'live_config_pack';
        $pack = SecretBox::open($this->get($key));
        if ($pack === null || $pack === '') {
            return null;
        }
        try {
            return self::fromPackWithLanguage($pack, $this->endpoint(), $this->language());
        } catch (\MyPOS\IPC\Exception $e) {
            return null;
        }
    }

    /** The payment page language (two letters). */
    public function language(): string
    {
        $language = strtolower($this->get('language', 'en'));
        return preg_match('/^[a-z]{2}$/', $language) === 1 ? $language : 'en';
    }

    /**
     * Config::fromPack() has no language parameter: a JSON pack (the usual form) goes through
     * Config::fromArray() with its own fields plus the language; anything else through fromPack.
     */
    private static function fromPackWithLanguage(string $pack, string $endpoint, string $language): Config
    {
        $config = Config::fromPack($pack, $endpoint); // validates the pack as the core reads it
        $json = json_decode((string) base64_decode($pack, true), true);
        $usable = is_array($json) && is_string($json['pk'] ?? null) && is_string($json['pc'] ?? null);
        if ($language === 'en' || !$usable) {
            return $config;
        }
        return Config::fromArray([
            'sid' => $config->sid(),
            'wallet' => $config->wallet(),
            'key_index' => $config->keyIndex(),
            'private_key' => $json['pk'],
            'mypos_certificate' => $json['pc'],
            'endpoint' => $endpoint,
            'language' => $language,
        ]);
    }

    /**
     * Validates a pasted configuration pack and returns the sealed value to store.
     *
     * @throws \InvalidArgumentException with a message safe to show (never the key)
     */
    public static function sealPack(string $pack, string $endpoint): string
    {
        $pack = trim($pack);
        try {
            $config = Config::fromPack($pack, $endpoint);
        } catch (\MyPOS\IPC\Exception $e) {
            throw new \InvalidArgumentException(sprintf(
                /* translators: %s: reason given by the extension */
                __('The configuration pack is not usable: %s', 'mypos-ipc'),
                $e->getMessage()
            ));
        }
        if ($config->privateKeyBits() < 1024) {
            throw new \InvalidArgumentException(
                __('The configuration pack is not usable: its private key is shorter than 1024 bits.', 'mypos-ipc')
            );
        }
        return SecretBox::seal($pack);
    }

    /**
     * What to show about a stored pack (never the key), or null when none is stored.
     *
     * @return array<string, mixed>|null
     */
    public function packInfo(string $key): ?array
    {
        $pack = SecretBox::open($this->get($key));
        if ($pack === null || $pack === '') {
            return null;
        }
        try {
            return \MyPOS\IPC\config_pack_info($pack);
        } catch (\MyPOS\IPC\Exception $e) {
            return null;
        }
    }
}
