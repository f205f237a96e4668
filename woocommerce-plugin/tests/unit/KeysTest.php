<?php

// phpcs:ignoreFile -- tests.
namespace MyPOS\IPC\WooCommerce\Tests;

use MyPOS\IPC\WooCommerce\Gateway;
use MyPOS\IPC\WooCommerce\Log;
use MyPOS\IPC\WooCommerce\Notices;
use MyPOS\IPC\WooCommerce\NotifyHandler;
use MyPOS\IPC\WooCommerce\OrderLock;
use MyPOS\IPC\WooCommerce\Plugin;
use MyPOS\IPC\WooCommerce\Reconciler;
use MyPOS\IPC\WooCommerce\SecretBox;
use MyPOS\IPC\WooCommerce\Settings;

define('MYPOS_TEST_SECRET_A', 'first-secret-key-for-the-tests-0123456789');
define('MYPOS_TEST_SECRET_B', 'second-secret-key-for-the-tests-9876543210');

/**
 * Issue 16 in the plug-in: private keys that survive a change of the WordPress salts (or tell
 * exactly why they do not), and rotation of the myPOS certificate / key index with an overlap.
 * Every certificate is made here, at test time.
 */
final class KeysTest extends TestCase
{
    private const SALTS_TEXT = 'the stored private key can no longer be decrypted because the WordPress salts changed; upload the configuration pack again';

    protected function tearDown(): void
    {
        SecretBox::$constant = 'MYPOS_IPC_SECRET_KEY';
        parent::tearDown();
    }

    /** A myPOS key pair made now: [private key PEM, self-signed certificate PEM valid $days days]. */
    private static function myposIdentity(int $days = 365): array
    {
        $key = openssl_pkey_new(['private_key_bits' => 2048, 'private_key_type' => OPENSSL_KEYTYPE_RSA]);
        $csr = openssl_csr_new(['commonName' => 'myPOS test ' . $days], $key, ['digest_alg' => 'sha256']);
        $cert = openssl_csr_sign($csr, null, $key, $days, ['digest_alg' => 'sha256'], random_int(1, PHP_INT_MAX));
        openssl_pkey_export($key, $pem);
        openssl_x509_export($cert, $certPem);
        return [$pem, $certPem];
    }

    /** The test pack with another myPOS certificate and key index (as myPOS issues after a rotation). */
    private static function packWith(string $certificate, int $keyIndex): string
    {
        $data = json_decode(base64_decode(self::pack()), true);
        $data['pc'] = $certificate;
        $data['idx'] = $keyIndex;
        return base64_encode(json_encode($data));
    }

    private static function notifyBy(string $myposKey, int $orderId, string $trnref): string
    {
        return \MyPOS\IPC\sign_form(http_build_query([
            'IPCmethod' => 'IPCPurchaseNotify', 'SID' => self::SID, 'Amount' => '24.45', 'Currency' => 'EUR',
            'OrderID' => (string) $orderId, 'IPC_Trnref' => $trnref, 'RequestSTAN' => '083107',
            'RequestDateTime' => '2026-11-23 10:15:00',
        ], '', '&', PHP_QUERY_RFC1738), $myposKey);
    }

    /** Saves the settings form as the admin would (fields without the woocommerce_mypos_ipc_ prefix). */
    private static function save(array $fields): void
    {
        $post = ['woocommerce_mypos_ipc_enabled' => '1', 'woocommerce_mypos_ipc_testmode' => 'yes'];
        foreach ($fields as $name => $value) {
            $post['woocommerce_mypos_ipc_' . $name] = $value;
        }
        $gateway = new Gateway();
        $gateway->set_post_data($post);
        $gateway->process_admin_options();
    }

    private function paid(string $body, int $orderId): array
    {
        self::order($orderId);
        $answer = $this->handle($body);
        return [$answer->status, $answer->body, self::saved($orderId)->get_status()];
    }

    /** The pasted test pack, stored the current way, then the salts changed. */
    private function saltsChanged(): void
    {
        self::save(['test_config_pack' => self::pack()]);
        \Stub::$salt = str_repeat('y', 40);
    }

    private static function noticeTexts(): string
    {
        return implode("\n", array_column(Notices::collect(new Settings(), true), 'text'));
    }

