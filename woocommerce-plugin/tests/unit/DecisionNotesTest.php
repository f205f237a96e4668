<?php

// phpcs:ignoreFile -- tests.
namespace MyPOS\IPC\WooCommerce\Tests;

use MyPOS\IPC\WooCommerce\DecisionNotes;

/** Order notes are worded by the plug-in from the core's note codes, in the site's language. */
final class DecisionNotesTest extends TestCase
{
    /** The note codes the core emits, read from its one list (NoteCode's wire names). */
    private static function coreCodes(): array
    {
        $source = (string) file_get_contents(__DIR__ . '/../../../src/notify.rs');
        preg_match_all('/NoteCode::\w+ => "([a-z_]+)"/', $source, $m);
        return $m[1];
    }

    public function testEveryNoteCodeOfTheCoreIsWorded(): void
    {
        $core = self::coreCodes();
        $this->assertGreaterThan(20, count($core), 'the core list was found');
        $this->assertSame([], array_values(array_diff($core, array_keys(DecisionNotes::CODES))), 'codes without wording');
        $this->assertSame([], array_values(array_diff(array_keys(DecisionNotes::CODES), $core)), 'wording for codes the core does not have');
    }

    /** Each sentence uses every value it names, each in its own place (placeholders numbered right). */
    public function testEverySentenceCarriesItsValues(): void
    {
        foreach (DecisionNotes::CODES as $code => $names) {
            $params = [];
            foreach ($names as $i => $name) {
                $params[$name] = "<v{$i}>";
            }
            $text = DecisionNotes::wording($code, $params);
            $this->assertIsString($text, $code);
            foreach ($params as $value) {
                $this->assertSame(1, substr_count($text, $value), "$code: $value in '$text'");
            }
            $this->assertStringNotContainsString('%', $text, "$code: a placeholder left over");
        }
    }

    public function testUnknownCodeOrMissingValueLeavesTheCoresEnglishNote(): void
    {
        $this->assertNull(DecisionNotes::wording('a_code_from_a_newer_extension', ['x' => '1']));
        $this->assertNull(DecisionNotes::wording('paid', []), 'paid needs its trnref');
    }

    public function testTheOrderNoteOfAPaymentIsTranslated(): void
    {
        $this->configure();
        \Stub::$translations['mypos-ipc']['Paid through myPOS, IPC_Trnref %s.'] = 'Платено през myPOS, IPC_Trnref %s.';
        self::order(7);
        $this->assertSame('OK', $this->handle(self::notify(7))->body);
        $this->assertContains('Платено през myPOS, IPC_Trnref 410227.', self::saved(7)->notes);
    }

    public function testTheNoteOfARefusedPaymentIsTranslatedWithItsValues(): void
    {
        $this->configure();
        $msgid = 'myPOS payment %1$s refused: myPOS reported %2$s %3$s but the order expects %4$s %5$s.';
        \Stub::$translations['mypos-ipc'][$msgid] = 'Плащане %1$s отказано: %2$s %3$s вместо %4$s %5$s.';
        self::order(7);
        $this->assertSame('NOT OK', $this->handle(self::notify(7, '1.00'))->body);
        $this->assertContains('Плащане 410227 отказано: 1.00 EUR вместо 24.45 EUR.', self::saved(7)->notes);
    }
}
