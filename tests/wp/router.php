<?php

// phpcs:ignoreFile -- test tool.
// Router for `php -S`: files that exist are served (or run) by the server itself; every other
// path goes to WordPress's index.php, as Apache's rewrite rules would send it (pretty permalinks,
// /wp-json/).
$path = urldecode((string) parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH));
if ($path !== '/' && file_exists($_SERVER['DOCUMENT_ROOT'] . $path)) {
    return false;
}
$_SERVER['SCRIPT_NAME'] = $_SERVER['PHP_SELF'] = '/index.php';
$_SERVER['SCRIPT_FILENAME'] = $_SERVER['DOCUMENT_ROOT'] . '/index.php';
chdir($_SERVER['DOCUMENT_ROOT']);
require 'index.php';
