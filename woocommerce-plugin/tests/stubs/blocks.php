<?php

// phpcs:ignoreFile -- stand-in for WooCommerce Blocks' payment method base class and registry.
namespace Automattic\WooCommerce\Blocks\Payments\Integrations;

abstract class AbstractPaymentMethodType
{
    protected $name = '';
    protected $settings = [];

    abstract public function initialize();

    public function get_name(): string { return $this->name; }
    public function is_active() { return true; }
    public function get_payment_method_script_handles() { return []; }
    public function get_payment_method_data() { return []; }
}

namespace Automattic\WooCommerce\Blocks\Payments;

final class PaymentMethodRegistry
{
    public array $registered = [];

    public function register($method): void { $this->registered[$method->get_name()] = $method; }
}
