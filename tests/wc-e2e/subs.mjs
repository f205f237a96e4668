// WooCommerce Subscriptions in headless Chromium (run.sh, when WCS_SRC is set): a logged-in buyer
// subscribes to SUB-1 through the block checkout with a new card, ticking "Save this card"; the
// sandbox's notify saves the card and the subscription renews with it; the renewal is run through
// Action Scheduler (wp.php renew) and paid server to server with the token (IPCIAPurchaseWithToken).
// The store's noisy payment hook throws at the first payment: the card is saved all the same.
// Prints TAP lines numbered from TAP_START and writes the last number to TAP_LAST_FILE.
// Env: STORE_JSON, SUBS_JSON (wp.php subs-setup), SANDBOX, SITE, SHOTS, WP_PHP, TAP_START, TAP_LAST_FILE.
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '../e2e/package.json'));
const { chromium } = require('playwright-core');
const { tap, tapState } = require('../e2e/lib.js');

const env = process.env;
const store = JSON.parse(readFileSync(env.STORE_JSON, 'utf8'));
const subs = JSON.parse(readFileSync(env.SUBS_JSON, 'utf8'));
const shop = store.url.replace(/\/$/, '');
const wp = (...args) => execFileSync('php', [env.WP_PHP, env.SITE, store.url, ...args], { encoding: 'utf8' }).trim();
const order = (id) => JSON.parse(wp('order', String(id)));
const sandboxEvents = async () => (await fetch(`${env.SANDBOX}/sandbox/events`)).json();
const pluginLog = () => execFileSync('bash', ['-c', `cat "${env.SITE}"/wp-content/uploads/wc-logs/mypos-ipc-*.log`], { encoding: 'utf8' });
let shotNo = 0;
async function shot(page, name) {
  shotNo += 1;
  await page.screenshot({ path: join(env.SHOTS, `wcs-${String(shotNo).padStart(2, '0')}-${name}.png`), fullPage: true });
}
async function step(name, fn) {
  const t0 = Date.now();
  try {
    const detail = await fn();
    tap(true, `${name} (${((Date.now() - t0) / 1000).toFixed(1)} s)${detail ? `: ${detail}` : ''}`);
    return true;
  } catch (e) {
    tap(false, name, e.stack || e);
    return false;
  }
}
function expect(cond, what) {
  if (!cond) throw new Error(`expected ${what}`);
}

const userDataDir = mkdtempSync(join(tmpdir(), 'wcs-e2e-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
  viewport: { width: 1280, height: 900 },
});
await context.route('**/*', (route) => (new URL(route.request().url()).hostname === '127.0.0.1' ? route.continue() : route.abort()));
context.setDefaultTimeout(20000);

