<?php

// phpcs:ignoreFile -- tests.
namespace MyPOS\IPC\WooCommerce\Tests;

use MyPOS\IPC\WooCommerce\Attempts;
use MyPOS\IPC\WooCommerce\CardSaves;
use MyPOS\IPC\WooCommerce\CardTokens;
use MyPOS\IPC\WooCommerce\Gateway;
use MyPOS\IPC\WooCommerce\Log;
use MyPOS\IPC\WooCommerce\NotifyHandler;
use MyPOS\IPC\WooCommerce\OrderGate;
use MyPOS\IPC\WooCommerce\OrderLock;
use MyPOS\IPC\WooCommerce\Privacy;
use MyPOS\IPC\WooCommerce\PurchaseForm;
use MyPOS\IPC\WooCommerce\Reconciler;
use MyPOS\IPC\WooCommerce\SavedCardPayment;
use MyPOS\IPC\WooCommerce\Settings;
use MyPOS\IPC\WooCommerce\Subscriptions;

/**
 * Saved cards and WooCommerce Subscriptions against the real `ipc sandbox` (issue 20): save at
 * checkout, add a card without paying, pay with a saved card through 3-D Secure, declines,
 * expired cards, renewals (paid, declined then retried, an answer lost without a double
 * charge) and the privacy tools.
 */
final class SavedCardsSandboxTest extends SandboxTestCase
{
    private const USER = 7;
    private const GOOD = '4006090000000007';
    private const DECLINES = '4006090000000015';
    private const EXPIRED = '4006090000000023';

    protected function setUp(): void
    {
        parent::setUp();
        \Stub::$options[Attempts::SINCE_OPTION] = time() - 60;
        \Stub::$options['_user'] = self::USER;
        \Stub::$options['_users'] = [new \WP_User(self::USER, 'buyer@example.com')];
        $_POST = [];
    }

    protected function tearDown(): void
    {
        $_POST = [];
        parent::tearDown();
    }

    private function handler(): NotifyHandler
    {
        return new NotifyHandler(new Settings(), new OrderLock(), new Log('debug'));
    }

    private static function customerOrder(int $id, string $total = '24.45'): \WC_Order
    {
        $order = new \WC_Order($id, $total);
        $order->customerId = self::USER;
        $order->items['line_item'][] = new \WC_Order_Item('Tea', 1, (float) $total);
        $order->save();
        return $order;
    }

    /** Submits the payment page with $card and returns the notifies recorded so far. */
    private function payPage(string $html, string $card): array
    {
        $this->assertMatchesRegularExpression('/name="session" value="([^"]+)"/', $html, 'the sandbox accepted the purchase');
        preg_match('/name="session" value="([^"]+)"/', $html, $m);
        self::post($this->sandbox . '/vmp/payment', 'session=' . urlencode(html_entity_decode($m[1])) . '&action=pay&card=' . $card);
        return array_map('base64_decode', array_values(array_filter(explode("\n", (string) file_get_contents($this->recorded)))));
    }

    /** Checkout with "Save this card" ticked, paid with $card; returns the order's saved card. */
    private function checkoutSavingCard(int $orderId, string $card = self::GOOD): \WC_Payment_Token_CC
    {
        $order = self::customerOrder($orderId);
        $_POST = ['wc-mypos_ipc-new-payment-method' => 'true'];
        $result = (new Gateway())->process_payment($orderId);
        $this->assertSame('success', $result['result']);
        $settings = new Settings();
        $request = (new PurchaseForm($settings))->forAttempt($settings->config('test'), self::saved($orderId), 'test', $this->recorder . '/?wc-api=mypos_ipc');
        $this->assertSame('2', $request->fields()['CardTokenRequest'], 'the purchase asks myPOS to store the card');
        $bodies = $this->payPage(self::post($request->actionUrl(), $request->body()), $card);
        $answer = $this->handler()->handle(end($bodies));
        $this->assertSame([200, 'OK'], [$answer->status, $answer->body]);
        $this->assertSame('processing', self::saved($orderId)->get_status());
        $cards = CardTokens::all(self::USER);
        $this->assertNotEmpty($cards, 'the card was saved');
        return end($cards);
    }

