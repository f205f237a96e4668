<?php

// phpcs:ignoreFile -- tests.
namespace MyPOS\IPC\WooCommerce\Tests;

use Automattic\WooCommerce\Blocks\Payments\PaymentMethodRegistry;
use MyPOS\IPC\WooCommerce\CardTokens;
use MyPOS\IPC\WooCommerce\CheckoutChoice;
use MyPOS\IPC\WooCommerce\Gateway;
use MyPOS\IPC\WooCommerce\Plugin;
use MyPOS\IPC\WooCommerce\SavedCardPayment;
use MyPOS\IPC\WooCommerce\Subscriptions;

/**
 * Saved cards without myPOS: what the gateway declares, the checkout fields (classic and
 * block), the buyer's choice, expiry, the hooks, and the subscription's card change.
 */
final class SavedCardsTest extends TestCase
{
    protected function setUp(): void
    {
        parent::setUp();
        $this->configure();
        $_POST = [];
    }

    protected function tearDown(): void
    {
        $_POST = [];
        parent::tearDown();
    }

    private static function card(int $user, string $year = '2030', string $month = '12', string $mode = 'test'): \WC_Payment_Token_CC
    {
        $card = new \WC_Payment_Token_CC();
        $card->set_token('TOKEN' . $user . $year . $month);
        $card->set_gateway_id(Gateway::ID);
        $card->set_user_id($user);
        $card->set_last4('0007');
        $card->set_expiry_year($year);
        $card->set_expiry_month($month);
        $card->set_card_type('visa');
        $card->add_meta_data(CardTokens::MODE_META, $mode, true);
        $card->save();
        return $card;
    }

    public function testTheGatewayDeclaresTokenizationAndSubscriptions(): void
    {
        $gateway = new Gateway();
        foreach (['products', 'refunds', 'tokenization', 'add_payment_method', 'subscriptions', 'subscription_cancellation',
            'subscription_suspension', 'subscription_reactivation', 'subscription_amount_changes',
            'subscription_date_changes', 'multiple_subscriptions', 'subscription_payment_method_change_customer'] as $feature) {
            $this->assertTrue($gateway->supports($feature), $feature);
        }
        $this->assertTrue($gateway->has_fields);
    }

    public function testClassicCheckoutOffersSavedCardsAndTheSaveBoxToLoggedInBuyersOnly(): void
    {
        self::card(7);
        ob_start();
        (new Gateway())->payment_fields();
        $guest = (string) ob_get_clean();
        $this->assertStringNotContainsString('new-payment-method', $guest);

        \Stub::$options['_user'] = 7;
        ob_start();
        (new Gateway())->payment_fields();
        $html = (string) ob_get_clean();
        $this->assertStringContainsString('name="wc-mypos_ipc-new-payment-method"', $html);
        $this->assertStringContainsString('Visa ending in 0007', $html);
        $this->assertStringNotContainsString('TOKEN7', $html, 'the token is never shown');
    }

    public function testTheBlockListsSavedCardsAndHasItsOwnSaveBox(): void
    {
        $plugin = Plugin::boot(dirname(__DIR__, 2) . '/mypos-ipc-woocommerce.php');
        $registry = new PaymentMethodRegistry();
        $plugin->registerBlocks($registry);
        $method = $registry->registered['mypos_ipc'];
        $method->initialize();
        $this->assertFalse($method->get_payment_method_data()['canSaveCard'], 'a guest cannot save');
        \Stub::$options['_user'] = 7;
        $data = $method->get_payment_method_data();
        $this->assertTrue($data['showSavedCards']);
        $this->assertTrue($data['canSaveCard']);
        $this->assertContains('tokenization', $data['supports']);
        $this->assertContains('subscriptions', $data['supports']);
        $js = (string) file_get_contents(dirname(__DIR__, 2) . '/assets/js/blocks.js');
        $this->assertStringContainsString("'wc-mypos_ipc-new-payment-method'", $js, 'the box travels in paymentMethodData under the classic name');
        $this->assertStringContainsString('onPaymentSetup', $js);
    }

