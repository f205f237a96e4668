<?php

// Minimal TAP helpers shared by the extension's test scripts.
declare(strict_types=1);

final class Tap
{
    private static int $n = 0;
    private static int $failed = 0;

    public static function ok(bool $cond, string $name, string $diag = ''): void
    {
        self::$n++;
        if ($cond) {
            echo 'ok ', self::$n, ' - ', $name, "\n";
            return;
        }
        self::$failed++;
        echo 'not ok ', self::$n, ' - ', $name, "\n";
        if ($diag !== '') {
            echo '#   ', str_replace("\n", "\n#   ", $diag), "\n";
        }
    }

    public static function is(mixed $got, mixed $want, string $name): void
    {
        self::ok($got === $want, $name, 'got ' . var_export($got, true) . "\nwant " . var_export($want, true));
    }

    /** Runs $fn and passes when it throws exactly $class (and the message contains $needle). */
    public static function throws(callable $fn, string $class, string $name, string $needle = ''): ?Throwable
    {
        try {
            $r = $fn();
            self::ok(false, $name, "no exception; returned " . var_export($r, true));
            return null;
        } catch (Throwable $e) {
            $good = get_class($e) === $class && ($needle === '' || str_contains($e->getMessage(), $needle));
            self::ok($good, $name, get_class($e) . ': ' . $e->getMessage());
            return $e;
        }
    }

    public static function finish(): never
    {
        echo '1..', self::$n, "\n";
        exit(self::$failed === 0 ? 0 : 1);
    }
}

/**
 * Reads a file under the repository's tests/data (provenance in its README). Vector files name
 * their keys "protocol/test-keys/...": read as "test-keys/...".
 */
function data(string $rel): string
{
    $path = dirname(__DIR__, 2) . '/tests/data/' . preg_replace('#^protocol/#', '', $rel);
    $text = file_get_contents($path);
    if ($text === false) {
        throw new RuntimeException("cannot read $path");
    }
    return $text;
}

function vectors(string $file): array
{
    return json_decode(data('vectors/' . $file), true, 512, JSON_THROW_ON_ERROR)['vectors'];
}

if (!extension_loaded('mypos_ipc')) {
    echo "not ok 1 - extension mypos_ipc is loaded\n";
    exit(1);
}
