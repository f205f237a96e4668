<?php

namespace MyPOS\IPC\WooCommerce;

/**
 * Logging through WooCommerce's logger (source mypos-ipc), filtered by the configured level.
 * Callers pass messages that hold no secrets; fields named like keys are masked anyway.
 */
final class Log
{
    private const RANK = ['error' => 0, 'warning' => 1, 'info' => 2, 'debug' => 3];

    public function __construct(private string $level = 'error')
    {
    }

    /** The log at the level the saved settings choose. */
    public static function configured(): self
    {
        return new self((new Settings())->logLevel());
    }

    public function error(string $message): void
    {
        $this->write('error', $message);
    }

    public function warning(string $message): void
    {
        $this->write('warning', $message);
    }

    public function info(string $message): void
    {
        $this->write('info', $message);
    }

    public function debug(string $message): void
    {
        $this->write('debug', $message);
    }

    private function write(string $level, string $message): void
    {
        if (self::RANK[$level] > (self::RANK[$this->level] ?? 0) || !function_exists('wc_get_logger')) {
            return;
        }
        $message = (string) preg_replace(
            [
                '/-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(-----END [A-Z ]*PRIVATE KEY-----|$)/s',
                // A card token charges the card again: never in a log, in a form body or JSON.
                '/(CardToken(?:=|"\s*:\s*"|\s*=>\s*\'?))[^&"\'\s,]+/i',
            ],
            ['[private key removed]', '$1[card token removed]'],
            $message
        );
        wc_get_logger()->log($level, $message, ['source' => 'mypos-ipc']);
    }
}
