<?php

// phpcs:ignoreFile -- tests.
namespace MyPOS\IPC\WooCommerce\Tests;

use MyPOS\IPC\WooCommerce\Gateway;
use MyPOS\IPC\WooCommerce\Notices;
use MyPOS\IPC\WooCommerce\PurchaseForm;
use MyPOS\IPC\WooCommerce\SecretBox;
use MyPOS\IPC\WooCommerce\Settings;

/** Separate-field credentials (issue #7): SID, wallet, key index, private key, myPOS certificate per mode. */
final class CredentialsTest extends TestCase
{
    private const WALLET = '61938166610';

    private static function key(string $name): string
    {
        return (string) file_get_contents(TEST_DATA . '/' . $name);
    }

    /** The admin form as posted, for one mode's separate fields. */
    private static function post(string $mode, array $fields): array
    {
        $post = ['woocommerce_mypos_ipc_testmode' => 'yes'];
        foreach ($fields as $name => $value) {
            $post["woocommerce_mypos_ipc_{$mode}_{$name}"] = $value;
        }
        return $post;
    }

    private static function validFields(): array
    {
        return [
            'credentials' => 'fields', 'sid' => self::SID, 'wallet' => self::WALLET, 'key_index' => '1',
            'private_key' => self::key('keys/merchant_private.pem'), 'mypos_certificate' => self::key('keys/mypos_cert.pem'),
        ];
    }

    private function save(array $post): Gateway
    {
        $gateway = new Gateway();
        $gateway->set_post_data($post);
        $gateway->process_admin_options();
        return $gateway;
    }

    private static function stored(): array
    {
        return \Stub::$options[Settings::OPTION];
    }

    public function testSeparateFieldsAreSavedWithTheKeySealedAndBuildTheConfig(): void
    {
        $this->save(self::post('test', self::validFields()));
        $this->assertSame([], \Stub::$adminErrors);
        $stored = self::stored();
        $this->assertSame('fields', $stored['test_credentials']);
        $this->assertSame(self::WALLET, $stored['test_wallet']);
        $this->assertTrue(SecretBox::isSealed($stored['test_private_key']));
        $this->assertSame(self::key('keys/merchant_private.pem'), SecretBox::open($stored['test_private_key']) . "\n");
        $this->assertStringNotContainsString('PRIVATE KEY', serialize($stored), 'the key is not stored in clear');
        $this->assertSame('', $stored['test_config_pack'], 'no pack needed');
        $config = (new Settings())->config();
        $this->assertNotNull($config);
        $this->assertSame([self::SID, self::WALLET, 1, 2048], [$config->sid(), $config->wallet(), $config->keyIndex(), $config->privateKeyBits()]);
    }

    public function testTheFormNeverShowsTheStoredKeyAndAnEmptyInputKeepsIt(): void
    {
        $gateway = $this->save(self::post('test', self::validFields()));
        $sealed = self::stored()['test_private_key'];
        $html = $gateway->generate_mypos_private_key_html('test_private_key', ['title' => 'Test: key', 'description' => '']);
        $this->assertMatchesRegularExpression('#<textarea[^>]*name="woocommerce_mypos_ipc_test_private_key"[^>]*></textarea>#', $html);
        $this->assertStringNotContainsString('PRIVATE', $html);
        $this->assertStringNotContainsString($sealed, $html);
        $this->assertStringContainsString('A private key is stored', $html);

        $this->save(self::post('test', ['private_key' => ''] + self::validFields()));
        $this->assertSame([], \Stub::$adminErrors);
        $this->assertSame($sealed, self::stored()['test_private_key']);
        $this->assertNotNull((new Settings())->config());
    }

    /** @return array<string, array{array<string, string>, string}> */
    public static function badFields(): array
    {
        $merchantCert = fn () => self::key('keys/merchant_cert.pem');
        return [
            'SID too short' => [['sid' => '12345'], 'the SID must be 15 letters or digits'],
            'SID with a dash' => [['sid' => '00000000000-010'], 'the SID must be 15 letters or digits'],
            'wallet not digits' => [['wallet' => '6193816661X'], 'the wallet number must be 11 digits'],
            'key index zero' => [['key_index' => '0'], 'the key index must be a whole number from 1'],
            'key index text' => [['key_index' => 'one'], 'the key index must be a whole number from 1'],
            'no private key' => [['private_key' => ''], 'no merchant private key is stored'],
            'private key not PEM' => [['private_key' => 'not a key at all'], 'the merchant private key: private key is not valid PEM'],
            'no certificate' => [['mypos_certificate' => ''], 'the myPOS certificate is missing'],
            'certificate not PEM' => [['mypos_certificate' => "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----"], 'the myPOS certificate'],
            "merchant's own certificate" => [['mypos_certificate' => 'MERCHANT_CERT'], "is the merchant's own public key"],
        ];
    }

    /** @dataProvider badFields */
    public function testInvalidFieldsAreRefusedWithASpecificErrorAndThePreviousOnesKept(array $bad, string $expected): void
    {
        $this->configure(); // a working pack, pack mode
        $before = self::stored();
        $bad = array_map(fn ($v) => $v === 'MERCHANT_CERT' ? self::key('keys/merchant_cert.pem') : $v, $bad);
        $this->save(self::post('test', $bad + self::validFields()));
        $this->assertCount(1, \Stub::$adminErrors);
        $this->assertStringStartsWith('Test credentials not saved: ', \Stub::$adminErrors[0]);
        $this->assertStringContainsString($expected, \Stub::$adminErrors[0]);
        $this->assertStringNotContainsString('MII', \Stub::$adminErrors[0], 'no key or certificate text in the error');
        foreach (['credentials', 'sid', 'wallet', 'key_index', 'private_key', 'mypos_certificate'] as $field) {
            $this->assertSame($before['test_' . $field] ?? '', self::stored()['test_' . $field], "test_$field kept");
        }
        $this->assertSame(self::SID, (new Settings())->config()->sid(), 'the stored pack still works');
    }