    private function assertNoTokenInLogs(string $token): void
    {
        foreach (\Stub::$log as $line) {
            $this->assertStringNotContainsString($token, $line['message']);
        }
        foreach (\Stub::$noteLog as [, $note]) {
            $this->assertStringNotContainsString($token, $note);
        }
    }

    public function testSaveThisCardAtCheckoutStoresTheNotifiedCardForTheCustomerInItsMode(): void
    {
        $card = $this->checkoutSavingCard(80);
        $this->assertSame([Gateway::ID, self::USER, '0007', '2030', '12', 'visa', 'test'], [
            $card->get_gateway_id(), $card->get_user_id(), $card->get_last4(), $card->get_expiry_year(),
            $card->get_expiry_month(), $card->get_card_type(), CardTokens::mode($card),
        ]);
        $this->assertMatchesRegularExpression('/^[0-9A-F]{20}$/', $card->get_token());
        $this->assertSame('save', Attempts::latest(self::saved(80))['card']);
        $this->assertNoTokenInLogs($card->get_token());
        $this->assertCount(1, CardTokens::usable(self::USER, 'test'));
        $this->assertSame([], CardTokens::usable(self::USER, 'live'), 'a test card is never offered in live mode');
    }

    public function testTheCardIsSavedAlthoughAnotherPluginsPaymentHookThrowsAfterThePaymentIsSaved(): void
    {
        // As the noisy hook of tests/wc-e2e: an Error after payment_complete() saved the order.
        $order = new class (120, '24.45') extends \WC_Order {
            public function payment_complete(string $transactionId = ''): bool
            {
                parent::payment_complete($transactionId);
                throw new \Error('another plug-in failed after the payment was saved');
            }
        };
        $order->customerId = self::USER;
        $order->items['line_item'][] = new \WC_Order_Item('Tea', 1, 24.45);
        $order->save();
        $_POST = ['wc-mypos_ipc-new-payment-method' => 'true'];
        $this->assertSame('success', (new Gateway())->process_payment(120)['result']);
        $settings = new Settings();
        $request = (new PurchaseForm($settings))->forAttempt($settings->config('test'), self::saved(120), 'test', $this->recorder . '/?wc-api=mypos_ipc');
        $bodies = $this->payPage(self::post($request->actionUrl(), $request->body()), self::GOOD);
        $answer = $this->handler()->handle(end($bodies));
        $this->assertSame([200, 'OK'], [$answer->status, $answer->body]);
        $this->assertSame('processing', self::saved(120)->get_status());
        $cards = CardTokens::all(self::USER);
        $this->assertCount(1, $cards, 'the card was saved despite the Error');
        $this->assertSame('0007', end($cards)->get_last4());
    }

    public function testNoCardIsSavedWhenThePaymentItselfWasNotSaved(): void
    {
        $order = new class (121, '24.45') extends \WC_Order {
            public function payment_complete(string $transactionId = ''): bool
            {
                throw new \TypeError('a hook failed before anything was saved');
            }
        };
        $order->customerId = self::USER;
        $order->items['line_item'][] = new \WC_Order_Item('Tea', 1, 24.45);
        $order->save();
        $_POST = ['wc-mypos_ipc-new-payment-method' => 'true'];
        $this->assertSame('success', (new Gateway())->process_payment(121)['result']);
        $settings = new Settings();
        $request = (new PurchaseForm($settings))->forAttempt($settings->config('test'), self::saved(121), 'test', $this->recorder . '/?wc-api=mypos_ipc');
        $bodies = $this->payPage(self::post($request->actionUrl(), $request->body()), self::GOOD);
        $answer = $this->handler()->handle(end($bodies));
        $this->assertNotSame('OK', $answer->body);
        $this->assertSame('pending', self::saved(121)->get_status());
        $this->assertSame([], CardTokens::all(self::USER), 'no card for a payment that is not recorded');
    }

