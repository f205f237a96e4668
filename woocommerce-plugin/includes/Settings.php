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

    /**
     * The mode the owner chose for new payments: 'test', 'live', or null while none is chosen
     * (a new install: there is no silent default, the gateway stays unavailable until then).
     */
    public function mode(): ?string
    {
        return match ($this->get('testmode')) {
            'yes' => 'test',
            'no' => 'live',
            default => null,
        };
    }

    public function testMode(): bool
    {
        return $this->mode() === 'test';
    }

    /**
     * The prefix of the OrderIDs this site sends to myPOS (`<prefix>-<order id>-<n>`): the
     * owner's setting, else one derived from the site's home URL each time it is used (never
     * stored), so a staging copy of the database makes OrderIDs of its own.
     */
    public function orderPrefix(): string
    {
        $set = trim($this->get('order_prefix'));
        return $set !== '' ? $set : self::prefixFromUrl(home_url('/'));
    }

    /**
     * A prefix made from a URL's host and path: its letters and digits (a leading "www"
     * dropped), at most 16, starting with a letter, and four characters of the URL's hash when
     * shortened, so shop.example.com and staging.shop.example.com differ.
     */
    public static function prefixFromUrl(string $url): string
    {
        $host = strtolower((string) parse_url($url, PHP_URL_HOST)) . (string) parse_url($url, PHP_URL_PATH);
        if (str_starts_with($host, 'www.')) {
            $host = substr($host, 4);
        }
        $alnum = implode('', array_filter(str_split($host), 'ctype_alnum'));
        if ($alnum === '' || !ctype_alpha($alnum[0])) {
            $alnum = 's' . $alnum;
        }
        if (strlen($alnum) > 16) {
            $alnum = substr($alnum, 0, 12) . substr(hash('sha256', $url), 0, 4);
        }
        return $alnum;
    }

    public function logLevel(): string
    {
        $level = $this->get('logging', 'error');
        return in_array($level, self::LEVELS, true) ? $level : 'error';
    }

    /**
     * Where a mode's requests go: 'production' for live; for test 'test' or the configured test
     * endpoint URL (e.g. a local sandbox). Null: the chosen mode.
     */
    public function endpoint(?string $mode = null): string
    {
        if (($mode ?? $this->mode()) !== 'test') {
            return 'production';
        }
        $url = trim($this->get('test_endpoint_url'));
        return $url === '' ? 'test' : $url;
    }

    /**
     * A mode's configuration ('test' or 'live'; null: the chosen mode), or null when it is
     * missing or unusable. Every operation on an order uses the mode its payment attempt was
     * made in, whatever mode is chosen now. It accepts the current myPOS certificate and the
     * standby one until its retire date, so notifies signed with either verify during a
     * rotation. When the private key cannot be opened it still verifies, but it must not sign:
     * whatever signs asks signingConfig().
     */
    public function config(?string $mode = null): ?Config
    {
        $mode ??= $this->mode();
        if (!isset(self::MODES[$mode ?? '']) || $this->keyProblem($mode) === 'damaged') {
            return null;
        }
        try {
            if ($this->usesFields($mode)) {
                $config = $this->fieldsConfig($mode, $this->endpoint($mode));
            } else {
                $entry = $this->packEntry($mode);
                if ($entry === null) {
                    return null;
                }
                $config = Keyring::config($entry, $this->endpoint($mode), $this->language());
            }
        } catch (\InvalidArgumentException | \MyPOS\IPC\Exception $e) {
            return null;
        }
        $standby = $this->standbyEntry($mode);
        return $standby !== null && Keyring::accepted($standby, time())
            ? Keyring::withCertificate($config, (string) $standby['certificate'])
            : $config;
    }

    /** A mode's configuration for signing (payments, refunds, status checks): null while keyProblem(). */
    public function signingConfig(?string $mode = null): ?Config
    {
        return $this->keyProblem($mode) === null ? $this->config($mode) : null;
    }

    /**
     * Why a mode's stored private key cannot be opened: SecretBox::SOURCE_SALTS,
     * SecretBox::SOURCE_CONSTANT, 'damaged'; null when it opens or none is stored.
     */
    public function keyProblem(?string $mode = null): ?string
    {
        $mode ??= $this->mode();
        if (!isset(self::MODES[$mode ?? ''])) {
            return null;
        }
        if ($this->usesFields($mode)) {
            return SecretBox::problem($this->get($mode . '_private_key'));
        }
        $entry = $this->entry($mode . '_pack');
        $sealed = $entry !== null ? (string) $entry['private_key'] : $this->get($mode . '_config_pack');
        return SecretBox::problem($sealed);
    }

    /**
     * The owner's notice while a mode's private key cannot be opened (also the reason refunds and
     * status checks give for pausing), or null.
     */
    public function keyNotice(?string $mode = null): ?string
    {
        $mode ??= $this->mode();
        $problem = $this->keyProblem($mode);
        if ($problem === null) {
            return null;
        }
        $because = match ($problem) {
            SecretBox::SOURCE_SALTS => __('the WordPress salts changed', 'mypos-ipc'),
            SecretBox::SOURCE_CONSTANT => sprintf(
                /* translators: %s: the wp-config.php constant's name */
                __('the %s constant in wp-config.php changed or was removed', 'mypos-ipc'),
                SecretBox::$constant
            ),
            default => __('it is damaged', 'mypos-ipc'),
        };
        $action = $this->usesFields((string) $mode)
            ? __('paste the merchant private key again', 'mypos-ipc')
            : __('upload the configuration pack again', 'mypos-ipc');
        return sprintf(
            /* translators: 1: "Test" or "Live", 2: why the key cannot be opened, 3: what to do */
            __(
                // phpcs:ignore Generic.Files.LineLength.TooLong -- a translatable sentence stays on one line
                'myPOS IPC (%1$s): the stored private key can no longer be decrypted because %2$s; %3$s. Until then the gateway is hidden at checkout and refunds and status checks are paused; notifications are still verified.',
                'mypos-ipc'
            ),
            $mode === 'test' ? __('Test', 'mypos-ipc') : __('Live', 'mypos-ipc'),
            $because,
            $action
        );
    }

    /**
     * A mode's current pack entry (Keyring): "{mode}_pack", else a pack stored sealed whole by
     * earlier versions ("{mode}_config_pack") while it still opens.
     *
     * @return array<string, mixed>|null
     */
    public function packEntry(string $mode): ?array
    {
        $entry = $this->entry($mode . '_pack');
        if ($entry !== null) {
            return $entry;
        }
        $pack = SecretBox::open($this->get($mode . '_config_pack'));
        if ($pack === null || $pack === '') {
            return null;
        }
        try {
            return Keyring::entryFromPack($pack, self::MODES[$mode] ?? 'test');
        } catch (\InvalidArgumentException $e) {
            return null;
        }
    }

    /**
     * A mode's standby entry (the next pack, or the former one until its retire date), or null.
     *
     * @return array<string, mixed>|null
     */
    public function standbyEntry(string $mode): ?array
    {
        return $this->entry($mode . '_standby');
    }

    /**
     * The separate fields of a mode as a Keyring entry (for a rotation away from them), or null.
     *
     * @return array<string, mixed>|null
     */
    public function fieldsEntry(string $mode): ?array
    {
        $entry = [
            'sid' => trim($this->get($mode . '_sid')),
            'wallet' => trim($this->get($mode . '_wallet')),
            'key_index' => (int) trim($this->get($mode . '_key_index')),
            'certificate' => trim($this->get($mode . '_mypos_certificate')),
            'private_key' => $this->get($mode . '_private_key'),
            'retire_at' => 0,
        ];
        return $entry['certificate'] !== '' && $entry['private_key'] !== '' ? $entry : null;
    }

    /**
     * @return array<string, mixed>|null
     */
    private function entry(string $key): ?array
    {
        $entry = $this->values[$key] ?? null;
        return Keyring::isEntry($entry) ? $entry : null;
    }

    /**
     * The settings with secrets stored by earlier versions brought up to date, or null when
     * nothing changed: a pack sealed whole becomes an entry (certificate in the clear), and keys
     * sealed the v1 way, or with the salts while the wp-config.php constant is now defined, are
     * sealed again. Only what still opens is touched.
     *
     * @return array<string, mixed>|null
     */
    public function migrated(): ?array
    {
        $values = $this->values;
        $changed = false;
        foreach (array_keys(self::MODES) as $mode) {
            $legacy = $this->get($mode . '_config_pack');
            if ($legacy !== '' && $this->entry($mode . '_pack') === null && SecretBox::open($legacy) !== null) {
                $values[$mode . '_pack'] = $this->packEntry($mode);
                $values[$mode . '_config_pack'] = '';
                $changed = true;
            }
            foreach ([$mode . '_pack', $mode . '_standby'] as $key) {
                if (Keyring::isEntry($values[$key] ?? null) && SecretBox::needsReseal($values[$key]['private_key'])) {
                    $plain = (string) SecretBox::open($values[$key]['private_key']);
                    $values[$key]['private_key'] = SecretBox::seal($plain);
                    $changed = true;
                }
            }
            $field = $this->get($mode . '_private_key');
            if (SecretBox::needsReseal($field)) {
                $values[$mode . '_private_key'] = SecretBox::seal((string) SecretBox::open($field));
                $changed = true;
            }
        }
        return $changed ? $values : null;
    }

    /**
     * Every usable configuration by mode, the chosen mode first (incoming messages are verified
     * against each until one matches: that tells the mode the message was made in).
     *
     * @return array<string, Config>
     */
    public function configs(): array
    {
        $modes = array_keys(self::MODES);
        $chosen = $this->mode();
        if ($chosen !== null) {
            $modes = array_unique(array_merge([$chosen], $modes));
        }
        $configs = [];
        foreach ($modes as $mode) {
            $config = $this->config($mode);
            if ($config !== null) {
                $configs[$mode] = $config;
            }
        }
        return $configs;
    }

    /** Whether a mode ('test' or 'live') takes its credentials from the separate fields. */
    public function usesFields(string $mode): bool
    {
        return $this->get($mode . '_credentials', 'pack') === 'fields';
    }

    /**
     * The Config built from a mode's separate fields (SID, wallet, key index, sealed private
     * key, myPOS certificate) through the extension's Config::fromArray(). With $checkKeys the
     * keys are checked one by one first, so an error names the key (the settings form does).
     *
     * @throws \InvalidArgumentException naming the missing or malformed field (never a key)
     * @throws \MyPOS\IPC\Exception when the extension refuses the keys
     */
    public function fieldsConfig(string $mode, string $endpoint, bool $checkKeys = false): Config
    {
        $sid = trim($this->get($mode . '_sid'));
        $wallet = trim($this->get($mode . '_wallet'));
        $keyIndex = trim($this->get($mode . '_key_index'));
        $certificate = trim($this->get($mode . '_mypos_certificate'));
        $sealed = $this->get($mode . '_private_key');
        $privateKey = SecretBox::open($sealed);
        $problem = self::firstProblem(['sid' => $sid, 'wallet' => $wallet, 'key_index' => $keyIndex]) ?? match (true) {
            $sealed === '' => __('no merchant private key is stored: paste it in PEM form', 'mypos-ipc'),
            $privateKey === null && $checkKeys
                => __('the stored private key cannot be decrypted (salts changed?): paste it again', 'mypos-ipc'),
            $certificate === '' => __('the myPOS certificate is missing: paste it in PEM form', 'mypos-ipc'),
            default => null,
        };
        if ($problem === null && $checkKeys) {
            $problem = self::firstProblem(['private_key' => (string) $privateKey, 'mypos_certificate' => $certificate]);
        }
        if ($problem !== null) {
            throw new \InvalidArgumentException($problem);
        }
        // A key sealed with a key that changed: the config verifies only (Keyring::config()).
        return Keyring::config([
            'sid' => $sid,
            'wallet' => $wallet,
            'key_index' => (int) $keyIndex,
            'private_key' => $sealed,
            'certificate' => $certificate,
        ], $endpoint, $this->language());
    }

    /**
     * The first field (name => text) the core refuses, said the admin's way, or null.
     *
     * @param array<string, string> $values
     */
    private static function firstProblem(array $values): ?string
    {
        foreach ($values as $field => $value) {
            $reason = Config::validateField($field, $value);
            if ($reason !== null) {
                return self::fieldProblem($field, $reason);
            }
        }
        return null;
    }

    /** What the admin reads when the core refuses one separate field (never its value). */
    private static function fieldProblem(string $field, string $reason): string
    {
        return match ($field) {
            'sid' => __('the SID must be 15 letters or digits, e.g. 000000000000010', 'mypos-ipc'),
            'wallet' => __('the wallet number must be 11 digits', 'mypos-ipc'),
            'key_index'
                => __('the key index must be a whole number from 1 (see the store\'s keys in myPOS)', 'mypos-ipc'),
            'private_key' => __('the merchant private key', 'mypos-ipc') . ': ' . $reason,
            'mypos_certificate' => __('the myPOS certificate', 'mypos-ipc') . ': ' . $reason,
            default => $field . ': ' . $reason,
        };
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
            $this->fieldsConfig($mode, self::MODES[$mode] ?? 'test', true);
        } catch (\InvalidArgumentException | \MyPOS\IPC\Exception $e) {
            return sprintf(
                /* translators: 1: "Test credentials" or "Live credentials", 2: what is wrong */
                __('%1$s not saved: %2$s', 'mypos-ipc'),
                $label,
                $e->getMessage()
            );
        }
        return null;
    }

    /** The payment page language (two letters). */
    public function language(): string
    {
        $language = strtolower($this->get('language', 'en'));
        return Config::validateField('language', $language) === null ? $language : 'en';
    }
}
