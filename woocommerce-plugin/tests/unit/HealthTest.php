<?php

// phpcs:ignoreFile -- tests.
namespace MyPOS\IPC\WooCommerce\Tests;

use MyPOS\IPC\WooCommerce\Answer;
use MyPOS\IPC\WooCommerce\Gateway;
use MyPOS\IPC\WooCommerce\Health;
use MyPOS\IPC\WooCommerce\Keyring;
use MyPOS\IPC\WooCommerce\NotifyCheck;
use MyPOS\IPC\WooCommerce\NotifyStats;
use MyPOS\IPC\WooCommerce\Plugin;
use MyPOS\IPC\WooCommerce\Reconciler;
use MyPOS\IPC\WooCommerce\Settings;
use MyPOS\IPC\WooCommerce\SiteHealth;

/**
 * Issue 19 items 1-2: the checks behind Site Health, WooCommerce > Status and the settings
 * page's health panel.
 */
final class HealthTest extends TestCase
{
    protected function setUp(): void
    {
        parent::setUp();
        $this->configure();
    }

    private static function health(?int $now = null): Health
    {
        return new Health(new Settings(), $now ?? time());
    }

    public function testTheExtensionIsLoadedWithItsVersionAndBuild(): void
    {
        $check = self::health()->extension();
        $this->assertSame(Health::GOOD, $check['status']);
        $this->assertSame('mypos_ipc ' . \MyPOS\IPC\VERSION . ', built for ' . \MyPOS\IPC\BUILD_TARGET . ' (this PHP).', $check['text']);
        $this->assertSame(\MyPOS\IPC\BUILD_TARGET, Health::phpTarget(), 'the loaded build is for this PHP');
    }

    public function testKeysUsableUndecryptableAndEndingSoon(): void
    {
        $keys = self::health()->keys();
        $notAfter = Keyring::notAfter((new Settings())->packEntry('test'));
        $this->assertSame(Health::GOOD, $keys['status'], $keys['text']);
        $this->assertSame('Test: key index 1, the private key opens, the myPOS certificate is valid until ' . gmdate('Y-m-d', $notAfter) . '.', $keys['text']);

        $soon = self::health($notAfter - 10 * 86400)->keys();
        $this->assertSame(Health::RECOMMENDED, $soon['status']);
        $this->assertStringContainsString('the myPOS certificate of key index 1 expires on ' . gmdate('Y-m-d', $notAfter), $soon['text']);

        \Stub::$salt = 'rotated by a security plug-in';
        $broken = self::health()->keys();
        $this->assertSame(Health::CRITICAL, $broken['status']);
        $this->assertSame((new Settings())->keyNotice(), $broken['text'], 'the admin notice\'s sentence');
    }

    public function testMissingCredentialsAreCritical(): void
    {
        $this->configure(['test_config_pack' => '']);
        $keys = self::health()->keys();
        $this->assertSame(Health::CRITICAL, $keys['status']);
        $this->assertStringContainsString('The test credentials are missing or unusable.', $keys['text']);
    }

    public function testTestModeOnAProductionSiteIsCritical(): void
    {
        $this->assertSame('production', wp_get_environment_type());
        $mode = self::health()->mode();
        $this->assertSame([Health::CRITICAL, 'myPOS IPC is in test mode on a production site'], [$mode['status'], $mode['label']]);
        $this->configure(['enabled' => 'no']);
        $this->assertSame(Health::RECOMMENDED, self::health()->mode()['status'], 'not offered at checkout: worth a look only');
        \Stub::$environment = 'staging';
        $this->assertSame(Health::GOOD, self::health()->mode()['status']);
        $this->configure(['testmode' => 'no']);
        $live = self::health()->mode();
        $this->assertSame(Health::RECOMMENDED, $live['status']);
        $this->assertStringContainsString('"staging"', $live['text']);
        \Stub::$environment = 'production';
        $this->assertSame(Health::GOOD, self::health()->mode()['status']);
        $this->configure(['testmode' => '']);
        $this->assertSame(Health::RECOMMENDED, self::health()->mode()['status']);
    }

    public function testHttpsOfTheNotifyUrl(): void
    {
        $this->assertSame(Health::GOOD, self::health()->https()['status']);
        \Stub::$scheme = 'http';
        $this->assertSame(Health::RECOMMENDED, self::health()->https()['status'], 'test mode');
        $this->configure(['testmode' => 'no']);
        $https = self::health()->https();
        $this->assertSame(Health::CRITICAL, $https['status']);
        $this->assertStringContainsString('http://shop.test/?wc-api=mypos_ipc', $https['text']);
    }

