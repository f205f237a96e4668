<?php

/**
 * Writes languages/mypos-ipc.pot from the __()/esc_html__() calls of the shipped PHP files.
 * Usage: php bin/make-pot.php [--check]   (--check: exit 1 when the .pot is out of date)
 */

$root = dirname(__DIR__);
$files = array_merge([$root . '/mypos-ipc-woocommerce.php'], glob($root . '/includes/*.php') ?: []);
$strings = [];
foreach ($files as $file) {
    $tokens = token_get_all((string) file_get_contents($file));
    foreach ($tokens as $i => $token) {
        if (!is_array($token) || $token[0] !== T_STRING || !in_array($token[1], ['__', 'esc_html__'], true)) {
            continue;
        }
        $j = $i + 1;
        while (isset($tokens[$j]) && (is_array($tokens[$j]) && $tokens[$j][0] === T_WHITESPACE)) {
            $j++;
        }
        if (($tokens[$j] ?? null) !== '(') {
            continue;
        }
        do {
            $j++;
        } while (isset($tokens[$j]) && is_array($tokens[$j]) && $tokens[$j][0] === T_WHITESPACE);
        if (!is_array($tokens[$j] ?? null) || $tokens[$j][0] !== T_CONSTANT_ENCAPSED_STRING) {
            continue;
        }
        $text = eval('return ' . $tokens[$j][1] . ';');
        $strings[$text][] = substr($file, strlen($root) + 1);
    }
}
ksort($strings);
$quote = static fn (string $s): string => '"' . addcslashes($s, "\"\\\n") . '"';
$pot = "# Translation template for myPOS IPC for WooCommerce.\n"
    . "# This file is distributed under the same license as the plug-in (GPL-2.0-or-later).\n"
    . "msgid \"\"\nmsgstr \"\"\n"
    . "\"Project-Id-Version: myPOS IPC for WooCommerce 0.1.0\\n\"\n"
    . "\"MIME-Version: 1.0\\n\"\n"
    . "\"Content-Type: text/plain; charset=UTF-8\\n\"\n"
    . "\"Content-Transfer-Encoding: 8bit\\n\"\n"
    . "\"X-Domain: mypos-ipc\\n\"\n";
foreach ($strings as $text => $refs) {
    $pot .= "\n#: " . implode(' ', array_unique($refs)) . "\n";
    if (str_contains((string) $text, '%')) {
        $pot .= "#, php-format\n";
    }
    $pot .= 'msgid ' . $quote((string) $text) . "\nmsgstr \"\"\n";
}
$target = $root . '/languages/mypos-ipc.pot';
if (in_array('--check', $argv, true)) {
    exit(is_file($target) && file_get_contents($target) === $pot ? 0 : 1);
}
file_put_contents($target, $pot);
echo count($strings) . " strings\n";
