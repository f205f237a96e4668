<?php

// phpcs:ignoreFile -- test stand-ins keep WooCommerce names and layout.
// WooCommerce's dependency container and its request-level order object cache (HPOS).

namespace Automattic\WooCommerce\Caches {
    final class OrderCache
    {
        public function remove($id): bool
        {
            $cached = isset(\Stub::$orderCache[(int) $id]);
            unset(\Stub::$orderCache[(int) $id]);
            return $cached;
        }
    }
}

namespace {
    function wc_get_container(): object
    {
        return new class {
            public function get(string $class): object
            {
                return new $class();
            }
        };
    }
}
