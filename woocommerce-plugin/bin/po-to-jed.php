<?php

/**
 * Reads a .po (no line wrapping, as msggrep --no-wrap writes it) on stdin and writes the Jed 1.x
 * JSON that WordPress's script translations expect. Only translated singular entries are kept;
 * plural entries keep every form. Usage: php po-to-jed.php LOCALE < file.po
 */

$locale = $argv[1] ?? '';
$messages = ['' => ['domain' => 'messages', 'lang' => $locale, 'plural-forms' => 'nplurals=2; plural=(n != 1);']];
$unquote = static fn (string $s): string => stripcslashes(substr($s, 1, -1));
$entry = [];
$flush = static function () use (&$entry, &$messages): void {
    if (isset($entry['msgid']) && $entry['msgid'] !== '') {
        $forms = $entry['msgstr'] ?? [];
        if ($forms !== [] && !in_array('', $forms, true)) {
            $key = isset($entry['msgctxt']) ? $entry['msgctxt'] . "\u{4}" . $entry['msgid'] : $entry['msgid'];
            $messages[$key] = array_values($forms);
        }
    }
    $entry = [];
};
foreach (explode("\n", stream_get_contents(STDIN)) as $line) {
    if (preg_match('/^"Plural-Forms: (.*)\\\\n"$/', $line, $m)) {
        $messages['']['plural-forms'] = $m[1];
    } elseif (preg_match('/^(msgctxt|msgid|msgid_plural) (".*")$/', $line, $m)) {
        if ($m[1] !== 'msgid_plural' && isset($entry['msgstr'])) {
            $flush();
        }
        $entry[$m[1]] = $unquote($m[2]);
    } elseif (preg_match('/^msgstr(?:\[(\d+)\])? (".*")$/', $line, $m)) {
        $entry['msgstr'][(int) ($m[1] ?: 0)] = $unquote($m[2]);
    }
}
$flush();
echo json_encode(
    ['domain' => 'messages', 'locale_data' => ['messages' => $messages]],
    JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES
), "\n";
