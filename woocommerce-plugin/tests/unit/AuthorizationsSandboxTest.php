<?php

// phpcs:ignoreFile -- tests.
namespace MyPOS\IPC\WooCommerce\Tests;

use MyPOS\IPC\WooCommerce\Attempts;
use MyPOS\IPC\WooCommerce\OrderFlags;
use MyPOS\IPC\WooCommerce\Plugin;
use MyPOS\IPC\WooCommerce\PurchaseForm;
use MyPOS\IPC\WooCommerce\Refunds;
use MyPOS\IPC\WooCommerce\Log;
use MyPOS\IPC\WooCommerce\OrderGate;
use MyPOS\IPC\WooCommerce\Settings;

/**
 * Authorize at checkout, capture at shipping (issue 21), against the real `ipc sandbox`: the pay
 * page sends IPCPreAuthorization, the sandbox's notify puts the order on hold, and captures,
 * releases and status checks go to the sandbox. IPC_BIN names the binary.
 */
final class AuthorizationsSandboxTest extends SandboxTestCase
{
    private function setting(string $key, string $value): void
    {
        \Stub::$options[Settings::OPTION][$key] = $value;
    }

    /**
     * Order $id (24.45 EUR) authorized at the sandbox through the pay page with "Authorize only";
     * returns the signed notify the sandbox sent, after the plug-in's handler answered it.
     */
    private function authorize(int $id): string
    {
        $this->setting('payment_action', 'authorize');
        $order = self::order($id);
        $config = (new Settings())->signingConfig('test');
        $request = (new PurchaseForm(new Settings()))->forAttempt($config, $order, 'test', $this->recorder . '/');
        $this->assertSame('IPCPreAuthorization', $request->method());
        $page = self::post($request->actionUrl(), $request->body());
        $this->assertSame(1, preg_match('/name="session" value="([^"]+)"/', $page, $m), 'the sandbox accepted the pre-authorization');
        self::post($this->sandbox . '/vmp/payment', 'session=' . urlencode(html_entity_decode($m[1])) . '&action=pay');
        $bodies = array_values(array_filter(explode("\n", (string) file_get_contents($this->recorded))));
        $body = base64_decode((string) end($bodies));
        $answer = $this->handle($body);
        $this->assertSame([200, 'OK'], [$answer->status, $answer->body]);
        return $body;
    }

    private static function held(int $id): array
    {
        $attempt = Attempts::latest(self::saved($id));
        return $attempt ?? [];
    }

    /** @return list<array<string, string>> the sandbox's events named $name */
    private function events(string $name): array
    {
        $events = json_decode((string) file_get_contents($this->sandbox . '/sandbox/events'), true);
        return array_values(array_filter($events, fn ($e) => $e['event'] === $name));
    }

    private function plugin(): Plugin
    {
        return new Plugin('x');
    }

    public function testTheNotifyOfAnAuthorizationPutsTheOrderOnHoldWithItsExpiry(): void
    {
        $this->authorize(501);
        $order = self::saved(501);
        $this->assertSame('on-hold', $order->get_status());
        $this->assertSame('', $order->get_transaction_id(), 'not paid');
        $held = self::held(501);
        $this->assertSame([Attempts::AUTHORIZED, Attempts::PREAUTH], [$held['state'], $held['kind']]);
        $this->assertMatchesRegularExpression('#^\d\d/\d\d/\d{4}$#', (string) $held['expiry']);
        $this->assertStringContainsString('capture before ' . $held['expiry'], implode("\n", $order->notes));
        $this->assertSame($held['trnref'], $order->get_meta('_mypos_ipc_trnref'));
    }

    public function testAuthorizeThenCaptureInFull(): void
    {
        $this->authorize(502);
        $this->assertNull($this->plugin()->captures()->capture(self::saved(502)));
        $order = self::saved(502);
        $held = self::held(502);
        $this->assertSame('processing', $order->get_status());
        $this->assertSame([Attempts::PAID, 2445], [$held['state'], $held['captured']]);
        $this->assertSame($held['trnref'], $order->get_transaction_id());
        $this->assertStringContainsString('Captured 24.45 EUR through myPOS', implode("\n", $order->notes));
        $this->assertSame('24.45', $this->events('preauth_completion')[0]['amount']);
        // The payment is an ordinary one now: refunds go to myPOS.
        $this->assertTrue((new Refunds(new Settings(), new Log('debug'), new OrderGate()))->refund(self::saved(502), 445));
        $this->assertCount(1, $this->events('refund'));
    }