    public function testNotifiesSignedWithEitherCertificateVerifyDuringTheOverlapAndTheRetiredOneIsRefusedAfter(): void
    {
        self::save(['test_config_pack' => self::pack()]);
        [$newKey, $newCert] = self::myposIdentity();
        // A retire date left in the form does not touch a next pack that was never active.
        self::save(['test_next_config_pack' => self::packWith($newCert, 2), 'test_retire_on' => gmdate('Y-m-d', time() - 86400 * 3)]);
        $this->assertSame([], \Stub::$adminErrors);
        $this->assertSame(2, (new Settings())->config()->certificateCount(), 'current and next certificate');
        $html = (new Gateway())->generate_mypos_secret_html('test_next_config_pack', ['title' => 'Next']);
        $this->assertStringContainsString('key index 2; myPOS certificate valid until ' . gmdate('Y-m-d', \MyPOS\IPC\certificate_not_after($newCert)), $html);
        $this->assertStringNotContainsString('BEGIN', $html);
        $this->assertSame(1, (new Settings())->config()->keyIndex(), 'the current pack still signs');
        $this->assertSame([200, 'OK', 'processing'], $this->paid(self::notify(11), 11), 'old certificate');
        $this->assertSame([200, 'OK', 'processing'], $this->paid(self::notifyBy($newKey, 12, '410228'), 12), 'new certificate');

        // Switch, keeping the former pack through tomorrow.
        self::save(['test_rotation' => 'activate', 'test_retire_on' => gmdate('Y-m-d', time() + 86400)]);
        $this->assertSame([], \Stub::$adminErrors);
        $config = (new Settings())->config();
        $this->assertSame(2, $config->keyIndex(), 'the new pack signs now');
        $this->assertSame(2, $config->certificateCount());
        $this->assertSame('', \Stub::$options[Settings::OPTION]['test_rotation'], 'the action is done once');
        $html = (new Gateway())->generate_mypos_secret_html('test_next_config_pack', ['title' => 'Next']);
        $this->assertStringContainsString('key index 1;', $html, 'the former pack is the standby now');
        $this->assertStringContainsString('Accepted for notifications through ' . gmdate('Y-m-d', time() + 86400), $html);
        $this->assertSame([200, 'OK', 'processing'], $this->paid(self::notify(13, '24.45', '410229'), 13), 'old, during the overlap');
        $this->assertSame([200, 'OK', 'processing'], $this->paid(self::notifyBy($newKey, 14, '410230'), 14));

        // The overlap ends: the retired certificate is refused and changes nothing.
        self::save(['test_retire_on' => gmdate('Y-m-d', time() - 86400 * 2)]);
        $this->assertSame(1, (new Settings())->config()->certificateCount());
        $html = (new Gateway())->generate_mypos_secret_html('test_next_config_pack', ['title' => 'Next']);
        $this->assertStringContainsString('Retired: refused after ' . gmdate('Y-m-d', time() - 86400 * 2), $html);
        $this->assertSame([400, 'pending'], array_values(array_diff_key($this->paid(self::notify(15, '24.45', '410231'), 15), [1 => 0])));
        $this->assertSame([200, 'OK', 'processing'], $this->paid(self::notifyBy($newKey, 16, '410232'), 16));

        self::save(['test_rotation' => 'retire']);
        $this->assertArrayNotHasKey('test_standby', \Stub::$options[Settings::OPTION]);
    }

    public function testTheRetireDateMustBeADayAndActivatingNeedsANextPack(): void
    {
        self::save(['test_config_pack' => self::pack(), 'test_rotation' => 'activate']);
        $this->assertSame(['There is no next configuration pack to make active.'], \Stub::$adminErrors);
        \Stub::$adminErrors = [];
        self::save(['test_retire_on' => '2026-02-30']);
        $this->assertSame(['The retire date must be a day written YYYY-MM-DD; nothing was retired.'], \Stub::$adminErrors);
        $this->assertSame(1, (new Settings())->config()->keyIndex());
    }

    public function testTheKeyCheckTellsAChangedSaltFromDamage(): void
    {
        $sealed = SecretBox::seal('merchant key');
        $this->assertMatchesRegularExpression('/^mypos-ipc:v2:s:[0-9a-f]{16}:/', $sealed);
        $this->assertNull(SecretBox::problem($sealed));
        \Stub::$salt = str_repeat('z', 40);
        $this->assertNull(SecretBox::open($sealed));
        $this->assertSame(SecretBox::SOURCE_SALTS, SecretBox::problem($sealed));
        $this->assertSame('damaged', SecretBox::problem('mypos-ipc:v2:s:0123456789abcdef:AAAA'));
        $this->assertSame('damaged', SecretBox::problem('not sealed'));
    }

