// The MYPOS=test wiring, offline: `MYPOS=test PUBLIC_URL=https://... demo/run.sh node
// tests/e2e/mypos-test.js`. Chromium checks out in the shop; its post to the real myPOS test
// endpoint is aborted (nothing leaves 127.0.0.1) and the body it would have sent is checked:
// endpoint, public test SID / wallet / KeyIndex, PUBLIC_URL-based return URLs, and a Signature
// that `ipc verify` accepts with the public test merchant key (and refuses once tampered).
'use strict';

const path = require('path');
const { spawnSync } = require('child_process');
const { ROOT, TARGET, SHOTS, step, check, launch, capture, parseForm, finish, watchdog } = require('./lib');

const SHOP = process.env.SHOP;
const PUBLIC_URL = (process.env.PUBLIC_URL || '').replace(/\/$/, '');
const MYPOS_TEST = 'https://www.mypos.com/vmp/checkout-test';
const TEST_KEY = path.join(ROOT, 'tests/data/test-keys/mypos-test-merchant-public-key.pem');

/** `ipc verify` of a urlencoded body with the public test merchant key: its exit code. */
function ipcVerify(body) {
  const r = spawnSync(path.join(TARGET, 'release/ipc'), ['verify', '--cert', TEST_KEY], { input: body, timeout: 10000 });
  return r.status;
}

let closeBrowser = async () => {};

async function main() {
  check(SHOP && PUBLIC_URL.startsWith('https://'), 'SHOP and an https PUBLIC_URL must be set (run me through demo/run.sh)');
  const b = await launch();
  closeBrowser = b.close;
  watchdog(60000, b.close);
  const { page, watch } = b;
  console.log(`# shop ${SHOP}, PUBLIC_URL ${PUBLIC_URL}, screenshots in ${SHOTS}`);
  let sent = null;
  let html = null;

  await step('MYPOS=test: product page and cart', async () => {
    await page.goto(`${SHOP}/`);
    await page.getByLabel('Product').selectOption('tshirt');
    await b.screenshot('mypos-test-product');
    await page.getByRole('button', { name: 'Add to cart' }).click();
    await page.waitForURL(`${SHOP}/cart`);
    await b.screenshot('mypos-test-cart');
    return (await page.locator('#total').textContent()).trim();
  });
  await step('MYPOS=test: checkout posts to the myPOS test endpoint, and the request is aborted', async () => {
    const answer = capture(page, `${SHOP}/checkout`);
    await page.getByRole('button', { name: 'Checkout and pay with myPOS' }).click();
    ({ html } = await answer);
    await b.screenshotHtml('mypos-test-signed-form', html);
    const deadline = Date.now() + 10000;
    while (watch.aborted.length === 0 && Date.now() < deadline) await page.waitForTimeout(100);
    check(watch.aborted.length === 1, `aborted: ${JSON.stringify(watch.aborted.map((a) => a.url))}`);
    sent = watch.aborted[0];
    check(sent.url === MYPOS_TEST && sent.method === 'POST', `${sent.method} ${sent.url}`);
    check(parseForm(html).action === MYPOS_TEST, `form action ${parseForm(html).action}`);
    await b.screenshot('mypos-test-aborted');
    return `POST ${sent.url} aborted (1 request), nothing reached the network`;
  });
  if (!sent) return;
  const fields = new URLSearchParams(sent.body);
  await step('MYPOS=test: the public test store: SID, wallet, KeyIndex', async () => {
    const got = ['SID', 'WalletNumber', 'KeyIndex'].map((n) => `${n}=${fields.get(n)}`).join(' ');
    check(got === 'SID=000000000000010 WalletNumber=61938166610 KeyIndex=1', got);
    check(fields.get('IPCmethod') === 'IPCPurchase', `IPCmethod=${fields.get('IPCmethod')}`);
    return got;
  });
  await step('MYPOS=test: URL_OK, URL_Cancel and URL_Notify are under PUBLIC_URL', async () => {
    for (const [name, route] of [['URL_OK', '/ok'], ['URL_Cancel', '/cancel'], ['URL_Notify', '/notify']]) {
      check(fields.get(name) === PUBLIC_URL + route, `${name}=${fields.get(name)}`);
    }
    return `URL_Notify=${fields.get('URL_Notify')}`;
  });
  await step('MYPOS=test: the Signature verifies with the public test merchant key (ipc verify)', async () => {
    const status = ipcVerify(sent.body);
    check(status === 0, `ipc verify exit ${status}`);
    const tampered = new URLSearchParams(sent.body);
    tampered.set('Amount', '0.01');
    const bad = ipcVerify(tampered.toString());
    check(bad === 1, `tampered body: ipc verify exit ${bad}, expected 1`);
    return 'exit 0; with Amount changed: exit 1';
  });
  await step('MYPOS=test: no page errors, failed requests or 5xx answers; nothing left 127.0.0.1', async () => {
    check(watch.problems.length === 0, watch.problems.join('\n'));
    check(watch.leaked.length === 0, `not aborted: ${watch.leaked.join(', ')}`);
    return `${watch.aborted.length} request(s) aborted`;
  });
}

main().catch((e) => step('the suite ran', () => { throw e; })).finally(async () => {
  await closeBrowser();
  finish();
});