    public function testACaptureWhoseOtherPluginPaymentHookThrowsIsStillRecorded(): void
    {
        $this->authorize(520);
        // Another plug-in's hook that throws an Error (the e2e store's noisy hook does too).
        \Stub::$actions['woocommerce_payment_complete'][] = static function (): void {
            throw new \Error('noisy plug-in failed');
        };
        $this->assertNull($this->plugin()->captures()->capture(self::saved(520)));
        $order = self::saved(520);
        $this->assertSame(['processing', Attempts::PAID], [$order->get_status(), self::held(520)['state']]);
        $this->assertCount(1, $this->events('preauth_completion'));
        $logged = implode("\n", array_column(\Stub::$log, 'message'));
        $this->assertStringContainsString('Error thrown by a payment hook after the capture (noisy plug-in failed)', $logged);
    }

    public function testAuthorizeThenCaptureAPart(): void
    {
        $this->authorize(503);
        $this->assertNull($this->plugin()->captures()->capture(self::saved(503), 2000));
        $order = self::saved(503);
        $this->assertSame('processing', $order->get_status());
        $this->assertSame(2000, self::held(503)['captured']);
        $this->assertStringContainsString('Captured 20.00 EUR of the 24.45 EUR authorized through myPOS', implode("\n", $order->notes));
        $this->assertStringContainsString('released the other 4.45 EUR', implode("\n", $order->notes));
        $this->assertSame('20.00', $this->events('preauth_completion')[0]['amount']);
        // More than authorized is refused before anything is sent.
        $this->authorize(504);
        $this->assertNotNull($this->plugin()->captures()->capture(self::saved(504), 2446));
        $this->assertSame(Attempts::AUTHORIZED, self::held(504)['state']);
        $this->assertCount(1, $this->events('preauth_completion'));
    }

    public function testReleaseFromTheOrderActionAndByCancelling(): void
    {
        $this->authorize(505);
        $this->plugin()->authorizationActions()->releaseAction(self::saved(505));
        $this->assertSame('cancelled', self::saved(505)->get_status());
        $this->assertSame(Attempts::RELEASED, self::held(505)['state']);
        $this->assertStringContainsString('Released the myPOS authorization of 24.45 EUR', implode("\n", self::saved(505)->notes));
        $this->assertCount(1, $this->events('preauth_cancellation'));

        $this->authorize(506);
        self::saved(506)->update_status('cancelled');
        $this->plugin()->authorizationActions()->cancelled(506);
        $this->assertSame(Attempts::RELEASED, self::held(506)['state']);
        $this->assertCount(2, $this->events('preauth_cancellation'));
        // Nothing left to capture.
        $this->assertNotNull($this->plugin()->captures()->capture(self::saved(506)));
        $this->assertCount(0, $this->events('preauth_completion'));
    }

    public function testAutomaticCaptureWhenTheOrderMovesToProcessing(): void
    {
        $this->authorize(507);
        self::saved(507)->update_status('processing');
        $this->plugin()->authorizationActions()->statusChanged(507);
        $this->assertSame(Attempts::AUTHORIZED, self::held(507)['state'], 'the setting is off by default');
        $this->assertCount(0, $this->events('preauth_completion'));

        $this->setting('capture_on_status', 'yes');
        $this->plugin()->authorizationActions()->statusChanged(507);
        $this->assertSame(Attempts::PAID, self::held(507)['state']);
        $this->assertSame('processing', self::saved(507)->get_status());
        $this->assertSame(self::held(507)['trnref'], self::saved(507)->get_transaction_id());
        $this->assertCount(1, $this->events('preauth_completion'));
        // Moving on to completed captures nothing more.
        self::saved(507)->update_status('completed');
        $this->plugin()->authorizationActions()->statusChanged(507);
        $this->assertCount(1, $this->events('preauth_completion'));
    }

    public function testAFailedAutomaticCapturePutsTheOrderBackOnHold(): void
    {
        $this->authorize(508);
        $this->setting('capture_on_status', 'yes');
        $this->expire((string) self::held(508)['id'], -1);
        self::saved(508)->update_status('completed');
        $this->plugin()->authorizationActions()->statusChanged(508);
        $this->assertSame('on-hold', self::saved(508)->get_status());
        $this->assertSame(Attempts::AUTHORIZED, self::held(508)['state']);
        $this->assertStringContainsString('has expired', implode("\n", self::saved(508)->notes));
    }

