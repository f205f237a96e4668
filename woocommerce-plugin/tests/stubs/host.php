<?php

// phpcs:ignoreFile -- test stand-ins keep WordPress/WooCommerce names and layout.
/**
 * Stand-ins for the WordPress API of the privacy tools, the plug-in's lifecycle (deactivation,
 * uninstall, Action Scheduler unscheduling) and the buyer's notices. State in Stub::$options
 * and Stub::$actions, like the rest of the stubs.
 */

/** As WordPress: the suggested policy texts, by plug-in name (Stub::$actions['privacy_policy']). */
function wp_add_privacy_policy_content(string $pluginName, string $policyText): void
{
    Stub::$actions['privacy_policy'][$pluginName] = $policyText;
}
/** As WordPress for the tags the plug-in writes: keeps p, strips script. */
function wp_kses_post(string $html): string { return (string) preg_replace('#<script\b[^>]*>.*?</script>#is', '', $html); }

final class WP_User
{
    public function __construct(public int $ID = 0, public string $user_email = '') {}
}
/** As WordPress: no accounts in the stubs unless a test puts one into Stub::$options['_users']. */
function get_user_by(string $field, $value)
{
    foreach (Stub::$options['_users'] ?? [] as $user) {
        if ($field === 'email' && $user->user_email === $value) {
            return $user;
        }
    }
    return false;
}

/** As WordPress for one key and value on a URL that may have a query already. */
function add_query_arg(string $key, string $value, string $url): string
{
    return $url . (str_contains($url, '?') ? '&' : '?') . rawurlencode($key) . '=' . rawurlencode($value);
}
/** As WooCommerce: the current endpoint (Stub::$options['_endpoint'], e.g. order-pay). */
function is_wc_endpoint_url(string $endpoint = ''): bool
{
    $current = Stub::$options['_endpoint'] ?? '';
    return $endpoint === '' ? $current !== '' : $current === $endpoint;
}
/** As WooCommerce: the session's notices (Stub::$actions['wc_notices']). */
function wc_add_notice(string $message, string $type = 'success', array $data = []): void
{
    Stub::$actions['wc_notices'][] = ['type' => $type, 'message' => $message];
}

/** As WordPress: records the callback (Stub::$actions['deactivate'][plugin file]). */
function register_deactivation_hook(string $file, $callback): void
{
    Stub::$actions['deactivate'][$file] = $callback;
}
function delete_site_transient(string $name): bool { unset(Stub::$options['_site_transient_' . $name]); return true; }

/**
 * Action Scheduler: cancels the pending actions of a hook (any group), or with an empty hook and
 * no args, of a group, as as_unschedule_all_actions() does. Each call is recorded with the site.
 */
function as_unschedule_all_actions(string $hook, array $args = [], string $group = ''): void
{
    Stub::$actions['unscheduled'][] = ['hook' => $hook, 'group' => $group, 'site' => StubNetwork::$current];
    foreach (Stub::$actions['scheduled'] ?? [] as $name => $jobs) {
        $left = array_values(array_filter($jobs, static fn (array $job): bool => !(
            ($hook !== '' && $name === $hook) || ($hook === '' && $group !== '' && ($job['group'] ?? '') === $group)
        )));
        if ($left === []) {
            unset(Stub::$actions['scheduled'][$name]);
        } else {
            Stub::$actions['scheduled'][$name] = $left;
        }
    }
}

/**
 * A network of sites for multisite code: each site has its own options and Action Scheduler
 * jobs; switch_to_blog() swaps them into Stub::$options / Stub::$actions['scheduled'].
 * StubNetwork::$sites empty: a single site.
 */
final class StubNetwork
{
    /** @var array<int, array{options: array, scheduled: array}> */
    public static array $sites = [];
    public static int $current = 1;
    /** @var list<int> */
    public static array $stack = [];

    public static function reset(): void
    {
        self::$sites = self::$stack = [];
        self::$current = 1;
    }

    public static function park(): void
    {
        self::$sites[self::$current] = ['options' => Stub::$options, 'scheduled' => Stub::$actions['scheduled'] ?? []];
    }

    public static function enter(int $id): void
    {
        self::$current = $id;
        Stub::$options = self::$sites[$id]['options'] ?? [];
        Stub::$actions['scheduled'] = self::$sites[$id]['scheduled'] ?? [];
    }
}
function is_multisite(): bool { return StubNetwork::$sites !== []; }
function get_sites(array $args = []): array { return array_keys(StubNetwork::$sites); }
function switch_to_blog(int $id): bool
{
    StubNetwork::park();
    StubNetwork::$stack[] = StubNetwork::$current;
    StubNetwork::enter($id);
    return true;
}
function restore_current_blog(): bool
{
    StubNetwork::park();
    StubNetwork::enter((int) array_pop(StubNetwork::$stack));
    return true;
}
