<?php

// phpcs:ignoreFile -- tests.
namespace MyPOS\IPC\WooCommerce\Tests;

use MyPOS\IPC\WooCommerce\Gateway;
use MyPOS\IPC\WooCommerce\PurchaseForm;
use MyPOS\IPC\WooCommerce\Settings;

final class PurchaseAndRefundTest extends TestCase
{
    protected function setUp(): void
    {
        parent::setUp();
        $this->configure(['payment_page' => '2']);
    }

    private function richOrder(): \WC_Order
    {
        $order = new \WC_Order(21, '48.40');
        $order->items['line_item'][] = new \WC_Order_Item('Mug "Tom & Jerry" ☕', 2, 16.00, 4.00);
        $order->items['line_item'][] = new \WC_Order_Item('Книга', 1, 20.00, 0.00);
        $order->items['fee'][] = new \WC_Order_Item('Gift wrap', 1, 2.40, 0.00);
        $order->items['shipping'][] = new \WC_Order_Item('Courier', 1, 5.00, 1.00);
        $order->save();
        return $order;
    }

    private function fields(\WC_Order $order): array
    {
        $settings = new Settings();
        $request = (new PurchaseForm($settings))->build($settings->config(), $order, (string) $order->get_id(), 'https://shop.test/?wc-api=mypos_ipc');
        $fields = $request->fields();
        $this->assertTrue(\MyPOS\IPC\verify($fields, self::merchantCert()), 'signed with the merchant key');
        $this->assertStringContainsString('<form', $request->htmlForm());
        return $fields;
    }

    /** The order-pay page embeds only a form, submitted by its id, whose fields are the signed ones. */
    public function testPaymentFormForTheOrderPayPage(): void
    {
        $html = (new Gateway())->paymentForm($this->richOrder());
        $this->assertStringNotContainsString('<body', $html);
        $this->assertStringNotContainsString('forms[0]', $html);
        $this->assertStringContainsString('document.getElementById("mypos-ipc-payment").submit()', $html);
        $doc = new \DOMDocument();
        $doc->loadHTML('<?xml encoding="utf-8"?><form id="theme-search"></form>' . $html, LIBXML_NOERROR);
        $form = $doc->getElementById('mypos-ipc-payment');
        $this->assertNotNull($form);
        $this->assertSame('post', $form->getAttribute('method'));
        $fields = [];
        foreach ($form->getElementsByTagName('input') as $input) {
            $fields[$input->getAttribute('name')] = $input->getAttribute('value');
        }
        $this->assertSame('Mug "Tom & Jerry" ☕', $fields['Article_1']);
        $this->assertTrue(\MyPOS\IPC\verify($fields, self::merchantCert()), 'the posted fields keep the signature valid');
    }

    public function testPurchaseFormHasCartLinesSummingToTotal(): void
    {
        $fields = $this->fields($this->richOrder());
        $this->assertSame('IPCPurchase', $fields['IPCmethod']);
        $this->assertSame('21', $fields['OrderID']);
        $this->assertSame('48.40', $fields['Amount']);
        $this->assertSame('EUR', $fields['Currency']);
        $this->assertSame('2', $fields['PaymentParametersRequired']);
        $this->assertSame('4', (string) $fields['CartItems']);
        $this->assertSame('Mug "Tom & Jerry" ☕', $fields['Article_1']);
        $this->assertSame('2', (string) $fields['Quantity_1']);
        $this->assertSame('10.00', $fields['Price_1']);
        $this->assertSame('Книга', $fields['Article_2']);
        $this->assertSame('Courier', $fields['Article_4']);
        $this->assertSame('https://shop.test/?wc-api=mypos_ipc', $fields['URL_Notify']);
        $this->assertSame('buyer@example.com', $fields['customeremail']);
        $this->assertSame('BGR', $fields['customercountry']);
    }

    public function testRoundingFallsBackToOneLine(): void
    {
        $order = new \WC_Order(22, '10.00');
        $order->items['line_item'][] = new \WC_Order_Item('Pen', 3, 10.00, 0.00);
        $cart = PurchaseForm::cart($order, 1000);
        $this->assertSame([['article' => '3 × Pen', 'quantity' => 1, 'unit_price' => 1000]], $cart);
        $order2 = new \WC_Order(23, '12.00');
        $order2->items['line_item'][] = new \WC_Order_Item('Pen', 1, 10.00, 0.00);
        $this->assertSame(1200, PurchaseForm::cart($order2, 1200)[0]['unit_price']);
        $this->assertSame('Order 23', PurchaseForm::cart($order2, 1200)[0]['article']);
    }