    public function testWithoutTheBoxOrForAGuestNoCardIsRequested(): void
    {
        $order = self::customerOrder(81);
        (new Gateway())->process_payment(81);
        $settings = new Settings();
        $request = (new PurchaseForm($settings))->forAttempt($settings->config('test'), self::saved(81), 'test', self::NOTIFY_URL);
        $this->assertSame('0', $request->fields()['CardTokenRequest']);

        $guest = new \WC_Order(82, '5.00');
        $guest->save();
        $_POST = ['wc-mypos_ipc-new-payment-method' => 'true'];
        (new Gateway())->process_payment(82);
        $this->assertSame('', self::saved(82)->get_meta(Gateway::SAVE_CARD_META), 'a guest cannot save a card');
    }

    public function testAddPaymentMethodStoresACardWithoutAPayment(): void
    {
        $result = (new Gateway())->add_payment_method();
        $this->assertSame('success', $result['result']);
        $this->assertStringContainsString('wc-api=' . Gateway::ADD_CARD_API, $result['redirect']);
        $settings = new Settings();
        $request = (new CardSaves($settings, new Log('debug')))->form($settings->config('test'), self::USER, 'test', $this->recorder . '/?wc-api=mypos_ipc');
        $fields = $request->fields();
        $this->assertSame(['1', $settings->orderPrefix() . '-c7-1'], [$fields['CardTokenRequest'], $fields['OrderID']]);
        $this->assertArrayNotHasKey('Amount', $fields, 'store only: no amount');
        $bodies = $this->payPage(self::post($request->actionUrl(), $request->body()), self::GOOD);
        parse_str($bodies[0], $notify);
        $this->assertArrayNotHasKey('Amount', $notify);

        $answer = $this->handler()->handle($bodies[0]);
        $this->assertSame([200, 'OK'], [$answer->status, $answer->body], 'OK only once the card is stored');
        $this->assertCount(1, CardTokens::all(self::USER));
        $this->assertSame([200, 'OK'], [$this->handler()->handle($bodies[0])->status, 'OK'], 'a repeat is OK');
        $this->assertCount(1, CardTokens::all(self::USER), 'and stores nothing twice');

        // The buyer's browser back (stored or cancelled) goes to My Account → Payment methods.
        $cancel = self::myposBody(['IPCmethod' => 'IPCPurchaseCancel', 'SID' => self::SID, 'Amount' => '0.00', 'Currency' => 'EUR', 'OrderID' => $fields['OrderID']]);
        $this->assertSame('https://shop.test/my-account/payment-methods/', $this->handler()->handle($cancel)->redirect);

        // A notify for another customer's card request is not answered OK and stores nothing.
        parse_str($bodies[0], $f);
        $f['OrderID'] = 'wc-c8-1';
        unset($f['Signature']);
        $forged = $this->handler()->handle(self::myposBody($f));
        $this->assertNotSame('OK', $forged->body);
        $this->assertSame([], CardTokens::all(8));
    }

    public function testAnExpiredCardIsMarkedAndNotOffered(): void
    {
        $settings = new Settings();
        $request = (new CardSaves($settings, new Log('debug')))->form($settings->config('test'), self::USER, 'test', $this->recorder . '/?wc-api=mypos_ipc');
        $bodies = $this->payPage(self::post($request->actionUrl(), $request->body()), self::EXPIRED);
        $this->assertSame('OK', $this->handler()->handle($bodies[0])->body);
        [$card] = CardTokens::all(self::USER);
        $this->assertSame(['0023', '2020', '01'], [$card->get_last4(), $card->get_expiry_year(), $card->get_expiry_month()]);
        $this->assertTrue(CardTokens::isExpired($card));
        $this->assertSame([], CardTokens::usable(self::USER, 'test'));
        $item = CardTokens::markExpired(['expires' => '01/20'], $card);
        $this->assertSame('01/20 (expired)', $item['expires']);
        add_filter('woocommerce_get_customer_payment_tokens', [CardTokens::class, 'offerable'], 10, 3);
        $this->assertSame([], \WC_Payment_Tokens::get_customer_tokens(self::USER, Gateway::ID), 'not offered at checkout');
        $this->assertCount(1, CardTokens::all(self::USER), 'still there for My Account and privacy requests');
        $export = (new Privacy())->export('buyer@example.com');
        $this->assertSame('01/2020', $export['data'][0]['data'][1]['value'], 'an expired card is exported too');
        \Stub::$options['_account_page'] = true;
        $this->assertCount(1, \WC_Payment_Tokens::get_customer_tokens(self::USER, Gateway::ID), 'listed in My Account');

        self::customerOrder(83);
        $_POST = ['wc-mypos_ipc-payment-token' => (string) $card->get_id()];
        $this->assertSame(['result' => 'failure'], (new Gateway())->process_payment(83));
        $this->assertSame('error', end(\Stub::$actions['wc_notices'])['type']);
    }