    private function expire(string $ipcOrderId, int $days): void
    {
        $answer = self::post($this->sandbox . '/sandbox/preauth-expiry', 'order=' . urlencode($ipcOrderId) . '&days=' . $days);
        $this->assertStringContainsString('"expires"', $answer);
    }

    public function testAnAuthorizationExpiring(): void
    {
        $this->authorize(509);
        $id = (string) self::held(509)['id'];
        $this->plugin()->authorizationActions()->checkOpen();
        $this->assertFalse(OrderFlags::has(509, OrderFlags::AUTHORIZATION_EXPIRING), '30 days left');

        $this->expire($id, 1);
        $this->plugin()->authorizationActions()->checkOpen();
        $this->assertTrue(OrderFlags::has(509, OrderFlags::AUTHORIZATION_EXPIRING));
        ob_start();
        $this->plugin()->notices()->show();
        $notices = (string) ob_get_clean();
        $expiry = (string) self::held(509)['expiry'];
        $this->assertSame(gmdate('d/m/Y', time() + 86400), $expiry);
        $this->assertStringContainsString('order #509: its authorization expires on ' . $expiry, $notices);

        // Expired: myPOS refuses the capture, and the job records the release.
        $this->expire($id, -1);
        $this->assertStringContainsString('has expired', (string) $this->plugin()->captures()->capture(self::saved(509)));
        $this->assertSame(Attempts::AUTHORIZED, self::held(509)['state']);
        $this->plugin()->authorizationActions()->checkOpen();
        $this->assertSame(Attempts::RELEASED, self::held(509)['state']);
        $this->assertSame('cancelled', self::saved(509)->get_status());
        $this->assertStringContainsString('myPOS reports the authorization reversed', implode("\n", self::saved(509)->notes));
        $this->assertFalse(OrderFlags::has(509, OrderFlags::AUTHORIZATION_EXPIRING));
    }

    public function testARefundBeforeTheCaptureIsRefused(): void
    {
        $this->authorize(510);
        $result = (new Refunds(new Settings(), new Log('debug'), new OrderGate()))->refund(self::saved(510), 1000);
        $this->assertInstanceOf(\WP_Error::class, $result);
        $this->assertStringContainsString('Release the authorization instead', $result->get_error_message());
        $this->assertCount(0, $this->events('refund'));
        $this->assertSame('on-hold', self::saved(510)->get_status());
    }

    /** @return array{0: string, 1: list<string>} the order's status and its attempt's state and trnref */
    private static function state(int $id): array
    {
        $held = self::held($id);
        return [self::saved($id)->get_status(), [$held['state'], (string) $held['trnref'], (string) ($held['captured'] ?? '')]];
    }

    public function testACaptureAnswerForgedOrForAnotherAmountRecordsNothing(): void
    {
        $this->authorize(511);
        $before = self::state(511);
        $sandbox = $this->sandbox . '/vmp/checkout-test';
        foreach (['badsig' => 'signature', 'otheramount' => 'Amount'] as $fault => $why) {
            $this->setting('test_endpoint_url', $this->startMyposStandin($fault));
            $refused = (string) $this->plugin()->captures()->capture(self::saved(511));
            $this->assertStringContainsString($why, $refused, $fault);
            $this->assertSame($before, self::state(511), "$fault: nothing recorded");
            $this->assertSame('', self::saved(511)->get_transaction_id());
        }
        $this->setting('test_endpoint_url', $sandbox);
        $this->assertNull($this->plugin()->captures()->capture(self::saved(511)), 'still capturable');
        $this->assertSame('processing', self::saved(511)->get_status());
    }

    public function testADuplicateAuthorizationNotifyNeverMarksPaid(): void
    {
        $body = $this->authorize(512);
        $notes = count(self::saved(512)->notes);
        $again = $this->handle($body);
        $this->assertSame([200, 'OK'], [$again->status, $again->body]);
        $this->assertSame('on-hold', self::saved(512)->get_status());
        $this->assertSame('', self::saved(512)->get_transaction_id());
        $this->assertSame(Attempts::AUTHORIZED, self::held(512)['state']);
        $this->assertCount($notes, self::saved(512)->notes, 'a duplicate changes nothing');
        // After the capture the same notify is still only a duplicate.
        $this->plugin()->captures()->capture(self::saved(512), 1000);
        $after = $this->handle($body);
        $this->assertSame([200, 'OK'], [$after->status, $after->body]);
        $this->assertSame([Attempts::PAID, 1000], [self::held(512)['state'], self::held(512)['captured']]);
        $this->assertSame('processing', self::saved(512)->get_status());
    }
}
