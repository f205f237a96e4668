// The browser suite: headless chromium buys in the demo shop through the local sandbox's payment
// page. Run by `make test-e2e` as `demo/run.sh node tests/e2e/shop.js` (SHOP and SANDBOX set).
// (a) paid with the test card, (b) cancelled on the payment page, (c) another card, declined.
'use strict';

const { step, check, launch, capture, parseForm, finish, watchdog, SHOTS } = require('./lib');

const SHOP = process.env.SHOP;
const SANDBOX = process.env.SANDBOX;
const TEST_CARD = '4006 0900 0000 0007';

let closeBrowser = async () => {};

async function sandboxEvents() {
  const r = await fetch(`${SANDBOX}/sandbox/events`, { signal: AbortSignal.timeout(5000) });
  return r.json();
}

async function main() {
  if (!SHOP || !SANDBOX) throw new Error('SHOP and SANDBOX must be set (run me through demo/run.sh)');
  const b = await launch();
  closeBrowser = b.close;
  watchdog(120000, b.close);
  const { page, watch } = b;
  console.log(`# shop ${SHOP}, sandbox ${SANDBOX}, screenshots in ${SHOTS}`);

  /** Product page -> cart -> checkout -> the sandbox's payment page. Returns the order id. */
  async function toPaymentPage(label, product, quantity, total) {
    let order = null;
    const steps = [
      [`${label}: product page`, async () => {
        await page.goto(`${SHOP}/`);
        check(await page.locator('h1').textContent() === 'Demo shop', 'no "Demo shop" heading');
        await page.getByLabel('Product').selectOption(product);
        await page.getByLabel('Quantity').fill(String(quantity));
        await b.screenshot(`${label}-product`);
        await page.getByRole('button', { name: 'Add to cart' }).click();
        await page.waitForURL(`${SHOP}/cart`);
        return `${product} x ${quantity} added to the cart`;
      }],
      [`${label}: cart`, async () => {
        const shown = (await page.locator('#total').textContent()).trim();
        check(shown === total, `cart total is '${shown}', expected '${total}'`);
        await b.screenshot(`${label}-cart`);
        return `total ${shown}`;
      }],
      [`${label}: checkout posts the signed IPCPurchase form to the sandbox`, async () => {
        const answer = capture(page, `${SHOP}/checkout`);
        const posted = page.waitForRequest((r) => r.url() === `${SANDBOX}/vmp/checkout-test`);
        await page.getByRole('button', { name: 'Checkout and pay with myPOS' }).click();
        const { html } = await answer;
        const form = parseForm(html);
        check(form.action === `${SANDBOX}/vmp/checkout-test`, `form action ${form.action}`);
        check(form.fields.get('IPCmethod') === 'IPCPurchase', 'not an IPCPurchase form');
        check(/^[A-Za-z0-9+/]+=*$/.test(form.fields.get('Signature') || ''), 'no base64 Signature');
        check(form.order[form.order.length - 1] === 'Signature', 'Signature is not the last field');
        const body = new URLSearchParams((await posted).postData());
        check(body.get('Signature') === form.fields.get('Signature'), 'the browser did not post the signed form');
        order = form.fields.get('OrderID');
        await b.screenshotHtml(`${label}-signed-form`, html);
        return `order ${order}, Amount ${form.fields.get('Amount')} ${form.fields.get('Currency')}`;
      }],
      [`${label}: the sandbox's payment page`, async () => {
        await page.waitForURL(`${SANDBOX}/vmp/checkout-test`);
        check(await page.locator('h1').textContent() === 'myPOS Checkout', `not the payment page: ${await page.title()}`);
        check(await page.locator('#order').textContent() === order, 'another order on the payment page');
        const amount = await page.locator('#amount').textContent();
        check(amount === total, `payment page amount '${amount}', expected '${total}'`);
        return `order ${order}, ${amount} (the sandbox verified the signature)`;
      }],
    ];
    for (const [name, fn] of steps) if (!(await step(name, fn))) return null;
    return order;
  }

  /** The order list row of `order`: [state, its notes]. */
  async function orderRow(order) {
    if (page.url().startsWith(SHOP)) {
      await page.getByRole('link', { name: 'Orders' }).click();
      await page.waitForURL(`${SHOP}/orders`);
    } else {
      await page.goto(`${SHOP}/orders`); // the merchant, after the buyer gave up on myPOS's page
    }
    const row = page.locator(`tr[id="order-${order}"]`);
    const notes = (await row.locator('.notes').innerText()).split('\n').map((n) => n.trim()).filter(Boolean);
    return [(await row.locator('.state').textContent()).trim(), notes];
  }

  /** Pay on the payment page; the sandbox sends IPCPurchaseNotify, then the browser returns to URL_OK. */
  async function payWith(label, card, expectReturn) {
    await page.getByLabel('Card number').fill(card);
    await page.getByLabel('Expiry (MM/YY)').fill('12/30');
    await page.getByLabel('CVC').fill('123');
    await b.screenshot(`${label}-card-entered`);
    const answer = capture(page, `${SANDBOX}/vmp/payment`);
    await page.getByRole('button', { name: 'Pay', exact: true }).click();
    const { html, posted } = await answer;
    check(new URLSearchParams(posted).get('card') === card, 'the typed card was not posted');
    if (expectReturn) await b.screenshotHtml(`${label}-return-form`, html);
    return html;
  }

  // (a) paid with the test card
  let order = await toPaymentPage('paid', 'mug', 2, '25.00 EUR');
  if (order) {
    await step('paid: test card entered, Pay -> signed IPCPurchaseOK back to the shop', async () => {
      const html = await payWith('paid', TEST_CARD, true);
      const form = parseForm(html);
      check(form.action === `${SHOP}/ok`, `return form to ${form.action}`);
      check(form.fields.get('IPCmethod') === 'IPCPurchaseOK', `return form is ${form.fields.get('IPCmethod')}`);
      await page.waitForURL(`${SHOP}/ok`);
      check(await page.locator('h1').textContent() === 'Thank you', 'no "Thank you"');
      const state = await page.locator('#state').textContent();
      check(state === 'processing', `return page says ${state}`);
      await b.screenshot('paid-ok-page');
      return `"Thank you", order is ${state}`;
    });
    await step('paid: order list shows the order paid after a verified notify', async () => {
      const [state, notes] = await orderRow(order);
      await b.screenshot('paid-orders');
      check(state === 'processing', `order list says ${state}`);
      const note = notes.find((n) => n.startsWith('paid through myPOS, IPC_Trnref '));
      check(note, `notes: ${notes}`);
      const notify = (await sandboxEvents()).filter((e) => e.event === 'notify' && e.order_id === order);
      check(notify.length === 1 && notify[0].accepted === 'true', `sandbox notify events: ${JSON.stringify(notify)}`);
      return `processing; sandbox: notify answered "${notify[0].answer}"; note "${note}"`;
    });
  }

  // (b) cancelled on the payment page
  order = await toPaymentPage('cancelled', 'tshirt', 1, '24.45 EUR');
  if (order) {
    await step('cancelled: Cancel -> signed IPCPurchaseCancel back to the shop', async () => {
      await b.screenshot('cancelled-payment-page');
      const answer = capture(page, `${SANDBOX}/vmp/payment`);
      await page.getByRole('button', { name: 'Cancel' }).click();
      const { html } = await answer;
      const form = parseForm(html);
      check(form.fields.get('IPCmethod') === 'IPCPurchaseCancel', `return form is ${form.fields.get('IPCmethod')}`);
      await b.screenshotHtml('cancelled-return-form', html);
      await page.waitForURL(`${SHOP}/cancel`);
      check(await page.locator('h1').textContent() === 'Payment not completed', 'no "Payment not completed"');
      const state = await page.locator('#state').textContent();
      check(state === 'pending', `return page says ${state}`);
      check(await page.getByRole('button', { name: 'Pay again' }).isVisible(), 'no "Pay again" button');
      await b.screenshot('cancelled-return-page');
      return `"Payment not completed", order is ${state}, "Pay again" offered`;
    });
    await step('cancelled: order list shows it cancelled by the buyer, still payable', async () => {
      const [state, notes] = await orderRow(order);
      await b.screenshot('cancelled-orders');
      check(state === 'pending', `order list says ${state}`);
      const note = notes.find((n) => n.includes('buyer cancelled'));
      check(note, `notes: ${notes}`);
      const events = (await sandboxEvents()).filter((e) => e.order_id === order).map((e) => e.event);
      check(events.includes('cancel') && !events.includes('notify'), `sandbox events: ${events}`);
      return `${state}, note "${note}"`;
    });
  }

  // (c) a card other than the test card is declined
  order = await toPaymentPage('declined', 'mug', 1, '12.50 EUR');
  if (order) {
    await step('declined: another card, Pay -> the payment page says declined', async () => {
      await payWith('declined', '4111 1111 1111 1111', false);
      await page.waitForURL(`${SANDBOX}/vmp/payment`);
      const notice = await page.locator('.error').textContent();
      check(notice.includes('declined'), `notice: ${notice}`);
      await b.screenshot('declined-page');
      return `"${notice}"`;
    });
    await step('declined: no notify was sent, the order stays pending', async () => {
      const events = (await sandboxEvents()).filter((e) => e.order_id === order).map((e) => e.event);
      check(events.includes('decline') && !events.includes('notify'), `sandbox events: ${events}`);
      const [state] = await orderRow(order);
      await b.screenshot('declined-orders');
      check(state === 'pending', `order list says ${state}`);
      return `sandbox events ${events.join(', ')}; order ${state}`;
    });
  }

  await step('no page errors, failed requests or 5xx answers', async () => {
    check(watch.problems.length === 0, watch.problems.join('\n'));
  });
  await step('no request left 127.0.0.1', async () => {
    check(watch.leaked.length === 0, `not aborted: ${watch.leaked.join(', ')}`);
    const urls = watch.aborted.map((a) => a.url);
    return `${urls.length} other request(s) aborted${urls.length ? `: ${urls.join(', ')}` : ''}`;
  });
}

main().catch((e) => step('the suite ran', () => { throw e; })).finally(async () => {
  await closeBrowser();
  finish();
});