    public function testZeroDecimalAmount(): void
    {
        $order = new \WC_Order(24, '1500', 'JPY');
        $order->save();
        $this->assertSame('1500', $this->fields($order)['Amount']);
    }

    public function testProcessPaymentRedirectsToPayPage(): void
    {
        self::order(25);
        $result = (new Gateway())->process_payment(25);
        $this->assertSame('success', $result['result']);
        $this->assertStringContainsString('order-pay/25', $result['redirect']);
    }

    /** A signed IPCRefund answer as myPOS sends it (JSON, signed with the myPOS key). */
    private static function refundAnswer(int $status, string $msg, string $amount = '10.00'): string
    {
        $fields = ['IPCMethod' => 'IPCRefund', 'SID' => self::SID, 'Amount' => $amount, 'Currency' => 'EUR', 'IPC_Trnref' => '410227', 'Status' => (string) $status, 'StatusMsg' => $msg];
        $fields['Signature'] = \MyPOS\IPC\sign($fields, self::myposKey());
        return (string) json_encode($fields);
    }

    public function testPartialRefundSucceeds(): void
    {
        self::order(30, '24.45', 'processing', '410227');
        \Stub::$httpHandler = fn () => ['body' => self::refundAnswer(0, 'Success')];
        $result = (new Gateway())->process_refund(30, '10.00', 'damaged');
        $this->assertTrue($result);
        $sent = \Stub::$http[0];
        $this->assertTrue($sent['args']['sslverify']);
        parse_str($sent['args']['body'], $body);
        $this->assertSame('IPCRefund', $body['IPCmethod']);
        $this->assertSame('10.00', $body['Amount']);
        $this->assertSame('410227', $body['IPC_Trnref']);
        $this->assertStringContainsString('Refunded 10.00 EUR', implode("\n", self::saved(30)->notes));
    }

    public function testRefusedRefundShowsMyposError(): void
    {
        self::order(31, '24.45', 'processing', '410227');
        \Stub::$httpHandler = fn () => ['body' => self::refundAnswer(9, 'Amount exceeds the remaining')];
        $result = (new Gateway())->process_refund(31, '10.00');
        $this->assertInstanceOf(\WP_Error::class, $result);
        $this->assertStringContainsString('Amount exceeds the remaining', $result->get_error_message());
    }

    public function testForgedRefundAnswerIsRefused(): void
    {
        self::order(32, '24.45', 'processing', '410227');
        \Stub::$httpHandler = fn () => ['body' => str_replace('"Status":"9"', '"Status":"0"', self::refundAnswer(9, 'Refused'))];
        $result = (new Gateway())->process_refund(32, '10.00');
        $this->assertInstanceOf(\WP_Error::class, $result);
        $this->assertStringContainsString('signature does not verify', $result->get_error_message());
    }

    public function testRefundWithoutPaymentOrUnreachable(): void
    {
        self::order(33);
        $this->assertInstanceOf(\WP_Error::class, (new Gateway())->process_refund(33, '1.00'));
        self::order(34, '24.45', 'processing', '410227');
        $this->configure(['test_endpoint_url' => 'http://127.0.0.1:9/']);
        $result = (new Gateway())->process_refund(34, '1.00');
        $this->assertInstanceOf(\WP_Error::class, $result);
        $this->assertStringContainsString('could not be reached', $result->get_error_message());
    }

    public function testLanguageSettingReachesThePaymentPage(): void
    {
        $this->configure(['language' => 'bg']);
        $order = new \WC_Order(26, '5.00');
        $order->save();
        $fields = $this->fields($order);
        $this->assertSame('BG', strtoupper($fields['IPCLanguage']));
        $this->configure();
        $this->assertSame('EN', strtoupper($this->fields($order)['IPCLanguage']));
    }

    public function testRefundAnswerForAnotherAmountIsNotTakenAsSuccess(): void
    {
        self::order(35, '24.45', 'processing', '410227');
        \Stub::$httpHandler = fn () => ['body' => self::refundAnswer(0, 'Success', '1.00')];
        $result = (new Gateway())->process_refund(35, '10.00');
        $this->assertInstanceOf(\WP_Error::class, $result);
        $this->assertStringContainsString('not the requested one', $result->get_error_message());
    }
}
