<?php

namespace MyPOS\IPC\WooCommerce;

/**
 * Deactivation and uninstall. Deactivation unschedules the plug-in's Action Scheduler jobs (they
 * would run with nothing listening). Uninstall does that and removes the plug-in's options and
 * transients on every site of a network. It keeps the order meta (IPC_Trnref, payment attempts):
 * the merchant needs it to match myPOS statements and refund those payments later.
 */
final class Lifecycle
{
    /** The Action Scheduler group of every job the plug-in schedules. */
    public const GROUP = 'mypos-ipc';
    /** The jobs' hooks (also unscheduled one by one: a job scheduled without the group). */
    public const HOOKS = [Reconciler::HOOK_ALL, Reconciler::HOOK_ONE, Authorizations::HOOK_CHECK];
    /** Option names the plug-in owns: its settings, and any option or transient named mypos_ipc_*. */
    private const OPTIONS = [Settings::OPTION];
    private const PREFIX = 'mypos_ipc_';

    /** register_deactivation_hook: this site's jobs. */
    public static function deactivate(): void
    {
        self::unscheduleJobs();
    }

    /** uninstall.php: every site of a network, or this site. */
    public static function uninstall(): void
    {
        if (!is_multisite()) {
            self::cleanSite();
            return;
        }
        foreach (get_sites(['fields' => 'ids', 'number' => 0]) as $siteId) {
            switch_to_blog((int) $siteId);
            try {
                self::cleanSite();
            } finally {
                restore_current_blog();
            }
        }
    }

    /** The current site: jobs, options, transients. Order meta stays (see the class comment). */
    public static function cleanSite(): void
    {
        self::unscheduleJobs();
        foreach (self::OPTIONS as $option) {
            delete_option($option);
        }
        delete_transient(ConnectionTest::RESULT);
        global $wpdb;
        // The table of myPOS messages (MessageClaims) only guards payments in flight.
        $wpdb->query('DROP TABLE IF EXISTS ' . $wpdb->prefix . MessageClaims::TABLE);
        // Options and transients other versions may have added under the prefix (those kept in
        // an object cache and not in the table are the named ones above).
        $starts = ['', 'woocommerce_', '_transient_', '_transient_timeout_', '_site_transient_'];
        $names = (array) $wpdb->get_col($wpdb->prepare(
            "SELECT option_name FROM {$wpdb->options} WHERE "
            . implode(' OR ', array_fill(0, count($starts), 'option_name LIKE %s')),
            ...array_map(static fn (string $s): string => $wpdb->esc_like($s . self::PREFIX) . '%', $starts)
        ));
        foreach ($names as $name) {
            $name = (string) $name;
            if (str_starts_with($name, '_transient_timeout_')) {
                delete_option($name);
            } elseif (str_starts_with($name, '_transient_')) {
                delete_transient(substr($name, strlen('_transient_')));
            } elseif (str_starts_with($name, '_site_transient_')) {
                delete_site_transient(substr($name, strlen('_site_transient_')));
            } else {
                delete_option($name);
            }
        }
    }

    /** Pending jobs of this site, when Action Scheduler (WooCommerce) is loaded. */
    private static function unscheduleJobs(): void
    {
        if (!function_exists('as_unschedule_all_actions')) {
            return;
        }
        foreach (self::HOOKS as $hook) {
            as_unschedule_all_actions($hook);
        }
        as_unschedule_all_actions('', [], self::GROUP);
    }
}