    public function testNotifyReachabilityFromTheLastCheckAndTheLastNotifies(): void
    {
        $now = time();
        $notify = self::health()->notify();
        $this->assertSame(Health::RECOMMENDED, $notify['status']);
        $this->assertStringContainsString('Press "Check the notify URL"', $notify['text']);

        update_option(NotifyCheck::RESULT, NotifyCheck::judge('https://shop.test/?wc-api=mypos_ipc', ['headers' => [], 'body' => 'Unauthorized', 'response' => ['code' => 401]], 12) + ['at' => $now - 60]);
        $failed = self::health()->notify();
        $this->assertSame([Health::CRITICAL, 'myPOS may not reach the notify URL'], [$failed['status'], $failed['label']]);
        $this->assertStringContainsString('HTTP 401: the site asks for a password', $failed['text']);

        // A notify answered OK since then: myPOS does reach it.
        NotifyStats::record(new Answer(200, 'OK', null, ['method' => 'IPCPurchaseNotify', 'order' => 'shop-7-1', 'action' => 'mark_paid']), $now);
        $good = self::health()->notify();
        $this->assertSame(Health::GOOD, $good['status']);
        $this->assertStringContainsString('IPCPurchaseNotify for shop-7-1, answered 200 "OK"', $good['text']);

        NotifyStats::record(new Answer(500, 'not saved'), $now);
        NotifyStats::record(new Answer(200, 'OK', null, ['method' => 'IPCPurchaseNotify', 'order' => 'shop-8-1', 'action' => 'mark_paid']), $now);
        $refused = self::health()->notify();
        $this->assertSame(Health::RECOMMENDED, $refused['status']);
        $this->assertStringContainsString('Notifies not answered OK in the last 7 days: 1. The last one: ' . gmdate('Y-m-d H:i:s', $now) . ' UTC, answered 500 "not saved": The payment was not saved', $refused['text']);
        $this->assertSame(Health::GOOD, self::health($now + 8 * 86400)->notify()['status'], 'a week later');
    }

    public function testTheActionSchedulerJobs(): void
    {
        $now = time();
        $jobs = self::health($now)->jobs();
        $this->assertSame(Health::RECOMMENDED, $jobs['status']);
        $this->assertStringContainsString('(mypos_ipc_reconcile_pending) is not scheduled', $jobs['text']);
        Reconciler::schedule();
        $jobs = self::health($now)->jobs();
        $this->assertSame(Health::GOOD, $jobs['status']);
        $this->assertStringStartsWith('Next hourly status check: ', $jobs['text']);

        \Stub::$asActions = [
            ['hook' => Reconciler::HOOK_ONE, 'group' => 'mypos-ipc', 'status' => 'failed', 'at' => $now - 3600],
            ['hook' => Reconciler::HOOK_ONE, 'group' => 'mypos-ipc', 'status' => 'failed', 'at' => $now - 7200],
            ['hook' => Reconciler::HOOK_ONE, 'group' => 'mypos-ipc', 'status' => 'failed', 'at' => $now - 8 * 86400],
            ['hook' => 'other', 'group' => 'other-plugin', 'status' => 'failed', 'at' => $now - 60],
        ];
        $this->assertSame(Health::GOOD, self::health($now)->jobs()['status'], 'two this week, one older, one not ours');
        \Stub::$asActions[] = ['hook' => Reconciler::HOOK_ALL, 'group' => 'mypos-ipc', 'status' => 'failed', 'at' => $now - 60];
        $piling = self::health($now)->jobs();
        $this->assertSame(Health::RECOMMENDED, $piling['status']);
        $this->assertStringContainsString('Jobs of the group mypos-ipc that failed in the last 7 days: 3 ', $piling['text']);

        \Stub::$asActions = [['hook' => Reconciler::HOOK_ONE, 'group' => 'mypos-ipc', 'status' => 'pending', 'at' => $now - 2 * 3600]];
        $this->assertStringContainsString('Jobs of the group mypos-ipc more than an hour overdue: 1.', self::health($now)->jobs()['text']);
    }