    /** The signed 3-D Secure result the buyer's browser brought back last. */
    private string $tdsBody = '';

    /** Pays order $orderId with saved card $card: 3-D Secure answered with $action, then back. */
    private function payWithSavedCard(int $orderId, \WC_Payment_Token_CC $card, string $action = 'authenticate'): \MyPOS\IPC\WooCommerce\Answer
    {
        self::customerOrder($orderId);
        $_POST = ['wc-mypos_ipc-payment-token' => (string) $card->get_id()];
        $result = (new Gateway())->process_payment($orderId);
        $this->assertSame('success', $result['result'], json_encode(\Stub::$actions['wc_notices'] ?? []));
        $this->assertStringStartsWith($this->sandbox . '/vmp/tds?session=', $result['redirect']);
        $page = (string) file_get_contents($result['redirect']);
        $this->assertStringContainsString('3-D Secure', $page);
        preg_match('/name="session" value="([^"]+)"/', $page, $m);
        $back = self::post($this->sandbox . '/vmp/tds', 'session=' . urlencode(html_entity_decode($m[1])) . '&action=' . $action);
        preg_match('/<form[^>]*action="([^"]+)"/', $back, $to);
        $this->assertSame(SavedCardPayment::returnUrl(self::saved($orderId)), html_entity_decode($to[1]));
        preg_match_all('/<input type="hidden" name="([^"]+)" value="([^"]*)"/', $back, $inputs, PREG_SET_ORDER);
        $body = implode('&', array_map(fn ($i) => rawurlencode(html_entity_decode($i[1])) . '=' . rawurlencode(html_entity_decode($i[2])), $inputs));
        $this->tdsBody = $body;
        return (new SavedCardPayment(new Settings(), new Log('debug'), new OrderGate()))->finish($body, $orderId);
    }

    public function testPayWithASavedCardGoesThrough3DSecureThenChargesTheToken(): void
    {
        $card = $this->checkoutSavingCard(84);
        $answer = $this->payWithSavedCard(85, $card);
        $this->assertSame(self::saved(85)->get_checkout_order_received_url(), $answer->redirect);
        $order = self::saved(85);
        $this->assertSame('processing', $order->get_status());
        $attempt = Attempts::paid($order);
        $this->assertSame(['token', $card->get_id()], [$attempt['kind'], $attempt['card']]);
        $this->assertStringStartsWith('TDS', $attempt['tds']);
        $this->assertSame($attempt['trnref'], $order->get_transaction_id());
        $events = json_decode((string) file_get_contents($this->sandbox . '/sandbox/events'), true);
        $this->assertCount(1, array_filter($events, fn ($e) => $e['event'] === 'purchase_with_token' && $e['order_id'] === $attempt['id']));
        $this->assertNoTokenInLogs($card->get_token());

        // The same signed result again (a reload of the return) charges nothing more.
        $again = (new SavedCardPayment(new Settings(), new Log('debug'), new OrderGate()))->finish($this->tdsBody, 85);
        $this->assertSame(self::saved(85)->get_checkout_order_received_url(), $again->redirect);
        $this->assertSame('processing', self::saved(85)->get_status());
        $events = json_decode((string) file_get_contents($this->sandbox . '/sandbox/events'), true);
        $this->assertCount(1, array_filter($events, fn ($e) => str_starts_with($e['event'], 'purchase_with_token') && $e['order_id'] === $attempt['id']));
        // An unsigned body is refused.
        $forged = (new SavedCardPayment(new Settings(), new Log('debug'), new OrderGate()))->finish('IPCmethod=IPCTDSProcess', 85);
        $this->assertSame(self::saved(85)->get_checkout_payment_url(), $forged->redirect);
    }

