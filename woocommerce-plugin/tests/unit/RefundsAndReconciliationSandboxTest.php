<?php

// phpcs:ignoreFile -- tests.
namespace MyPOS\IPC\WooCommerce\Tests;

use MyPOS\IPC\WooCommerce\Attempts;
use MyPOS\IPC\WooCommerce\Gateway;
use MyPOS\IPC\WooCommerce\Notices;
use MyPOS\IPC\WooCommerce\OrderFlags;
use MyPOS\IPC\WooCommerce\Plugin;
use MyPOS\IPC\WooCommerce\RefundRecords;
use MyPOS\IPC\WooCommerce\Refunds;
use MyPOS\IPC\WooCommerce\Settings;

/**
 * Against the real `ipc sandbox` (issue 15, items 3-5). Refunds: the sandbox makes the refund,
 * then drops or delays its answer (POST /sandbox/faults); the plug-in keeps it pending and
 * settles it from the signed IPCGetTxnLog, never by sending it again; a test order is refunded
 * in test after the shop went live. Reconciliation: a payment reversed at the sandbox (its last
 * message still the notify) is never marked paid; a paid order reversed there is flagged.
 * IPC_BIN names the binary.
 */
final class RefundsAndReconciliationSandboxTest extends SandboxTestCase
{
    /**
     * Order $id paid at the sandbox in test mode as attempt 1 (OrderID shop-<id>-1), recorded as
     * the notify handler records it: processing, its IPC_Trnref, the paid attempt.
     */
    private function paidTestOrder(int $id): string
    {
        $ipcOrderId = \MyPOS\IPC\attempt_id('shop', (string) $id, 1);
        $notify = $this->payAtSandbox($ipcOrderId);
        $order = self::order($id, '24.45', 'processing', (string) $notify->trnref());
        Attempts::put($order, ['n' => 1, 'id' => $ipcOrderId, 'mode' => 'test', 'amount' => 2445, 'currency' => 'EUR',
            'created' => time(), 'state' => Attempts::PAID, 'trnref' => (string) $notify->trnref()]);
        $order->save();
        return $ipcOrderId;
    }

    /** Pays 24.45 EUR for $ipcOrderId at the sandbox; the notify the recorder answered OK. */
    private function payAtSandbox(string $ipcOrderId): \MyPOS\IPC\Notification
    {
        $config = (new Settings())->config('test');
        $request = $config->purchase([
            'order_id' => $ipcOrderId, 'amount' => 2445, 'currency' => 'EUR',
            'url_ok' => 'https://shop.test/ok', 'url_cancel' => 'https://shop.test/cancel', 'url_notify' => $this->recorder . '/',
            'cart' => [['article' => 'Tea', 'quantity' => 1, 'unit_price' => 2445]],
        ]);
        $page = self::post($request->actionUrl(), $request->body());
        $this->assertSame(1, preg_match('/name="session" value="([^"]+)"/', $page, $m), 'the sandbox accepted the purchase');
        self::post($this->sandbox . '/vmp/payment', 'session=' . urlencode(html_entity_decode($m[1])) . '&action=pay');
        $bodies = array_values(array_filter(explode("\n", (string) file_get_contents($this->recorded))));
        $notify = $config->notification(base64_decode((string) end($bodies)));
        $this->assertSame($ipcOrderId, $notify->orderId());
        return $notify;
    }

    private function fault(string $form): void
    {
        $ctx = stream_context_create(['http' => ['method' => 'POST', 'header' => 'Content-Type: application/x-www-form-urlencoded',
            'content' => $form, 'timeout' => 5, 'ignore_errors' => true]]);
        $this->assertStringContainsString('"refund"', (string) file_get_contents($this->sandbox . '/sandbox/faults', false, $ctx));
    }

    /** @return list<array<string, string>> the refunds the sandbox made */
    private function sandboxRefunds(): array
    {
        $events = json_decode((string) file_get_contents($this->sandbox . '/sandbox/events'), true);
        return array_values(array_filter($events, fn ($e) => $e['event'] === 'refund'));
    }

    private static function notices(): string
    {
        ob_start();
        (new Plugin('x'))->notices()->show();
        return (string) ob_get_clean();
    }