    public function testSiteHealthDirectTestsRunThroughTheFilter(): void
    {
        $plugin = Plugin::boot(dirname(__DIR__, 2) . '/mypos-ipc-woocommerce.php');
        $this->assertSame([[$plugin->siteHealth(), 'tests']], \Stub::$actions['site_status_tests']);
        $this->assertSame([[$plugin->siteHealth(), 'statusReport']], \Stub::$actions['woocommerce_system_status_report']);
        $this->assertSame([[$plugin->notifyCheck(), 'handleAdminPost']], \Stub::$actions['admin_post_mypos_ipc_check_notify']);

        $tests = apply_filters('site_status_tests', ['direct' => ['wordpress_version' => ['label' => 'WP']], 'async' => []]);
        $ours = array_filter(array_keys($tests['direct']), fn ($id) => str_starts_with($id, 'mypos_ipc_'));
        $this->assertSame(['mypos_ipc_extension', 'mypos_ipc_keys', 'mypos_ipc_mode', 'mypos_ipc_https', 'mypos_ipc_notify', 'mypos_ipc_jobs'], array_values($ours));
        $this->assertArrayHasKey('wordpress_version', $tests['direct'], 'WordPress\'s own tests kept');
        $this->assertSame('myPOS IPC: Keys', $tests['direct']['mypos_ipc_keys']['label']);
        foreach ($ours as $id) {
            $result = ($tests['direct'][$id]['test'])();
            $this->assertContains($result['status'], ['good', 'recommended', 'critical'], $id);
            $this->assertSame($id, $result['test']);
            $this->assertSame('myPOS IPC', $result['badge']['label']);
            $this->assertStringStartsWith('<p>', $result['description']);
            $this->assertStringContainsString('section=mypos_ipc', $result['actions']);
        }
        $mode = ($tests['direct']['mypos_ipc_mode']['test'])();
        $this->assertSame(['critical', 'myPOS IPC is in test mode on a production site', 'red'], [$mode['status'], $mode['label'], $mode['badge']['color']]);
    }

    public function testTheStatusReportSectionHasTheSameFacts(): void
    {
        NotifyStats::record(new Answer(200, 'OK', null, ['method' => 'IPCPurchaseNotify', 'order' => 'shop-7-1', 'action' => 'mark_paid']), time());
        ob_start();
        (new SiteHealth(fn () => new Settings()))->statusReport();
        $html = (string) ob_get_clean();
        $this->assertStringStartsWith('<table class="wc_status_table widefat" cellspacing="0" id="status-mypos-ipc">', $html);
        $this->assertStringContainsString('<th colspan="3" data-export-label="myPOS IPC"><h2>myPOS IPC</h2></th>', $html);
        foreach (['PHP extension', 'Keys', 'Mode', 'HTTPS', 'Notify reachability', 'Notify URL', 'Scheduled jobs', 'Last notify', 'Last failure', 'Last 7 days'] as $row) {
            $this->assertStringContainsString('<td data-export-label="' . $row . '">' . $row . ':</td>', $html);
        }
        $this->assertStringContainsString('<mark class="error"><span class="dashicons dashicons-warning"></span></mark> myPOS IPC is in test mode on a production site.', $html);
        $this->assertStringContainsString('<mark class="yes">', $html);
        $this->assertStringContainsString('1 paid, 0 duplicates, 0 refused, 0 reversed', $html);
        $this->assertStringContainsString('https://shop.test/?wc-api=mypos_ipc', $html);
    }

    public function testTheSettingsPagePanel(): void
    {
        $now = time();
        NotifyStats::record(new Answer(200, 'OK', null, ['method' => 'IPCPurchaseNotify', 'order' => 'shop-7-1', 'action' => 'mark_paid']), $now);
        NotifyStats::record(new Answer(400, 'signature invalid'), $now);
        update_option(NotifyCheck::RESULT, NotifyCheck::judge('https://shop.test/?wc-api=mypos_ipc', ['headers' => [], 'body' => 'signature invalid', 'response' => ['code' => 400]], 87) + ['at' => $now]);
        $gateway = new Gateway();
        $this->assertSame('mypos_health', $gateway->form_fields['health']['type']);
        $html = $gateway->generate_mypos_health_html('health', $gateway->form_fields['health']);
        $this->assertStringContainsString('<code>https://shop.test/?wc-api=mypos_ipc</code>', $html);
        $this->assertStringContainsString('<a class="button" href="' . esc_url(NotifyCheck::url()) . '">Check the notify URL</a>', $html);
        $this->assertStringContainsString('HTTPS: yes; HTTP status: 400; the plug-in answered: yes; 87 ms.', $html);
        $this->assertStringContainsString('Last notify: ' . gmdate('Y-m-d H:i:s', $now) . ' UTC, not a verified myPOS message, answered 400', $html);
        $this->assertStringContainsString('answered 400 &quot;signature invalid&quot;: The signature did not verify', $html);
        $this->assertStringContainsString('1 paid, 0 duplicates, 1 refused, 0 reversed', $html);
        $this->assertStringContainsString('<span class="mypos-ipc-health mypos-ipc-health-critical" data-check="mode">Critical</span>', $html);
        $this->assertStringContainsString('data-check="extension">Good</span>', $html);
        $this->assertSame('', $gateway->validate_health_field('health', 'x'), 'nothing is stored');
    }
}
