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
