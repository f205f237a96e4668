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
    /** Credential sets: option prefix => the endpoint their keys are validated for. */
    public const MODES = ['test' => 'test', 'live' => 'production'];
    /** The separate-field credentials of a mode are stored as "{mode}_{field}". */
    public const FIELDS = ['sid', 'wallet', 'key_index', 'private_key', 'mypos_certificate'];

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
        $mode = $this->testMode() ? 'test' : 'live';
        if ($this->usesFields($mode)) {
            try {
                return $this->fieldsConfig($mode, $this->endpoint());
            } catch (\InvalidArgumentException | \MyPOS\IPC\Exception $e) {
                return null;
            }
        }
        $pack = SecretBox::open($this->get($mode . '_config_pack'));
        if ($pack === null || $pack === '') {
            return null;
        }
        try {
            return self::fromPackWithLanguage($pack, $this->endpoint(), $this->language());
        } catch (\MyPOS\IPC\Exception $e) {
            return null;
        }
    }

    /** Whether a mode ('test' or 'live') takes its credentials from the separate fields. */
    public function usesFields(string $mode): bool
    {
        return $this->get($mode . '_credentials', 'pack') === 'fields';
    }

    /**
     * The Config built from a mode's separate fields (SID, wallet, key index, sealed private
     * key, myPOS certificate) through the extension's Config::fromArray().
     *
     * @throws \InvalidArgumentException naming the missing or malformed field (never a key)
     * @throws \MyPOS\IPC\Exception when the extension refuses the keys
     */
    public function fieldsConfig(string $mode, string $endpoint): Config
    {
        $sid = trim($this->get($mode . '_sid'));
        $wallet = trim($this->get($mode . '_wallet'));
        $keyIndex = trim($this->get($mode . '_key_index'));
        $certificate = trim($this->get($mode . '_mypos_certificate'));
        $sealed = $this->get($mode . '_private_key');
        $privateKey = SecretBox::open($sealed);
        $problem = match (true) {
            preg_match('/^[A-Za-z0-9]{15}$/', $sid) !== 1
                => __('the SID must be 15 letters or digits, e.g. 000000000000010', 'mypos-ipc'),
            preg_match('/^\d{11}$/', $wallet) !== 1 => __('the wallet number must be 11 digits', 'mypos-ipc'),
            preg_match('/^[1-9]\d{0,5}$/', $keyIndex) !== 1
                => __('the key index must be a whole number from 1 (see the store\'s keys in myPOS)', 'mypos-ipc'),
            $sealed === '' => __('no merchant private key is stored: paste it in PEM form', 'mypos-ipc'),
            $privateKey === null
                => __('the stored private key cannot be decrypted (salts changed?): paste it again', 'mypos-ipc'),
            $certificate === '' => __('the myPOS certificate is missing: paste it in PEM form', 'mypos-ipc'),
            default => null,
        };
        if ($problem !== null) {
            throw new \InvalidArgumentException($problem);
        }
        return Config::fromArray([
            'sid' => $sid,
            'wallet' => $wallet,
            'key_index' => (int) $keyIndex,
            'private_key' => $privateKey,
            'mypos_certificate' => $certificate,
            'endpoint' => $endpoint,
            'language' => $this->language(),
        ]);
    }

    /**
     * Null when a mode's separate fields are unused (pack selected and all empty) or make a usable
     * configuration, else a sentence for the admin saying what is wrong (never a key).
     */
    public function fieldsProblem(string $mode): ?string
    {
        $used = $this->usesFields($mode);
        foreach (self::FIELDS as $field) {
            $used = $used || trim($this->get($mode . '_' . $field)) !== '';
        }
        if (!$used) {
            return null;
        }
        $label = $mode === 'test' ? __('Test credentials', 'mypos-ipc') : __('Live credentials', 'mypos-ipc');
        try {
            $config = $this->fieldsConfig($mode, self::MODES[$mode] ?? 'test');
        } catch (\InvalidArgumentException | \MyPOS\IPC\Exception $e) {
            // The extension names the option ('private_key': ...); say it the admin's way.
            $reason = strtr((string) preg_replace('/^Config::fromArray\(\): (\$options: )?/', '', $e->getMessage()), [
                "'private_key'" => __('the merchant private key', 'mypos-ipc'),
                "'mypos_certificate'" => __('the myPOS certificate', 'mypos-ipc'),
            ]);
            return sprintf(
                /* translators: 1: "Test credentials" or "Live credentials", 2: what is wrong */
                __('%1$s not saved: %2$s', 'mypos-ipc'),
                $label,
                $reason
            );
        }
        if ($config->privateKeyBits() < 1024) {
            return sprintf(
                /* translators: %s: "Test credentials" or "Live credentials" */
                __('%s not saved: the private key is shorter than 1024 bits.', 'mypos-ipc'),
                $label
            );
        }
        return null;
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