    /** @return list<array<string, string>> the sandbox's events named $name */
    private function events(string $name): array
    {
        $events = json_decode((string) file_get_contents($this->sandbox . '/sandbox/events'), true);
        return array_values(array_filter($events, fn ($e) => $e['event'] === $name));
    }

    public function testAuthorizeOnlyWithASavedCardHoldsTheTokenThenCapturesOrReleases(): void
    {
        $card = $this->checkoutSavingCard(120);
        \Stub::$options[Settings::OPTION]['payment_action'] = 'authorize';
        $pay = function (int $id) use ($card): array {
            self::customerOrder($id);
            $_POST = ['wc-mypos_ipc-payment-token' => (string) $card->get_id()];
            return (new Gateway())->process_payment($id);
        };
        $result = $pay(121);
        $order = self::saved(121);
        $this->assertSame(['success', $order->get_checkout_order_received_url()], [$result['result'], $result['redirect']], 'no 3-D Secure page: held server to server');
        $held = Attempts::authorized($order);
        $this->assertSame([Attempts::PREAUTH, $card->get_id()], [$held['kind'], $held['card']]);
        $this->assertMatchesRegularExpression('#^\d\d/\d\d/\d{4}$#', (string) $held['expiry']);
        $this->assertSame(['on-hold', ''], [$order->get_status(), $order->get_transaction_id()], 'held, not paid');
        $this->assertStringContainsString('capture before ' . $held['expiry'], implode("\n", $order->notes));
        $holds = $this->events('ia_preauthorization');
        $this->assertSame([$held['id'], $held['trnref'], '24.45'], [$holds[0]['order_id'], $holds[0]['trnref'], $holds[0]['amount']]);

        // Captured like a pre-authorization made on myPOS's page.
        $this->assertNull((new \MyPOS\IPC\WooCommerce\Plugin('x'))->captures()->capture(self::saved(121), 2000));
        $order = self::saved(121);
        $this->assertSame(['processing', $held['trnref']], [$order->get_status(), $order->get_transaction_id()]);
        $this->assertSame('20.00', $this->events('preauth_completion')[0]['amount']);

        // Released from the order action: cancelled, nothing captured.
        $pay(122);
        (new \MyPOS\IPC\WooCommerce\Plugin('x'))->authorizationActions()->releaseAction(self::saved(122));
        $this->assertSame('cancelled', self::saved(122)->get_status());
        $this->assertSame(Attempts::RELEASED, Attempts::latest(self::saved(122))['state']);
        $this->assertCount(1, $this->events('preauth_cancellation'));
        $this->assertNoTokenInLogs($card->get_token());
    }

    /** A hold sent without an answer may hold the amount: the order is never held a second time. */
    public function testAnUnansweredSavedCardHoldIsNeverSentAgain(): void
    {
        $card = $this->checkoutSavingCard(125);
        \Stub::$options[Settings::OPTION]['payment_action'] = 'authorize';
        $sandboxUrl = \Stub::$options[Settings::OPTION]['test_endpoint_url'];
        self::customerOrder(126);
        $_POST = ['wc-mypos_ipc-payment-token' => (string) $card->get_id()];
        \Stub::$options[Settings::OPTION]['test_endpoint_url'] = self::deadUrl(); // the answer is lost
        $this->assertSame('failure', (new Gateway())->process_payment(126)['result']);
        $this->assertNotNull(\MyPOS\IPC\WooCommerce\TokenHold::unanswered(self::saved(126)));
        \Stub::$options[Settings::OPTION]['test_endpoint_url'] = $sandboxUrl;
        $this->assertSame('failure', (new Gateway())->process_payment(126)['result']);
        $this->assertStringContainsString('An earlier authorization of this order got no answer', end(\Stub::$actions['wc_notices'])['message']);
        $this->assertCount(0, $this->events('ia_preauthorization'), 'nothing held a second time');
        $this->assertCount(1, array_filter(Attempts::all(self::saved(126)), fn ($a) => Attempts::kind($a) === Attempts::PREAUTH));
    }