    public function testWithTheConstantTheSaltsNoLongerMatterAndAChangedConstantIsNamed(): void
    {
        SecretBox::$constant = 'MYPOS_TEST_SECRET_A';
        $this->assertTrue(SecretBox::hasConstant());
        self::save(['test_config_pack' => self::pack()]);
        $sealed = \Stub::$options[Settings::OPTION]['test_pack']['private_key'];
        $this->assertStringStartsWith('mypos-ipc:v2:c:', $sealed);
        \Stub::$salt = str_repeat('y', 40);
        $this->assertNull((new Settings())->keyProblem('test'), 'salts changed, key still opens');
        $this->assertNotNull((new Gateway())->is_available() ? 1 : null);

        SecretBox::$constant = 'MYPOS_TEST_SECRET_B'; // another value in wp-config.php
        $this->assertSame(SecretBox::SOURCE_CONSTANT, SecretBox::problem($sealed));
        $this->assertStringContainsString(
            'the stored private key can no longer be decrypted because the MYPOS_TEST_SECRET_B constant in wp-config.php changed or was removed; upload the configuration pack again',
            self::noticeTexts()
        );
        SecretBox::$constant = 'MYPOS_TEST_SECRET_UNDEFINED'; // removed from wp-config.php
        $this->assertSame(SecretBox::SOURCE_CONSTANT, SecretBox::problem($sealed));
    }

    public function testSaltsChangedGivesTheSpecificNoticeHidesTheGatewayAndReuploadRestoresIt(): void
    {
        $this->saltsChanged();
        $texts = self::noticeTexts();
        $this->assertStringContainsString('myPOS IPC (Test): ' . self::SALTS_TEXT, $texts);
        $this->assertStringNotContainsString('missing or unusable', $texts);
        $this->assertFalse((new Gateway())->is_available());
        $this->assertSame('This payment method is not configured.', (new Gateway())->paymentForm(self::order(51)), 'nothing signed');
        $html = (new Gateway())->generate_mypos_secret_html('test_config_pack', ['title' => 'Test pack']);
        $this->assertStringContainsString('SID 000000000000010', $html, 'not "No configuration stored"');
        $this->assertStringContainsString('can no longer be decrypted: paste the pack again', $html);

        self::save(['test_config_pack' => self::pack()]);
        $this->assertTrue((new Gateway())->is_available());
        $this->assertStringContainsString('mypos-ipc-payment', (new Gateway())->paymentForm(self::order(52)));
        $this->assertStringNotContainsString('decrypted', self::noticeTexts());
    }

    public function testSeparateFieldsNoticeAsksForTheKey(): void
    {
        $this->configure([
            'test_credentials' => 'fields', 'test_sid' => self::SID, 'test_wallet' => '61938166610', 'test_key_index' => '1',
            'test_private_key' => SecretBox::seal((string) json_decode(base64_decode(self::pack()), true)['pk']),
            'test_mypos_certificate' => (string) json_decode(base64_decode(self::pack()), true)['pc'],
        ]);
        $this->assertNotNull((new Settings())->signingConfig());
        \Stub::$salt = str_repeat('y', 40);
        $this->assertStringContainsString('because the WordPress salts changed; paste the merchant private key again', self::noticeTexts());
        $html = (new Gateway())->generate_mypos_private_key_html('test_private_key', ['title' => 'Key']);
        $this->assertStringContainsString('The stored private key can no longer be decrypted: paste it again.', $html);
        $this->assertNull((new Settings())->signingConfig());
        $this->assertSame([200, 'OK', 'processing'], $this->paid(self::notify(21), 21), 'notify verified with the certificate');
    }

    public function testNotifyIsStillVerifiedAndPaidWhenThePrivateKeyCannotBeOpened(): void
    {
        $this->saltsChanged();
        $this->assertNull((new Settings())->signingConfig());
        $this->assertSame([200, 'OK', 'processing'], $this->paid(self::notify(31), 31));
        $this->assertSame('410227', self::saved(31)->get_meta('_mypos_ipc_trnref'));
        [$otherKey] = self::myposIdentity();
        $this->assertSame(400, $this->handle(self::notifyBy($otherKey, 32, '1'))->status, 'a forged one is still refused');
    }

