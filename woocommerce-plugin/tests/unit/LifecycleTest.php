<?php

// phpcs:ignoreFile -- tests.
namespace MyPOS\IPC\WooCommerce\Tests;

use MyPOS\IPC\WooCommerce\Plugin;
use MyPOS\IPC\WooCommerce\Reconciler;

/** Deactivation unschedules the jobs; uninstall cleans every site and keeps the orders' meta. */
final class LifecycleTest extends TestCase
{
    private const FILE = '/x/mypos-ipc-woocommerce/mypos-ipc-woocommerce.php';

    protected function setUp(): void
    {
        parent::setUp();
        \StubNetwork::reset();
    }

    protected function tearDown(): void
    {
        \StubNetwork::reset();
        parent::tearDown();
    }

    /** What one site holds: the plug-in's settings, options and transients, another plug-in's, jobs. */
    private function site(string $tag): void
    {
        $this->configure();
        set_transient('mypos_ipc_connection_test', ['ok' => true, 'message' => $tag], 300);
        \Stub::$options['_transient_mypos_ipc_health'] = $tag;
        \Stub::$options['_transient_timeout_mypos_ipc_health'] = time() + 60;
        \Stub::$options['mypos_ipc_last_notify'] = $tag;
        \Stub::$options['mypos_ipcx_not_ours'] = $tag; // the prefix is mypos_ipc_, with its underscore
        \Stub::$options['woocommerce_bacs_settings'] = ['enabled' => 'yes'];
        \Stub::$options['_transient_wc_count_comments'] = 3;
        Reconciler::schedule();
        Reconciler::scheduleOrder(5);
        as_schedule_single_action(time(), 'other_plugin_job', [], 'other');
    }

    private function assertSiteCleaned(string $tag): void
    {
        foreach (['woocommerce_mypos_ipc_settings', '_transient_mypos_ipc_connection_test', '_transient_mypos_ipc_health',
            '_transient_timeout_mypos_ipc_health', 'mypos_ipc_last_notify'] as $name) {
            $this->assertArrayNotHasKey($name, \Stub::$options, "$tag: $name removed");
        }
        $this->assertSame($tag, \Stub::$options['mypos_ipcx_not_ours'] ?? null, "$tag: not the plug-in's");
        $this->assertSame(['enabled' => 'yes'], \Stub::$options['woocommerce_bacs_settings'] ?? null, "$tag: other settings kept");
        $this->assertSame(3, \Stub::$options['_transient_wc_count_comments'] ?? null, "$tag: other transients kept");
        $this->assertSame(['other_plugin_job'], array_keys(\Stub::$actions['scheduled'] ?? []), "$tag: only other jobs left");
    }

    public function testDeactivationUnschedulesTheJobs(): void
    {
        Plugin::boot(self::FILE);
        $this->site('one');
        $this->assertSame([Reconciler::HOOK_ALL, Reconciler::HOOK_ONE, 'other_plugin_job'], array_keys(\Stub::$actions['scheduled']));
        $this->assertSame('mypos-ipc', \Stub::$actions['scheduled'][Reconciler::HOOK_ALL][0]['group']);
        (\Stub::$actions['deactivate'][self::FILE])();
        $this->assertSame(['other_plugin_job'], array_keys(\Stub::$actions['scheduled']));
        $this->assertContains(['hook' => '', 'group' => 'mypos-ipc', 'site' => 1], \Stub::$actions['unscheduled']);
        $this->assertArrayHasKey('woocommerce_mypos_ipc_settings', \Stub::$options, 'deactivation keeps the settings');
    }

    public function testAJobScheduledWithoutTheGroupIsUnscheduledToo(): void
    {
        as_schedule_single_action(time(), Reconciler::HOOK_ONE, [9]);
        \MyPOS\IPC\WooCommerce\Lifecycle::deactivate();
        $this->assertSame([], \Stub::$actions['scheduled']);
    }

    public function testUninstallCleansTheSiteAndKeepsOrderMeta(): void
    {
        $this->site('single');
        self::order(40, '24.45', 'processing', '410240');
        $this->uninstall();
        $this->assertSiteCleaned('single');
        $this->assertSame('410240', self::saved(40)->get_meta('_mypos_ipc_trnref'), 'kept for accounting and refunds');
    }

    public function testUninstallCleansEverySiteOfANetwork(): void
    {
        foreach ([1, 2, 5] as $id) {
            \Stub::$options = [];
            \Stub::$actions['scheduled'] = [];
            $this->site('site ' . $id);
            \StubNetwork::$current = $id;
            \StubNetwork::park();
        }
        \StubNetwork::enter(2); // uninstalled from site 2's network admin
        $this->uninstall();
        $this->assertSame(2, \StubNetwork::$current, 'back on the site it started from');
        $this->assertSame([1, 2, 5], array_values(array_unique(array_column(\Stub::$actions['unscheduled'], 'site'))));
        \StubNetwork::park();
        foreach ([1, 2, 5] as $id) {
            \StubNetwork::enter($id);
            $this->assertSiteCleaned('site ' . $id);
        }
    }

    public function testUninstallWorksWithoutTheExtension(): void
    {
        // Deleting the plug-in must work on a server whose extension is gone (a PHP upgrade).
        $dir = dirname(__DIR__, 2);
        $script = 'require ' . var_export($dir . '/tests/stubs/wordpress.php', true) . ';'
            . 'require ' . var_export($dir . '/tests/stubs/host.php', true) . ';'
            . 'Stub::$options = ["woocommerce_mypos_ipc_settings" => ["enabled" => "yes"], "_transient_mypos_ipc_connection_test" => 1, "blogname" => "x"];'
            . 'define("WP_UNINSTALL_PLUGIN", "x"); require ' . var_export($dir . '/uninstall.php', true) . ';'
            . 'echo json_encode([extension_loaded("mypos_ipc"), Stub::$options]);';
        exec(escapeshellarg(PHP_BINARY) . ' -n -r ' . escapeshellarg($script) . ' 2>&1', $out, $rc);
        $this->assertSame(0, $rc, implode("\n", $out));
        $this->assertSame([false, ['blogname' => 'x']], json_decode(implode("\n", $out), true));
    }

    private function uninstall(): void
    {
        defined('WP_UNINSTALL_PLUGIN') || define('WP_UNINSTALL_PLUGIN', 'mypos-ipc-woocommerce/mypos-ipc-woocommerce.php');
        require dirname(__DIR__, 2) . '/uninstall.php';
    }
}