    public function testTheBuyersChoiceFromTheCheckoutFields(): void
    {
        $this->assertSame([null, false], self::choice([]));
        $this->assertSame([null, true], self::choice(['wc-mypos_ipc-payment-token' => 'new', 'wc-mypos_ipc-new-payment-method' => 'true']));
        $this->assertSame([12, false], self::choice(['wc-mypos_ipc-payment-token' => '12']));
        $this->assertSame([null, false], self::choice(['wc-mypos_ipc-payment-token' => '12 OR 1=1']));
        $this->assertSame([null, false], self::choice(['wc-mypos_ipc-payment-token' => ['12']]));
        $this->assertSame([null, false], self::choice(['wc-mypos_ipc-payment-token' => '0']));
    }

    private static function choice(array $post): array
    {
        $c = CheckoutChoice::fromPost($post);
        return [$c->tokenId, $c->saveCard];
    }

    public function testExpiryIsTheEndOfTheExpiryMonth(): void
    {
        $card = self::card(7, '2026', '11');
        $this->assertFalse(CardTokens::isExpired($card, gmmktime(23, 59, 59, 11, 30, 2026)));
        $this->assertTrue(CardTokens::isExpired($card, gmmktime(0, 0, 0, 12, 1, 2026)));
        $this->assertTrue(CardTokens::isExpired(self::card(8, '', '')), 'no expiry: not usable');
    }

    public function testAnotherCustomersCardOrAnotherModesCardCannotPay(): void
    {
        $card = self::card(7);
        $live = self::card(7, '2031', '01', 'live');
        $this->assertNotNull(CardTokens::find($card->get_id(), 7, 'test'));
        $this->assertNull(CardTokens::find($card->get_id(), 8, 'test'));
        $this->assertNull(CardTokens::find($live->get_id(), 7, 'test'));

        \Stub::$options['_user'] = 8;
        $order = new \WC_Order(60, '10.00');
        $order->customerId = 8;
        $order->save();
        $_POST = ['wc-mypos_ipc-payment-token' => (string) $card->get_id()];
        $this->assertSame(['result' => 'failure'], (new Gateway())->process_payment(60));
        $this->assertSame([], \Stub::$http, 'nothing was sent to myPOS');
    }

    public function testTheCustomerChangesTheCardASubscriptionRenewsWith(): void
    {
        \Stub::$options['_user'] = 7;
        $card = self::card(7);
        $subscription = new \WC_Subscription(300, '9.99', 'EUR', 'active');
        $subscription->customerId = 7;
        $subscription->save();
        $_POST = ['wc-mypos_ipc-payment-token' => (string) $card->get_id()];
        $result = (new Gateway())->process_payment(300);
        $this->assertSame('success', $result['result']);
        $this->assertSame($card->get_id(), self::saved(300)->get_meta(Subscriptions::CARD_META));
        $this->assertSame([], \Stub::$http, 'a card change charges nothing');

        $_POST = ['wc-mypos_ipc-payment-token' => 'new'];
        $this->assertSame(['result' => 'failure'], (new Gateway())->process_payment(300), 'a new card is added in My Account first');
        $this->assertSame($card->get_id(), self::saved(300)->get_meta(Subscriptions::CARD_META));
    }

    public function testTheHooksAreRegistered(): void
    {
        Plugin::boot(dirname(__DIR__, 2) . '/mypos-ipc-woocommerce.php');
        foreach ([Subscriptions::RENEWAL_HOOK, 'woocommerce_api_' . SavedCardPayment::RETURN_API, 'woocommerce_api_' . Gateway::ADD_CARD_API,
            'woocommerce_payment_methods_list_item', 'woocommerce_get_customer_payment_tokens'] as $hook) {
            $this->assertNotEmpty(\Stub::$actions[$hook] ?? [], $hook);
        }
        $this->assertSame('woocommerce_scheduled_subscription_payment_' . Gateway::ID, Subscriptions::RENEWAL_HOOK);
    }

    public function testA3DSecureReturnThatIsNotSignedByMyposChargesNothing(): void
    {
        $order = new \WC_Order(61, '10.00');
        $order->save();
        $forged = 'IPCmethod=IPCTDSProcess&SID=' . self::SID . '&Amount=10.00&Currency=EUR&TDSReferenceID=TDS1&TDSStatus=1&Signature=AAAA';
        $answer = (new SavedCardPayment(new \MyPOS\IPC\WooCommerce\Settings(), new \MyPOS\IPC\WooCommerce\Log('debug'), new \MyPOS\IPC\WooCommerce\OrderGate()))->finish($forged, 61);
        $this->assertSame($order->get_checkout_payment_url(), $answer->redirect);
        $this->assertSame('pending', self::saved(61)->get_status());
        $this->assertSame([], \Stub::$http);
    }
}
