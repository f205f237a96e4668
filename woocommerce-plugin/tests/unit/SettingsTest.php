<?php

// phpcs:ignoreFile -- tests.
namespace MyPOS\IPC\WooCommerce\Tests;

use MyPOS\IPC\WooCommerce\Gateway;
use MyPOS\IPC\WooCommerce\SecretBox;
use MyPOS\IPC\WooCommerce\Settings;

final class SettingsTest extends TestCase
{
    public function testSecretBoxRoundTripAndNoPlainText(): void
    {
        $sealed = SecretBox::seal('secret-pack');
        $this->assertStringStartsWith('mypos-ipc:v2:s:', $sealed);
        $this->assertStringNotContainsString('secret-pack', $sealed);
        $this->assertNotSame($sealed, SecretBox::seal('secret-pack'), 'fresh nonce each time');
        $this->assertSame('secret-pack', SecretBox::open($sealed));
        $this->assertNull(SecretBox::open('secret-pack'));
        $this->assertNull(SecretBox::open(substr($sealed, 0, -4) . 'AAAA'));
    }

    public function testSavingAValidPackStoresItEncrypted(): void
    {
        $gateway = new Gateway();
        $gateway->set_post_data(['woocommerce_mypos_ipc_test_config_pack' => self::pack(), 'woocommerce_mypos_ipc_enabled' => '1', 'woocommerce_mypos_ipc_testmode' => 'yes']);
        $gateway->process_admin_options();
        $stored = \Stub::$options[Settings::OPTION];
        $this->assertSame([], \Stub::$adminErrors);
        $this->assertSame('', $stored['test_config_pack'], 'stored split: test_pack');
        $this->assertStringStartsWith('mypos-ipc:v2:s:', $stored['test_pack']['private_key']);
        $this->assertStringContainsString('BEGIN CERTIFICATE', $stored['test_pack']['certificate'], 'public, in the clear');
        $this->assertStringNotContainsString('PRIVATE KEY', serialize($stored));
        $this->assertStringNotContainsString(self::pack(), serialize($stored));
        $config = (new Settings())->config();
        $this->assertNotNull($config);
        $this->assertSame(self::SID, $config->sid());
        $this->assertSame('yes', $stored['enabled']);
    }

    public function testInvalidPackIsRefusedAndOldOneKept(): void
    {
        $this->configure();
        $before = \Stub::$options[Settings::OPTION]['test_config_pack'];
        $gateway = new Gateway();
        $gateway->set_post_data(['woocommerce_mypos_ipc_test_config_pack' => 'bm90IGEgcGFjaw==', 'woocommerce_mypos_ipc_testmode' => 'yes']);
        $gateway->process_admin_options();
        $this->assertCount(1, \Stub::$adminErrors);
        $this->assertStringContainsString('configuration pack is not usable', \Stub::$adminErrors[0]);
        $this->assertSame($before, \Stub::$options[Settings::OPTION]['test_config_pack']);
    }

    public function testEmptyInputKeepsStoredPackAndFormNeverShowsIt(): void
    {
        $this->configure();
        $before = \Stub::$options[Settings::OPTION]['test_config_pack'];
        $gateway = new Gateway();
        $gateway->set_post_data(['woocommerce_mypos_ipc_test_config_pack' => '', 'woocommerce_mypos_ipc_testmode' => 'yes']);
        $gateway->process_admin_options();
        $this->assertSame($before, \Stub::$options[Settings::OPTION]['test_config_pack']);
        $html = $gateway->generate_mypos_secret_html('test_config_pack', ['title' => 'Test pack']);
        $this->assertStringContainsString('SID 000000000000010', $html);
        $this->assertStringNotContainsString('PRIVATE', $html);
        $this->assertStringNotContainsString($before, $html);
        $this->assertMatchesRegularExpression('#<textarea[^>]*></textarea>#', $html);
    }

    public function testEndpointFollowsTestModeAndSandboxUrl(): void
    {
        $this->configure(['test_endpoint_url' => 'http://127.0.0.1:8999/']);
        $this->assertSame('http://127.0.0.1:8999/', (new Settings())->endpoint());
        $this->assertSame('http://127.0.0.1:8999/', (new Settings())->config()->endpointUrl());
        $this->configure(['testmode' => 'no']);
        $this->assertSame('production', (new Settings())->endpoint());
        $this->assertNull((new Settings())->config(), 'no live pack stored');
    }

    public function testDefaultsAreSafe(): void
    {
        $gateway = new Gateway();
        $this->assertSame('no', $gateway->get_option('enabled'));
        $this->assertSame('', $gateway->get_option('testmode'), 'no mode until the owner chooses one');
        $this->assertNull((new Settings($gateway->settings))->mode());
        $this->assertSame('error', $gateway->get_option('logging'));
        $this->assertFalse($gateway->is_available());
    }

    public function testUninstallRemovesTheKeys(): void
    {
        $this->configure();
        defined('WP_UNINSTALL_PLUGIN') || define('WP_UNINSTALL_PLUGIN', 'mypos-ipc-woocommerce/mypos-ipc-woocommerce.php');
        \Stub::$messages['1|2|IPCPurchaseNotify'] = [1, 'done', null];
        require __DIR__ . '/../../uninstall.php';
        $this->assertArrayNotHasKey(Settings::OPTION, \Stub::$options);
        $this->assertFalse(\Stub::$messagesTable, 'the messages table is dropped');
        $this->assertSame([], \Stub::$messages);
    }

    public function testPackWhoseCertificateIsTheMerchantsOwnKeyIsRefused(): void
    {
        $json = json_decode(base64_decode(self::pack()), true);
        $json['pc'] = self::merchantCert();
        $bad = base64_encode((string) json_encode($json));
        $this->expectException(\InvalidArgumentException::class);
        $this->expectExceptionMessage("merchant's own public key");
        \MyPOS\IPC\WooCommerce\Keyring::entryFromPack($bad, 'test');
    }

    public function testRefusalMessagesNeverHoldTheKey(): void
    {
        $json = json_decode(base64_decode(self::pack()), true);
        $json['pk'] = substr($json['pk'], 0, 200);
        try {
            \MyPOS\IPC\WooCommerce\Keyring::entryFromPack(base64_encode((string) json_encode($json)), 'test');
            $this->fail('a truncated key must be refused');
        } catch (\InvalidArgumentException $e) {
            $this->assertStringNotContainsString(substr($json['pk'], 40, 30), $e->getMessage());
            $this->assertStringContainsString('not usable', $e->getMessage());
        }
    }

    public function testPayForOrderPageShowsTheSignedForm(): void
    {
        $this->configure();
        self::order(60);
        ob_start();
        (new Gateway())->receiptPage(60);
        $html = (string) ob_get_clean();
        $this->assertStringContainsString('<form', $html);
        $this->assertStringContainsString('IPCPurchase', $html);
        $this->assertStringContainsString('name="Signature"', $html);
    }
}