    public function testRefundsAndStatusChecksPauseWithTheSameNotice(): void
    {
        $this->saltsChanged();
        self::order(41, '24.45', 'processing', '410227');
        \Stub::$httpHandler = fn () => $this->fail('nothing may be sent to myPOS');
        $refund = (new Gateway())->process_refund(41, '1.00');
        $this->assertInstanceOf(\WP_Error::class, $refund);
        $this->assertStringContainsString(self::SALTS_TEXT, $refund->get_error_message());
        $handler = new NotifyHandler(new Settings(), new OrderLock(), new Log('debug'));
        $this->assertStringContainsString(
            self::SALTS_TEXT,
            (new Reconciler(new Settings(), $handler, new Log('debug')))->check(self::order(42))
        );
        $this->assertSame('pending', self::saved(42)->get_status());
    }

    public function testAPackSealedWholeByEarlierVersionsIsMigratedAndThenSurvivesTheSalts(): void
    {
        $key = sodium_crypto_generichash('mypos-ipc settings key|' . wp_salt('auth') . '|' . wp_salt('secure_auth'), '', 32);
        $nonce = random_bytes(SODIUM_CRYPTO_SECRETBOX_NONCEBYTES);
        $this->configure(['test_config_pack' => 'mypos-ipc:v1:' . base64_encode($nonce . sodium_crypto_secretbox(self::pack(), $nonce, $key))]);
        $this->assertSame(self::SID, (new Settings())->config()->sid(), 'v1 still read');
        (new Plugin(dirname(__DIR__, 2) . '/mypos-ipc-woocommerce.php'))->migrateSecrets();
        $stored = \Stub::$options[Settings::OPTION];
        $this->assertSame('', $stored['test_config_pack']);
        $this->assertStringStartsWith('mypos-ipc:v2:s:', $stored['test_pack']['private_key']);
        $this->assertStringNotContainsString('PRIVATE KEY', serialize($stored));
        $this->assertNull((new Settings())->migrated(), 'nothing left to do');

        SecretBox::$constant = 'MYPOS_TEST_SECRET_A'; // the owner adds the line to wp-config.php
        (new Plugin(dirname(__DIR__, 2) . '/mypos-ipc-woocommerce.php'))->migrateSecrets();
        $this->assertStringStartsWith('mypos-ipc:v2:c:', \Stub::$options[Settings::OPTION]['test_pack']['private_key']);
        \Stub::$salt = str_repeat('y', 40);
        $this->assertNotNull((new Settings())->signingConfig());
    }

    public function testACertificateEndingWithin30DaysIsWarnedAbout(): void
    {
        [, $soon] = self::myposIdentity(10);
        $this->configure(['test_config_pack' => SecretBox::seal(self::packWith($soon, 1))]);
        $notAfter = \MyPOS\IPC\certificate_not_after($soon);
        $warning = 'myPOS IPC (Test): the myPOS certificate of key index 1 expires on ' . gmdate('Y-m-d', $notAfter);
        $this->assertStringContainsString($warning, self::noticeTexts());
        $expired = array_column(Notices::keyNotices(new Settings(), $notAfter + 1), 'text');
        $this->assertStringContainsString('expired on ' . gmdate('Y-m-d', $notAfter), implode("\n", $expired));
        $this->assertSame([], Notices::keyNotices(new Settings(), $notAfter - 31 * 86400), 'not yet within 30 days');
        $this->assertSame(1, (new Settings())->config()->certificateCount(), 'an expiring certificate still verifies');
    }

    public function testTheSettingsPageOffersTheConstantLine(): void
    {
        $description = (new Gateway())->form_fields['secret_key']['description'];
        $this->assertMatchesRegularExpression("#define\\(&\\#039;MYPOS_IPC_SECRET_KEY&\\#039;, &\\#039;[A-Za-z0-9+/]{43}=&\\#039;\\);#", $description);
        SecretBox::$constant = 'MYPOS_TEST_SECRET_A';
        $this->assertStringContainsString('sealed with MYPOS_TEST_SECRET_A from wp-config.php', (new Gateway())->form_fields['secret_key']['description']);
    }
}