    public function testAuthorizeOnlyWithASavedCardThatDeclinesLeavesTheOrderPayable(): void
    {
        $card = $this->checkoutSavingCard(123, self::DECLINES);
        \Stub::$options[Settings::OPTION]['payment_action'] = 'authorize';
        self::customerOrder(124);
        $_POST = ['wc-mypos_ipc-payment-token' => (string) $card->get_id()];
        $this->assertSame('failure', (new Gateway())->process_payment(124)['result']);
        $order = self::saved(124);
        $this->assertSame('pending', $order->get_status());
        $this->assertSame(Attempts::DECLINED, Attempts::latest($order)['state']);
        $this->assertNull(Attempts::authorized($order));
        $this->assertStringContainsString('not sufficient funds', end(\Stub::$actions['wc_notices'])['message']);
        $this->assertCount(0, $this->events('ia_preauthorization'));
    }

    public function testADeclinedSavedCardShowsMyposReasonAndTheOrderStaysPayable(): void
    {
        $card = $this->checkoutSavingCard(86, self::DECLINES);
        $answer = $this->payWithSavedCard(87, $card);
        $order = self::saved(87);
        $this->assertSame($order->get_checkout_payment_url(), $answer->redirect);
        $this->assertSame('pending', $order->get_status());
        $notice = end(\Stub::$actions['wc_notices']);
        $this->assertSame('error', $notice['type']);
        $this->assertStringContainsString('not sufficient funds', $notice['message']);
        $this->assertSame(Attempts::DECLINED, Attempts::latest($order)['state']);
    }

    public function testALostAnswerWhileTheBuyerWaitsIsSettledBeforeTheBuyerCanPayAgain(): void
    {
        $card = $this->checkoutSavingCard(110);
        self::post($this->sandbox . '/sandbox/faults', 'charge=drop');
        $answer = $this->payWithSavedCard(111, $card);
        $this->assertSame(self::saved(111)->get_checkout_payment_url(), $answer->redirect);
        $this->assertStringContainsString('did not answer in time', end(\Stub::$actions['wc_notices'])['message']);
        $this->assertSame('pending', self::saved(111)->get_status());
        $this->assertTrue(Attempts::latest(self::saved(111))['unanswered']);

        // The buyer tries again: the status query finds the charge, nothing is charged twice.
        $_POST = ['wc-mypos_ipc-payment-token' => (string) $card->get_id()];
        $again = (new Gateway())->process_payment(111);
        $this->assertSame(['result' => 'success', 'redirect' => self::saved(111)->get_checkout_order_received_url()], $again);
        $this->assertSame('processing', self::saved(111)->get_status());
        $this->assertSame(1, $this->charges('purchase_with_token', 111));
    }

    public function testTheHourlyReconcilerSettlesALostAnswerWithoutTheBuyer(): void
    {
        $card = $this->checkoutSavingCard(122);
        self::post($this->sandbox . '/sandbox/faults', 'charge=drop');
        $this->payWithSavedCard(123, $card);
        $this->assertSame('pending', self::saved(123)->get_status());
        $this->assertTrue(Attempts::latest(self::saved(123))['unanswered']);

        $reconciler = new Reconciler(new Settings(), $this->handler(), new Log('debug'));
        $this->assertSame(
            'myPOS reports the saved-card charge that was left without an answer paid; applied.',
            $reconciler->check(self::saved(123))
        );
        $order = self::saved(123);
        $this->assertSame('processing', $order->get_status());
        $this->assertSame(Attempts::PAID, Attempts::latest($order)['state']);
        $this->assertSame(Attempts::latest($order)['trnref'], $order->get_transaction_id());
        $this->assertSame([], \Stub::$locks, 'the order lock is released');
        // The buyer's next try, and the next hourly run, charge nothing more.
        $_POST = ['wc-mypos_ipc-payment-token' => (string) $card->get_id()];
        $this->assertSame('success', (new Gateway())->process_payment(123)['result']);
        $reconciler->checkPending();
        $this->assertSame('processing', self::saved(123)->get_status());
        $this->assertSame(1, $this->charges('purchase_with_token', 123));
        $this->assertNoTokenInLogs($card->get_token());
    }