    public function testALostRefundAnswerIsSettledFromTheLogWithoutASecondRefund(): void
    {
        $ipcOrderId = $this->paidTestOrder(90);
        $this->fault('refund=drop');

        $lost = (new Gateway())->process_refund(90, '10.00', 'broken cup');
        $this->assertInstanceOf(\WP_Error::class, $lost, 'WooCommerce deletes its refund object');
        $this->assertStringContainsString('pending at myPOS', $lost->get_error_message());
        $this->assertCount(1, $this->sandboxRefunds(), 'myPOS made it all the same');
        $pending = RefundRecords::pending(self::saved(90));
        $this->assertSame([$ipcOrderId, 1000, 'EUR'], [$pending['order_id'], $pending['amount'], $pending['currency']]);
        $this->assertSame([90], \Stub::$actions['scheduled'][Refunds::HOOK_RESOLVE][0]['args']);
        $this->assertStringContainsString('pending at myPOS', self::notices());

        // The admin tries again: refused while the first one is pending, nothing sent.
        $sent = count(\Stub::$http);
        $again = (new Gateway())->process_refund(90, '10.00');
        $this->assertInstanceOf(\WP_Error::class, $again);
        $this->assertStringContainsString('still pending at myPOS', $again->get_error_message());
        $this->assertCount($sent, \Stub::$http, 'no second IPCRefund');

        // The order screen's check reads the signed transaction log and records the refund.
        (new Plugin('x'))->statusChecks()->runOrderAction(self::saved(90));
        $this->assertCount(1, \Stub::$refunds);
        $this->assertSame(['order_id' => 90, 'amount' => '10.00', 'reason' => 'broken cup', 'refund_payment' => false], array_intersect_key(\Stub::$refunds[0], array_flip(['order_id', 'amount', 'reason', 'refund_payment'])));
        $done = RefundRecords::all(self::saved(90))[0];
        $this->assertSame([RefundRecords::DONE, (string) self::saved(90)->get_meta('_mypos_ipc_trnref')], [$done['state'], $done['trnref']]);
        $this->assertStringContainsString('IPC_Trnref ' . $done['trnref'], implode("\n", self::saved(90)->notes));
        $this->assertSame([], OrderFlags::all(), 'the notice is gone');

        // Checking again changes nothing; the next refund goes through; myPOS refunded twice in all.
        (new Plugin('x'))->statusChecks()->runOrderAction(self::saved(90));
        $this->assertCount(1, \Stub::$refunds);
        $this->assertTrue((new Gateway())->process_refund(90, '5.00'));
        $this->assertCount(2, $this->sandboxRefunds());
        $this->assertSame(['1000', '500'], array_map(fn ($r) => (string) \MyPOS\IPC\parse_amount($r['amount'], 'EUR'), $this->sandboxRefunds()));
    }

    public function testARefundAnswerLaterThanTheTimeoutIsSettledByTheScheduledCheck(): void
    {
        $this->paidTestOrder(91);
        $this->fault('refund=delay&delay_ms=2500');
        add_filter('mypos_ipc_http_timeout', fn () => 1);

        $late = (new Gateway())->process_refund(91, '24.45');
        $this->assertInstanceOf(\WP_Error::class, $late);
        $this->assertStringContainsString('timed out', $late->get_error_message());
        usleep(1_800_000); // the sandbox has answered into the void by now
        (new Plugin('x'))->statusChecks()->resolveRefund(91); // Refunds::HOOK_RESOLVE
        $this->assertCount(1, \Stub::$refunds);
        $this->assertSame('24.45', \Stub::$refunds[0]['amount']);
        $this->assertNull(RefundRecords::pending(self::saved(91)));
        $this->assertCount(1, $this->sandboxRefunds());
    }

    public function testALogThatDoesNotShowTheRefundKeepsItPendingUntilReleased(): void
    {
        $this->paidTestOrder(92);
        $this->fault('refund=drop');
        // More than was paid: the sandbox refuses it (logged as refused), and the answer is lost.
        $lost = (new Gateway())->process_refund(92, '30.00');
        $this->assertStringContainsString('pending at myPOS', $lost->get_error_message());

        (new Plugin('x'))->statusChecks()->resolveRefund(92);
        $this->assertSame([], \Stub::$refunds, 'a refused refund in the log is not a refund');
        $this->assertNotNull(RefundRecords::pending(self::saved(92)));
        $this->assertStringContainsString('does not show it', self::notices());
        $this->assertInstanceOf(\WP_Error::class, (new Gateway())->process_refund(92, '1.00'));

        // The admin found nothing in the myPOS account and releases it: refunds work again.
        $actions = (new Plugin('x'))->statusChecks()->orderActions([], self::saved(92));
        $this->assertArrayHasKey('mypos_ipc_release_refund', $actions);
        (new Plugin('x'))->statusChecks()->releaseRefund(self::saved(92));
        $this->assertNull(RefundRecords::pending(self::saved(92)));
        $this->assertStringNotContainsString('pending at myPOS', self::notices());
        $this->assertTrue((new Gateway())->process_refund(92, '1.00'));
        $this->assertCount(1, $this->sandboxRefunds());
    }

