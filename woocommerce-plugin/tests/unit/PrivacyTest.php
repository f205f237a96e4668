<?php

// phpcs:ignoreFile -- tests.
namespace MyPOS\IPC\WooCommerce\Tests;

use MyPOS\IPC\WooCommerce\Attempts;
use MyPOS\IPC\WooCommerce\Orders;
use MyPOS\IPC\WooCommerce\Plugin;

/** The privacy-policy text, and the personal-data exporter and eraser, through WordPress's hooks. */
final class PrivacyTest extends TestCase
{
    private const BUYER = 'buyer@example.com';

    protected function setUp(): void
    {
        parent::setUp();
        Plugin::boot('/x/mypos-ipc-woocommerce/mypos-ipc-woocommerce.php');
    }

    /** An order of $email; with myPOS data unless $mypos is false. */
    private static function buyerOrder(int $id, string $status, string $email = self::BUYER, bool $mypos = true): \WC_Order
    {
        $order = new \WC_Order($id, '24.45', 'EUR', $status);
        $order->billing['email'] = $email;
        if ($mypos) {
            Attempts::put($order, ['n' => 1, 'id' => $id . '-1', 'mode' => 'test', 'amount' => 2445, 'currency' => 'EUR',
                'created' => 1764748800, 'state' => 'paid', 'trnref' => '41' . $id]);
            $order->update_meta_data(Orders::META_TRNREF, '41' . $id);
        }
        $order->save();
        return $order;
    }

    /** @return array{exporter_friendly_name?: string, eraser_friendly_name?: string, callback: callable} */
    private static function tool(string $filter): array
    {
        $tools = apply_filters($filter, []);
        self::assertArrayHasKey('mypos-ipc', $tools);
        return $tools['mypos-ipc'];
    }

    public function testPolicyTextIsOfferedOnAdminInit(): void
    {
        do_action('admin_init');
        $text = \Stub::$actions['privacy_policy']['myPOS IPC for WooCommerce'] ?? '';
        $this->assertStringStartsWith('<p>When you pay with myPOS, we send myPOS the order number', $text);
        $this->assertStringContainsString('they never reach this store', $text);
        $this->assertStringContainsString('myPOS transaction reference and a record of each payment attempt', $text);
    }

    public function testExportHoldsTheBuyersMyposDataOnly(): void
    {
        self::buyerOrder(80, 'processing');
        self::buyerOrder(81, 'completed', 'someone.else@example.com');
        self::buyerOrder(82, 'completed', self::BUYER, false);
        $exporter = self::tool('wp_privacy_personal_data_exporters');
        $this->assertSame('myPOS payments', $exporter['exporter_friendly_name']);
        $export = ($exporter['callback'])(self::BUYER, 1);
        $this->assertTrue($export['done']);
        $this->assertCount(1, $export['data'], 'only the order with myPOS data, only this buyer\'s');
        $item = $export['data'][0];
        $this->assertSame('mypos-ipc', $item['group_id']);
        $this->assertSame('mypos-ipc-order-80', $item['item_id']);
        $this->assertSame([
            ['name' => 'Order', 'value' => '80'],
            ['name' => 'myPOS transaction reference', 'value' => '4180'],
            ['name' => 'myPOS payment attempt 1', 'value' => 'order number at myPOS 80-1, test mode, 24.45 EUR, paid, 2025-12-03 08:00:00 UTC, IPC_Trnref 4180'],
        ], $item['data']);
    }

    public function testExportPagesByTenOrders(): void
    {
        for ($id = 100; $id < 112; $id++) {
            self::buyerOrder($id, 'completed');
        }
        $exporter = self::tool('wp_privacy_personal_data_exporters');
        $first = ($exporter['callback'])(self::BUYER, 1);
        $second = ($exporter['callback'])(self::BUYER, 2);
        $this->assertCount(10, $first['data']);
        $this->assertFalse($first['done']);
        $this->assertCount(2, $second['data']);
        $this->assertTrue($second['done']);
        $this->assertSame(['mypos-ipc-order-110', 'mypos-ipc-order-111'], array_column($second['data'], 'item_id'));
    }

    public function testEraserKeepsTheDataWhileTheStoreKeepsOrderData(): void
    {
        self::buyerOrder(90, 'completed');
        $eraser = self::tool('wp_privacy_personal_data_erasers');
        $result = ($eraser['callback'])(self::BUYER, 1);
        $this->assertFalse($result['items_removed']);
        $this->assertTrue($result['items_retained']);
        $this->assertSame(['myPOS payment data of order 90 was kept with the order (the store keeps order data on erasure requests).'], $result['messages']);
        $this->assertSame('4190', \Stub::$orders[90]->get_meta(Orders::META_TRNREF));
    }

    public function testEraserRemovesTheDataWhenTheStoreErasesOrderDataButNotFromAnOpenOrder(): void
    {
        \Stub::$options['woocommerce_erasure_request_removes_order_data'] = 'yes';
        self::buyerOrder(91, 'completed');
        self::buyerOrder(92, 'pending');
        self::buyerOrder(93, 'refunded', 'someone.else@example.com');
        $result = (self::tool('wp_privacy_personal_data_erasers')['callback'])(self::BUYER, 1);
        $this->assertTrue($result['items_removed']);
        $this->assertTrue($result['items_retained']);
        $this->assertSame([
            'Removed the myPOS payment data of order 91.',
            'myPOS payment data of order 92 was kept: a payment for it may still arrive.',
        ], $result['messages']);
        $this->assertSame('', \Stub::$orders[91]->get_meta(Orders::META_TRNREF));
        $this->assertSame([], Attempts::all(\Stub::$orders[91]));
        $this->assertCount(1, Attempts::all(\Stub::$orders[92]), 'a payment for it may still arrive');
        $this->assertSame('4193', \Stub::$orders[93]->get_meta(Orders::META_TRNREF), 'another buyer\'s order is untouched');
        $export = (self::tool('wp_privacy_personal_data_exporters')['callback'])(self::BUYER, 1);
        $this->assertSame(['mypos-ipc-order-92'], array_column($export['data'], 'item_id'));
    }

    public function testWooCommercesEraseFilterDecidesPerOrder(): void
    {
        self::buyerOrder(94, 'completed');
        self::buyerOrder(95, 'cancelled');
        add_filter('woocommerce_privacy_erase_order_personal_data', fn (bool $erase, \WC_Order $order) => $order->get_id() === 95, 10, 2);
        $result = (self::tool('wp_privacy_personal_data_erasers')['callback'])(self::BUYER, 1);
        $this->assertSame('4194', \Stub::$orders[94]->get_meta(Orders::META_TRNREF));
        $this->assertSame('', \Stub::$orders[95]->get_meta(Orders::META_TRNREF));
        $this->assertTrue($result['items_removed'] && $result['items_retained']);
    }
}