    public function testTheReconcilerLeavesAnAnsweredOrClosedTokenChargeAlone(): void
    {
        $card = $this->checkoutSavingCard(124);
        self::post($this->sandbox . '/sandbox/faults', 'charge=drop');
        $this->payWithSavedCard(125, $card);
        $order = self::saved(125);
        $order->set_status('cancelled');
        $order->save();
        (new Reconciler(new Settings(), $this->handler(), new Log('debug')))->check(self::saved(125));
        $this->assertSame('cancelled', self::saved(125)->get_status(), 'a closed order is not paid by the reconciler');
        $this->assertSame(Attempts::OPEN, Attempts::latest(self::saved(125))['state']);
    }

    public function testAFailed3DSecureCheckChargesNothing(): void
    {
        $card = $this->checkoutSavingCard(88);
        $answer = $this->payWithSavedCard(89, $card, 'fail');
        $this->assertSame(self::saved(89)->get_checkout_payment_url(), $answer->redirect);
        $this->assertSame('pending', self::saved(89)->get_status());
        $this->assertStringContainsString('3-D Secure', end(\Stub::$actions['wc_notices'])['message']);
        $events = json_decode((string) file_get_contents($this->sandbox . '/sandbox/events'), true);
        $this->assertSame([], array_values(array_filter($events, fn ($e) => str_starts_with($e['event'], 'purchase_with_token'))));
    }

    public function testDeletedCardCannotPay(): void
    {
        $card = $this->checkoutSavingCard(90);
        \WC_Payment_Tokens::delete($card->get_id());
        self::customerOrder(91);
        $_POST = ['wc-mypos_ipc-payment-token' => (string) $card->get_id()];
        $this->assertSame(['result' => 'failure'], (new Gateway())->process_payment(91));
    }

    /** A subscription (id $subscriptionId) renewing with $card and its renewal order $renewalId. */
    private function subscription(int $subscriptionId, int $renewalId, ?\WC_Payment_Token_CC $card): \WC_Order
    {
        $subscription = new \WC_Subscription($subscriptionId, '9.99', 'EUR', 'active');
        $subscription->customerId = self::USER;
        $subscription->orderIds = [$renewalId];
        if ($card !== null) {
            $subscription->update_meta_data(Subscriptions::CARD_META, $card->get_id());
        }
        $subscription->save();
        \Stub::$options['_subscriptions'][$subscriptionId] = $subscription;
        return self::customerOrder($renewalId, '9.99');
    }

    private function renew(int $renewalId): void
    {
        (new Subscriptions(new Settings(), new Log('debug'), new OrderGate()))->renew('9.99', self::saved($renewalId));
    }

    /** Token charges the sandbox made (or declined) for a shop order. */
    private function charges(string $event, int $shopOrder): int
    {
        $events = json_decode((string) file_get_contents($this->sandbox . '/sandbox/events'), true);
        return count(array_filter($events, fn ($e) => $e['event'] === $event && str_contains($e['order_id'], '-' . $shopOrder . '-')));
    }

    public function testSaveAtCheckoutOfASubscriptionThenTheRenewalIsPaidMerchantInitiated(): void
    {
        // The parent order starts subscription 200: its card is saved without the box ticked.
        $subscription = new \WC_Subscription(200, '9.99', 'EUR', 'active');
        $subscription->customerId = self::USER;
        $subscription->orderIds = [92];
        $subscription->save();
        \Stub::$options['_subscriptions'][200] = $subscription;
        $order = self::customerOrder(92, '9.99');
        (new Gateway())->process_payment(92);
        $settings = new Settings();
        $request = (new PurchaseForm($settings))->forAttempt($settings->config('test'), self::saved(92), 'test', $this->recorder . '/?wc-api=mypos_ipc');
        $this->assertSame('2', $request->fields()['CardTokenRequest'], 'a subscription always saves its card');
        $bodies = $this->payPage(self::post($request->actionUrl(), $request->body()), self::GOOD);
        $this->assertSame('OK', $this->handler()->handle(end($bodies))->body);
        [$card] = CardTokens::all(self::USER);
        $this->assertSame($card->get_id(), self::saved(200)->get_meta(Subscriptions::CARD_META));

        $subscription->orderIds[] = 93;
        \Stub::$options['_subscriptions'][200] = $subscription;
        self::customerOrder(93, '9.99');
        $this->renew(93);
        $renewal = self::saved(93);
        $this->assertSame('processing', $renewal->get_status());
        $attempt = Attempts::paid($renewal);
        $this->assertTrue($attempt['merchant_initiated']);
        $this->assertArrayNotHasKey('tds', $attempt, 'no 3-D Secure: AllowWithoutTDSReferenceID');
        $this->assertSame(1, $this->charges('purchase_with_token', 93));
        $this->assertNoTokenInLogs($card->get_token());

        // The hook run again (a duplicate Action Scheduler run) charges nothing.
        $this->renew(93);
        $this->assertSame(1, $this->charges('purchase_with_token', 93));
    }

