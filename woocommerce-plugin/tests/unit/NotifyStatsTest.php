<?php

// phpcs:ignoreFile -- tests.
namespace MyPOS\IPC\WooCommerce\Tests;

use MyPOS\IPC\WooCommerce\Answer;
use MyPOS\IPC\WooCommerce\NotifyCheck;
use MyPOS\IPC\WooCommerce\NotifyStats;

/**
 * Issue 19 item 1: what the notify endpoint answered lately, written by real notify handling
 * (the handler's answer as NotifyEndpoint::handle() passes it on after sending it).
 */
final class NotifyStatsTest extends TestCase
{
    protected function setUp(): void
    {
        parent::setUp();
        $this->configure();
    }

    /** What the endpoint does with one request: answer, then record. */
    private function endpoint(string $body): Answer
    {
        $answer = $this->handle($body);
        NotifyStats::afterAnswer($answer, $body);
        return $answer;
    }

    private static function forged(int $orderId): string
    {
        $body = http_build_query(['IPCmethod' => 'IPCPurchaseNotify', 'SID' => self::SID, 'Amount' => '24.45',
            'Currency' => 'EUR', 'OrderID' => (string) $orderId, 'IPC_Trnref' => '999999']);
        return \MyPOS\IPC\sign_form($body, (string) file_get_contents(TEST_DATA . '/keys/merchant_private.pem'));
    }

    public function testNothingBeforeTheFirstNotify(): void
    {
        $this->assertNull(NotifyStats::last());
        $this->assertNull(NotifyStats::failure());
        $this->assertSame(['paid' => 0, 'duplicate' => 0, 'refused' => 0, 'reversed' => 0], NotifyStats::counts(time()));
    }

    public function testPaidDuplicateRefusedAndReversedAreCountedFromRealNotifies(): void
    {
        self::order(7);
        self::order(8);
        $this->assertSame('OK', $this->endpoint(self::notify(7))->body);
        $last = NotifyStats::last();
        $this->assertSame([200, 'OK', 'IPCPurchaseNotify', '7', 'mark_paid'],
            [$last['status'], $last['body'], $last['method'], $last['order'], $last['action']]);
        $this->assertEqualsWithDelta(time(), $last['at'], 2);
        $this->assertNull(NotifyStats::failure(), 'an OK is no failure');

        $this->assertSame('OK', $this->endpoint(self::notify(7))->body, 'the repeat');
        $forged = $this->endpoint(self::forged(8));
        $this->assertSame([400, 'signature invalid'], [$forged->status, $forged->body]);
        $this->assertSame('pending', self::saved(8)->get_status());
        $this->assertSame('OK', $this->endpoint(self::notify(8, '24.45', '410228', 'EUR', 'IPCPurchaseRollback'))->body);

        $this->assertSame(['paid' => 1, 'duplicate' => 1, 'refused' => 1, 'reversed' => 1], NotifyStats::counts(time()));
        $this->assertSame('IPCPurchaseRollback', NotifyStats::last()['method']);
        $failure = NotifyStats::failure();
        $this->assertSame([400, 'signature invalid', ''], [$failure['status'], $failure['body'], $failure['method']]);
        $this->assertStringContainsString('did not verify with the stored myPOS certificates', NotifyStats::reason($failure));
        $this->assertFalse(\Stub::$autoload[NotifyStats::OPTION], 'not autoloaded');
    }

    public function testARefusalDecidedByTheCoreKeepsItsReasonInTheSiteLanguage(): void
    {
        self::order(7, '24.45', 'processing', '410227');
        // Another payment for an order already paid: not OK, so myPOS reverses it.
        $answer = $this->endpoint(self::notify(7, '24.45', '410999'));
        $this->assertNotSame('OK', $answer->body);
        $failure = NotifyStats::failure();
        $this->assertSame(['IPCPurchaseNotify', '7', 'already_paid_otherwise'], [$failure['method'], $failure['order'], $failure['action']]);
        $this->assertSame('myPOS payment 410999 refused: the order is already paid by 410227.', NotifyStats::reason($failure));
        \Stub::$translations['mypos-ipc']['myPOS payment %1$s refused: the order is already paid by %2$s.'] = 'Плащане %1$s отказано: поръчката е платена с %2$s.';
        $this->assertSame('Плащане 410999 отказано: поръчката е платена с 410227.', NotifyStats::reason($failure), 'worded when shown');
        $this->assertSame(1, NotifyStats::counts(time())['refused']);
    }

    public function testTheBuyersReturnAndTheNotifyUrlCheckAreNotNotifies(): void
    {
        self::order(7);
        $ok = self::myposBody(['IPCmethod' => 'IPCPurchaseOK', 'SID' => self::SID, 'Amount' => '24.45', 'Currency' => 'EUR', 'OrderID' => '7', 'IPC_Trnref' => '410227']);
        $this->assertNotNull($this->endpoint($ok)->redirect);
        $this->assertNull(NotifyStats::last(), 'a redirect is not recorded');
        $this->assertSame(400, $this->endpoint('')->status, 'the URL opened in a browser');
        $this->assertNull(NotifyStats::last(), 'a request without a body or a verified message is not a notify');

        // The check's own request while its token is live: not counted; the same body later is.
        $check = new \ReflectionMethod(NotifyCheck::class, 'probeBody');
        $check->setAccessible(true);
        $probe = $check->invoke(null, 'abc123');
        set_transient('mypos_ipc_notify_check_token', 'abc123');
        $this->assertTrue(NotifyCheck::isProbe($probe));
        $this->assertSame('signature invalid', $this->endpoint($probe)->body);
        $this->assertNull(NotifyStats::last());
        delete_transient('mypos_ipc_notify_check_token');
        $this->assertFalse(NotifyCheck::isProbe($probe));
        $this->endpoint($probe);
        $this->assertSame(1, NotifyStats::counts(time())['refused']);
    }

    public function testCountersCoverSevenDaysAndTheOptionStaysSmall(): void
    {
        $day = 86400;
        $now = strtotime('2026-12-03 12:00:00 UTC');
        for ($i = 30; $i >= 0; $i--) {
            NotifyStats::record(new Answer(200, 'OK', null, ['method' => 'IPCPurchaseNotify', 'action' => 'mark_paid']), $now - $i * $day);
            NotifyStats::record(new Answer(503, 'busy'), $now - $i * $day);
        }
        $this->assertSame(['paid' => 7, 'duplicate' => 0, 'refused' => 7, 'reversed' => 0], NotifyStats::counts($now));
        $stored = \Stub::$options[NotifyStats::OPTION];
        $this->assertCount(8, $stored['days'], 'bounded: a week and a day');
        $this->assertSame('2026-12-03', array_key_first($stored['days']));
        $this->assertLessThan(2000, strlen(serialize($stored)));
        $this->assertSame(['paid' => 1, 'duplicate' => 0, 'refused' => 1, 'reversed' => 0], NotifyStats::counts($now + 6 * $day), 'six days later only today\'s are in the window');
        $this->assertSame('The order was held by another request for more than 3 s; myPOS retries.', NotifyStats::reason(NotifyStats::failure()));
    }

    public function testAFailureToWriteNeverReachesTheRequest(): void
    {
        \Stub::$options[NotifyStats::OPTION] = 'garbage';
        NotifyStats::afterAnswer(new Answer(200, 'OK'), 'IPCmethod=IPCPurchaseNotify');
        $this->assertSame(200, NotifyStats::last()['status'], 'a damaged option is started again');
    }
}