    public function testARefundOfATestOrderAfterSwitchingToLiveGoesToTheTestEnvironment(): void
    {
        $this->paidTestOrder(93);
        // The shop goes live (its own credentials, production endpoint); the test ones stay.
        $this->configure(['testmode' => 'no', 'live_config_pack' => \MyPOS\IPC\WooCommerce\SecretBox::seal(self::pack()),
            'test_endpoint_url' => $this->sandbox . '/vmp/checkout-test']);
        $this->assertSame('live', (new Settings())->mode());
        add_filter('mypos_ipc_http_timeout', fn () => 3);

        $this->assertTrue((new Gateway())->process_refund(93, '4.45'));
        $this->assertStringStartsWith($this->sandbox, \Stub::$http[0]['url']);
        $this->assertCount(1, $this->sandboxRefunds());
        $this->assertSame('test', RefundRecords::all(self::saved(93))[0]['mode']);
    }

    public function testAPaymentTheShopMissedIsConfirmedByTheSandboxBeforeItIsMarkedPaid(): void
    {
        // The sandbox's notify went elsewhere (the recorder): the order is still pending here.
        self::order(94);
        $notify = $this->payAtSandbox('94');
        $reconciler = (new Plugin('x'))->reconciler();
        $this->assertStringContainsString('IPCPurchaseNotify', $reconciler->check(self::saved(94)));
        $this->assertSame('processing', self::saved(94)->get_status());
        $this->assertSame((string) $notify->trnref(), self::saved(94)->get_meta('_mypos_ipc_trnref'));
        $asked = array_map(function ($r) { parse_str($r['args']['body'], $f); return $f['IPCmethod']; }, \Stub::$http);
        $this->assertSame(['IPCGetTxnStatus', 'IPCGetPaymentStatus'], $asked);
        // Re-checked later: paid and not reversed at the sandbox, nothing changes.
        $notes = count(self::saved(94)->notes);
        $this->assertSame(1, $reconciler->recheckRecent());
        $this->assertSame('processing', self::saved(94)->get_status());
        $this->assertCount($notes, self::saved(94)->notes);
    }

    /** Reverses the payment at the sandbox (IPCReversal): its last message stays the notify. */
    private function reverseAtSandbox(string $trnref): void
    {
        $config = (new Settings())->config('test');
        $request = $config->reversal($trnref, 'json');
        $this->assertTrue($config->response(self::post($request->actionUrl(), $request->body()), 'json')->isSuccess());
    }

    public function testReconciliationRacingAReversalAtTheSandboxNeverMarksItPaid(): void
    {
        self::order(95);
        $notify = $this->payAtSandbox('95');
        $this->reverseAtSandbox((string) $notify->trnref());

        $result = (new Plugin('x'))->reconciler()->check(self::saved(95));
        $this->assertStringContainsString('reversed', $result);
        $this->assertSame('pending', self::saved(95)->get_status());
        $this->assertSame('', self::saved(95)->get_meta('_mypos_ipc_trnref'));
    }

    public function testAPaidOrderReversedAtTheSandboxIsFlaggedByTheRecheck(): void
    {
        $this->paidTestOrder(96);
        $this->reverseAtSandbox((string) self::saved(96)->get_meta('_mypos_ipc_trnref'));

        $this->assertSame(1, (new Plugin('x'))->reconciler()->recheckRecent());
        $this->assertSame('processing', self::saved(96)->get_status(), 'flagged, not changed');
        $this->assertSame([96], OrderFlags::orders(OrderFlags::REVERSED_AT_MYPOS));
        $this->assertStringContainsString('order #96: myPOS reports the payment of this paid order reversed', self::notices());
    }
}