let id = null;
let sent = null;
let sub = null;
try {
  const buyer = await context.newPage();
  buyer.on('dialog', (d) => d.accept());
  await step('(s) the customer logs in, SUB-1 (9.99 EUR a month) in the cart, block checkout with "Save this card" ticked, order placed, sandbox payment page', async () => {
    await buyer.goto(subs.login_url);
    await buyer.locator('#username').fill(subs.user);
    await buyer.locator('#password').fill(subs.password);
    await buyer.locator('button[name="login"]').click();
    await buyer.waitForLoadState('load');
    await buyer.goto(subs.product_url);
    await buyer.locator('button.single_add_to_cart_button').click();
    await buyer.waitForLoadState('load');
    await buyer.goto(store.checkout_url);
    await buyer.locator('#billing-first_name, .wc-block-components-address-card').first().waitFor();
    const edit = buyer.locator('.wc-block-components-address-card__edit');
    if (await edit.count()) await edit.first().click().catch(() => {});
    await buyer.locator('label:has(input[value="mypos_ipc"])').click();
    const save = buyer.locator('.mypos-ipc-save-card input[type="checkbox"]');
    await save.waitFor();
    await save.check();
    await buyer.waitForTimeout(300);
    await shot(buyer, 'checkout');
    await buyer.locator('.wc-block-components-checkout-place-order-button').click();
    await buyer.waitForURL((u) => u.href.startsWith(env.SANDBOX), { timeout: 30000 });
    await buyer.locator('#order').waitFor();
    await shot(buyer, 'payment-page');
    sent = (await buyer.locator('#order').textContent()).trim();
    const amount = (await buyer.locator('#amount').textContent()).trim();
    const parts = /^[a-z][a-z0-9]*-(\d+)-1$/.exec(sent);
    expect(parts !== null, `an attempt OrderID <prefix>-<order>-1, got ${sent}`);
    expect(amount === '9.99 EUR', `9.99 EUR on the payment page, got ${amount}`);
    id = parts[1];
    return `order ${id}, OrderID ${sent}`;
  });
  if (id) {
    await step('(s) pay with the test card -> order-received; the order is processing', async () => {
      await buyer.locator('button[value="pay"]').click();
      await buyer.waitForURL(/order-received/, { timeout: 30000 });
      await buyer.waitForLoadState('load');
      await shot(buyer, 'order-received');
      const o = order(id);
      expect(o.status === 'processing', `processing, got ${o.status}`);
      // The store's noisy payment hook (mu/noisy-payment-hook.php) threw after the payment was saved.
      expect(pluginLog().includes(`notify for order ${sent}: Error thrown while applying mark_paid`), 'the noisy hook\'s Error in the plug-in log');
      return `IPC_Trnref ${o.transaction_id}, although another plug-in's payment hook threw`;
    });
    await step('(s) the card is saved for the customer (last four, expiry; the token never shown) and the active subscription renews with it', async () => {
      const s = JSON.parse(wp('subscriptions', id));
      expect(s.attempt_card === 'save', `the attempt asked to save the card (CardTokenRequest=2), got ${s.attempt_card}`);
      expect(s.customer === subs.user_id, `the customer ${subs.user_id}, got ${s.customer}`);
      expect(s.cards.length === 1 && /^\d{4}$/.test(s.cards[0].last4) && s.cards[0].token_length > 0, `one saved card, got ${JSON.stringify(s.cards)}`);
      expect(s.subscriptions.length === 1, `one subscription, got ${JSON.stringify(s.subscriptions)}`);
      sub = s.subscriptions[0];
      expect(sub.status === 'active' && sub.payment_method === 'mypos_ipc' && !sub.requires_manual_renewal,
        `an active automatic mypos_ipc subscription, got ${JSON.stringify(sub)}`);
      expect(sub.card === s.cards[0].id, `the subscription's card is the saved one (${s.cards[0].id}), got ${sub.card}`);
      await buyer.goto(`${shop}/my-account/payment-methods/`);
      await shot(buyer, 'payment-methods');
      const text = await buyer.locator('body').innerText();
      expect(text.includes(s.cards[0].last4), `My Account lists the card ending ${s.cards[0].last4}`);
      return `subscription ${sub.id}, card ${s.cards[0].type} …${s.cards[0].last4} ${s.cards[0].expiry}`;
    });
  }
  if (sub) {
    await step('(s) the renewal runs through Action Scheduler and is paid with the saved card\'s token (IPCIAPurchaseWithToken)', async () => {
      const [renewal, status] = wp('renew', String(sub.id)).split(' ');
      expect(Number(renewal) > 0, `a renewal order, got ${renewal}`);
      expect(status === 'complete', `the scheduled action complete, got ${status}`);
      const r = order(renewal);
      const charges = (await sandboxEvents()).filter((e) => e.event === 'purchase_with_token');
      const mine = charges.filter((e) => e.order_id.includes(`-${renewal}-`));
      expect(mine.length === 1, `one token charge for renewal ${renewal}, got ${JSON.stringify(charges)}`);
      expect(r.status === 'processing' && r.transaction_id === mine[0].trnref,
        `renewal processing with IPC_Trnref ${mine[0].trnref}, got ${r.status} ${r.transaction_id}`);
      expect(mine[0].amount === '9.99', `9.99 charged, got ${mine[0].amount}`);
      const s = JSON.parse(wp('subscriptions', id)).subscriptions[0];
      expect(s.status === 'active', `the subscription still active, got ${s.status}`);
      const log = pluginLog();
      const tokens = JSON.parse(wp('card-tokens', String(subs.user_id)));
      expect(tokens.every((t) => !log.includes(t)), 'no saved card token in the plug-in log');
      return `renewal ${renewal} processing, OrderID ${mine[0].order_id}, IPC_Trnref ${mine[0].trnref}`;
    });
  }
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
  writeFileSync(env.TAP_LAST_FILE, String(tapState().count));
}
process.exitCode = tapState().failures ? 1 : 0;
