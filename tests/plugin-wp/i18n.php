<?php

// phpcs:ignoreFile -- test tool.
// Usage: php i18n.php WP_DIR setup|strings|reset — the site in Bulgarian (WPLANG bg_BG); the plug-in's strings as WordPress translates them now (JSON);
// the site back in English.

$_SERVER['HTTP_HOST'] = '127.0.0.1';
require $argv[1] . '/wp-load.php';
switch ($argv[2] ?? '') {
    case 'setup':
        // WordPress accepts a site language only when its core translation is installed
        // (sanitize_option: get_available_languages()); run.sh puts a header-only bg_BG.mo there.
        update_option('WPLANG', 'bg_BG');
        if (get_option('WPLANG') !== 'bg_BG') {
            fwrite(STDERR, "WordPress refused WPLANG bg_BG\n");
            exit(1);
        }
        break;
    case 'strings':
        // The block script as a normal install registers it (wp-content/plugins/<folder>/...):
        // WordPress derives the JSON file name from that path by its own rule.
        $src = plugins_url('mypos-ipc-woocommerce/assets/js/blocks.js');
        wp_register_script('mypos-ipc-blocks-test', $src);
        $json = load_script_textdomain('mypos-ipc-blocks-test', 'mypos-ipc', dirname(MYPOS_WP_TEST_PLUGIN) . '/languages');
        $script = is_string($json) ? json_decode($json, true)['locale_data']['messages'] ?? [] : [];
        echo json_encode([
            'locale' => determine_locale(),
            'php' => __('Test connection', 'mypos-ipc'),
            'script' => $script['Card payment (myPOS)'][0] ?? null,
        ], JSON_UNESCAPED_UNICODE), "\n";
        break;
    case 'reset':
        update_option('WPLANG', '');
        break;
    default:
        fwrite(STDERR, "usage: php i18n.php WP_DIR setup|strings|reset\n");
        exit(64);
}
