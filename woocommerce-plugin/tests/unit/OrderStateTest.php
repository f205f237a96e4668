<?php

// phpcs:ignoreFile -- tests.
namespace MyPOS\IPC\WooCommerce\Tests;

use MyPOS\IPC\WooCommerce\OrderState;

/**
 * The one map between WooCommerce statuses and the core's order states (also the demo shop's).
 */
final class OrderStateTest extends TestCase
{
    public function testStatusesMapToTheCoreStates(): void
    {
        foreach (['refunded', 'failed', 'cancelled', 'on-hold'] as $status) {
            $this->assertSame($status, OrderState::of($status));
        }
        $this->assertSame('paid', OrderState::of('processing'));
        $this->assertSame('paid', OrderState::of('completed'));
        $this->assertSame('pending', OrderState::of('pending'));
        $this->assertSame('pending', OrderState::of('checkout-draft'), 'an unknown status is waiting for payment');
        $this->assertSame('paid', OrderState::of('shipped', ['processing', 'completed', 'shipped']), 'a custom paid status');
        $this->assertSame('pending', OrderState::of('completed', ['processing']), 'only the given paid statuses');
    }

    public function testSnapshotAndWhatADecisionLeaves(): void
    {
        $this->assertSame(
            ['amount' => 2445, 'currency' => 'EUR', 'state' => 'pending', 'trnref' => null],
            OrderState::snapshot(2445, 'EUR', 'pending', '')
        );
        $this->assertSame('123', OrderState::snapshot(1, 'EUR', 'processing', '123')['trnref']);
        $this->assertSame('processing', OrderState::after('mark_paid'));
        $this->assertSame('on-hold', OrderState::after('hold_mismatch'));
        $this->assertSame('failed', OrderState::after('mark_failed'));
        $this->assertNull(OrderState::after('duplicate'));
        $this->assertSame(['processing', 'shipped'], OrderState::recorded('mark_paid', ['processing', 'shipped']));
        $this->assertSame(['failed'], OrderState::recorded('mark_failed'));
        $this->assertNull(OrderState::recorded('note_only'));
        foreach (['mark_paid', 'hold_mismatch', 'mark_failed'] as $action) {
            $this->assertNotNull(OrderState::recorded($action));
            $this->assertContains(OrderState::after($action), OrderState::recorded($action), "$action ends where it is read back");
        }
    }
}