    public function testKeysOfTheWrongKindOrSizeAreRefused(): void
    {
        $ec = openssl_pkey_new(['curve_name' => 'prime256v1', 'private_key_type' => OPENSSL_KEYTYPE_EC]);
        openssl_pkey_export($ec, $ecPem);
        $this->save(self::post('test', ['private_key' => $ecPem] + self::validFields()));
        $this->assertStringContainsString('not an RSA', \Stub::$adminErrors[0] ?? '');

        \Stub::$adminErrors = [];
        $small = openssl_pkey_new(['private_key_bits' => 512, 'private_key_type' => OPENSSL_KEYTYPE_RSA]);
        openssl_pkey_export($small, $smallPem);
        $this->save(self::post('test', ['private_key' => $smallPem] + self::validFields()));
        $this->assertStringContainsString('512 bits', \Stub::$adminErrors[0] ?? '');

        // Live credentials are checked for the production endpoint: 2048 bits or more.
        \Stub::$adminErrors = [];
        $this->save(self::post('live', [
            'credentials' => 'fields', 'sid' => self::SID, 'wallet' => self::WALLET, 'key_index' => '1',
            'private_key' => self::key('test-keys/merchant_test_private_key_from_docs.pem'),
            'mypos_certificate' => self::key('test-keys/mypos_test_cert_2018_from_test_config_pack.pem'),
        ]));
        $this->assertCount(1, \Stub::$adminErrors);
        $this->assertStringStartsWith('Live credentials not saved: ', \Stub::$adminErrors[0]);
        $this->assertStringContainsString('2048 bits', \Stub::$adminErrors[0]);
        $this->assertSame('', self::stored()['live_private_key'], 'the refused key is not stored');
    }

    public function testThePurchaseFormFromFieldsEqualsTheOneFromThePack(): void
    {
        $this->configure();
        $order = self::order(60);
        \Stub::$options[\MyPOS\IPC\WooCommerce\Attempts::SINCE_OPTION] = time() - 60; // a new order
        // The OrderID of the order's first attempt, as the order-pay page below will send it.
        $attemptId = (new Settings())->orderPrefix() . '-60-1';
        $fromPack = (new PurchaseForm(new Settings()))->build((new Settings())->config(), $order, $attemptId, 'https://shop.test/?wc-api=mypos_ipc');
        $this->save(self::post('test', self::validFields()));
        $settings = new Settings();
        $this->assertTrue($settings->usesFields('test'));
        $fromFields = (new PurchaseForm($settings))->build($settings->config(), $order, $attemptId, 'https://shop.test/?wc-api=mypos_ipc');
        $fields = $fromFields->fields();
        $this->assertSame([self::SID, self::WALLET, '1'], [$fields['SID'], $fields['WalletNumber'], $fields['KeyIndex']]);
        $this->assertTrue(\MyPOS\IPC\verify($fields, self::merchantCert()), 'signed with the pasted key');
        $this->assertSame($fromPack->fields(), $fields, 'same fields and signature as from the pack');

        ob_start();
        (new Gateway())->receiptPage(60);
        $html = (string) ob_get_clean();
        $this->assertStringContainsString('name="Signature" value="' . $fields['Signature'] . '"', $html);
    }

    public function testEachModeUsesItsOwnSource(): void
    {
        // Test mode: pack. Live mode: separate fields (checked for the production endpoint).
        $this->configure();
        $this->save(self::post('live', self::validFields()));
        $this->assertSame([], \Stub::$adminErrors);
        $this->assertFalse((new Settings())->usesFields('test'));
        $this->assertNotNull((new Settings())->config());
        \Stub::$options[Settings::OPTION]['testmode'] = 'no';
        $live = (new Settings())->config();
        $this->assertNotNull($live);
        $this->assertStringNotContainsString('test', $live->endpointUrl());
        \Stub::$options[Settings::OPTION]['live_credentials'] = 'pack'; // no live pack stored
        $this->assertNull((new Settings())->config());
    }

    public function testNoticeWhenSeparateFieldsAreSelectedButUnusable(): void
    {
        $this->configure(['test_credentials' => 'fields', 'test_sid' => self::SID, 'test_private_key' => 'mypos-ipc:v1:garbage']);
        $texts = implode("\n", array_column(Notices::collect(new Settings(), true), 'text'));
        $this->assertStringContainsString('test credentials (separate fields) are missing or unusable', $texts);
        $this->assertNull((new Settings())->config());
    }

    public function testUninstallRemovesTheSeparateFieldsToo(): void
    {
        $this->save(self::post('test', self::validFields()));
        $this->assertArrayHasKey('test_private_key', self::stored());
        if (!defined('WP_UNINSTALL_PLUGIN')) {
            define('WP_UNINSTALL_PLUGIN', 'mypos-ipc-woocommerce/mypos-ipc-woocommerce.php');
        }
        require __DIR__ . '/../../uninstall.php';
        $this->assertSame([], array_filter(array_keys(\Stub::$options), fn ($k) => str_contains((string) $k, 'mypos')), 'no option left');
        $this->assertStringNotContainsString('mypos-ipc:v1:', serialize(\Stub::$options));
    }
}