    public function testARenewalDeclinedFailsWithMyposReasonThenTheRetryWithAnotherCardPays(): void
    {
        $declining = $this->checkoutSavingCard(94, self::DECLINES);
        $this->subscription(201, 95, $declining);
        $this->renew(95);
        $renewal = self::saved(95);
        $this->assertSame('failed', $renewal->get_status());
        $this->assertStringContainsString('not sufficient funds', end($renewal->notes));
        $declined = Attempts::latest($renewal);
        $this->assertSame(Attempts::DECLINED, $declined['state']);

        // The customer switches the subscription to a good card; Subscriptions retries.
        $good = $this->checkoutSavingCard(96, self::GOOD);
        $subscription = self::saved(201);
        $subscription->update_meta_data(Subscriptions::CARD_META, $good->get_id());
        $subscription->save();
        $this->renew(95);
        $renewal = self::saved(95);
        $this->assertSame('processing', $renewal->get_status());
        $paid = Attempts::paid($renewal);
        $this->assertNotSame($declined['id'], $paid['id'], 'a declined OrderID is not reused');
        $this->assertSame([1, 1], [$this->charges('purchase_with_token_declined', 95), $this->charges('purchase_with_token', 95)]);
    }

    public function testALostAnswerIsAskedAboutAndTheRenewalIsNeverChargedTwice(): void
    {
        $card = $this->checkoutSavingCard(97);
        $this->subscription(202, 98, $card);
        self::post($this->sandbox . '/sandbox/faults', 'charge=drop');
        $this->renew(98);
        $renewal = self::saved(98);
        $this->assertSame('failed', $renewal->get_status(), 'no answer: failed for the retry system');
        $open = Attempts::latest($renewal);
        $this->assertSame(Attempts::OPEN, $open['state'], 'the outcome is unknown');
        $this->assertSame(1, $this->charges('purchase_with_token', 98), 'the sandbox did charge');

        $this->renew(98);
        $renewal = self::saved(98);
        $this->assertSame('processing', $renewal->get_status(), 'the status query found the payment');
        $this->assertSame($open['id'], Attempts::paid($renewal)['id'], 'the same OrderID');
        $this->assertSame(1, $this->charges('purchase_with_token', 98), 'never charged twice');
        $orders = json_decode((string) file_get_contents($this->sandbox . '/sandbox/orders?shop_order=98'), true);
        $this->assertCount(1, $orders);
    }

    public function testARenewalWithoutASavedCardFailsWithTheReason(): void
    {
        $this->subscription(203, 99, null);
        $this->renew(99);
        $this->assertSame('failed', self::saved(99)->get_status());
        $this->assertStringContainsString('no usable saved myPOS card', end(self::saved(99)->notes));
    }

    public function testPrivacyExportListsLastFourAndExpiryOnlyAndTheEraserRemovesTheCards(): void
    {
        $card = $this->checkoutSavingCard(100);
        $export = (new Privacy())->export('buyer@example.com');
        $cards = array_values(array_filter($export['data'], fn ($i) => str_starts_with($i['item_id'], 'mypos-ipc-card-')));
        $this->assertCount(1, $cards);
        $this->assertSame(['0007', '12/2030'], array_column($cards[0]['data'], 'value'));
        $this->assertStringNotContainsString($card->get_token(), json_encode($export));

        $erased = (new Privacy())->erase('buyer@example.com');
        $this->assertTrue($erased['items_removed']);
        $this->assertContains('Removed 1 saved myPOS card.', $erased['messages']);
        $this->assertSame([], CardTokens::all(self::USER));
    }
}
