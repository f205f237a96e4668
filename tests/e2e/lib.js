// Shared by the browser suites: launches Debian's chromium as docs/architecture.md ("Tests") says, keeps every
// request on 127.0.0.1, watches for page errors and 5xx answers, takes numbered screenshots and
// prints TAP. Plain CommonJS, no build step.
'use strict';

const fs = require('fs');
const os = require('os');
const path = require('path');
const { chromium } = require('playwright-core');

const ROOT = path.resolve(__dirname, '../..');
const TARGET = process.env.CARGO_TARGET_DIR || path.join(ROOT, 'target');
const SHOTS = path.join(TARGET, 'e2e');
const TIMEOUT = 15000; // every single wait, in ms
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run'];

// TAP_START: a suite that printed lines before this process (tests/wc-e2e/run.sh) goes on from there.
let count = Number(process.env.TAP_START || 0);
let failures = 0;

/** One TAP line; `detail` lines become diagnostics. */
function tap(ok, name, detail) {
  count += 1;
  if (!ok) failures += 1;
  console.log(`${ok ? 'ok' : 'not ok'} ${count} - ${name}`);
  for (const line of String(detail || '').split('\n').filter(Boolean)) console.log(`#   ${line}`);
}

/** Runs one step: a TAP line named by what `fn` returns (or `name`), "not ok" if it throws. */
async function step(name, fn) {
  try {
    const said = await fn();
    tap(true, said ? `${name}: ${said}` : name);
    return true;
  } catch (e) {
    const where = e && e.stack ? e.stack.split('\n').find((l) => l.includes('tests/e2e/')) : '';
    tap(false, name, `${e && e.message ? e.message : e}\n${where || ''}`);
    return false;
  }
}

function check(cond, message) {
  if (!cond) throw new Error(message);
}

/**
 * The browser: `ignoreDefaultArgs: true` so chromium gets exactly the §10 flags (plus the pipe
 * playwright talks over) and a fresh user-data-dir, removed by close().
 */
async function launch() {
  fs.mkdirSync(SHOTS, { recursive: true });
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-chromium-'));
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    ignoreDefaultArgs: true,
    args: [...FLAGS, `--user-data-dir=${profile}`, '--remote-debugging-pipe'],
    timeout: 30000,
  });
  const context = await browser.newContext({ viewport: { width: 1000, height: 700 } });
  const watch = { aborted: [], leaked: [], problems: [] };
  // Anything not on 127.0.0.1 is aborted and remembered (with the body it would have sent).
  await context.route('**/*', (route) => {
    const request = route.request();
    if (new URL(request.url()).hostname === '127.0.0.1') return route.continue();
    watch.aborted.push({ url: request.url(), method: request.method(), body: request.postData() });
    return route.abort('blockedbyclient');
  });
  context.on('requestfinished', (request) => {
    if (new URL(request.url()).hostname !== '127.0.0.1') watch.leaked.push(request.url());
  });
  context.on('requestfailed', (request) => {
    const local = new URL(request.url()).hostname === '127.0.0.1';
    // ERR_ABORTED: a request cut short by the next navigation (auto-submitting forms).
    if (local && request.failure().errorText !== 'net::ERR_ABORTED') {
      watch.problems.push(`failed: ${request.method()} ${request.url()}: ${request.failure().errorText}`);
    }
  });
  context.on('response', (response) => {
    if (response.status() >= 500) watch.problems.push(`HTTP ${response.status()} from ${response.url()}`);
  });
  const page = await context.newPage();
  page.setDefaultTimeout(TIMEOUT);
  page.setDefaultNavigationTimeout(TIMEOUT);
  page.on('pageerror', (e) => watch.problems.push(`page error on ${page.url()}: ${e.message}`));
  // Pages that submit themselves are shown again from their HTML with JavaScript off, to screenshot.
  const still = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 1000, height: 400 } });
  await still.route('**/*', (route) => route.abort('blockedbyclient'));
  const stillPage = await still.newPage();
  stillPage.setDefaultTimeout(TIMEOUT);

  // Numbering goes on after the screenshots already there (make test-e2e empties the folder).
  let shot = fs.readdirSync(SHOTS).filter((f) => /^\d+-.*\.png$/.test(f)).length;
  const screenshot = async (name, which = page) => {
    shot += 1;
    const file = path.join(SHOTS, `${String(shot).padStart(2, '0')}-${name}.png`);
    await which.screenshot({ path: file, fullPage: true });
    return file;
  };
  const screenshotHtml = async (name, html) => {
    await stillPage.setContent(html, { waitUntil: 'domcontentloaded' });
    return screenshot(name, stillPage);
  };
  const close = async () => {
    await browser.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { browser, context, page, watch, screenshot, screenshotHtml, close };
}

/**
 * The HTML of the next answer to `url` in `page`, fetched through the route so it is still there
 * after a self-submitting page has navigated on; also the body the browser posted.
 */
function capture(page, url) {
  return new Promise((resolve, reject) => {
    page.route(url, async (route) => {
      try {
        const response = await route.fetch({ timeout: TIMEOUT });
        const html = await response.text();
        await route.fulfill({ response, body: html });
        resolve({ html, posted: route.request().postData() });
      } catch (e) {
        reject(e);
      }
    }, { times: 1 }).catch(reject);
  });
}

/** The first form of an HTML page: its action and its fields in order (hidden inputs). */
function parseForm(html) {
  const action = /<form[^>]*action="([^"]*)"/i.exec(html);
  const decode = (s) => s.replace(/&quot;/g, '"').replace(/&#0?39;/g, "'").replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  const fields = [];
  for (const m of html.matchAll(/<input[^>]*name="([^"]*)"[^>]*value="([^"]*)"[^>]*>/gi)) {
    fields.push([decode(m[1]), decode(m[2])]);
  }
  return { action: action ? decode(action[1]) : null, fields: new Map(fields), order: fields.map((f) => f[0]) };
}

/** Ends the run: the plan, and exit 1 on any failure. */
function finish() {
  console.log(`1..${count}`);
  process.exitCode = failures === 0 && count > 0 ? 0 : 1;
}

/** Stops a run that hangs anyway: fails it and kills the browser. */
function watchdog(ms, closeFn) {
  const timer = setTimeout(async () => {
    tap(false, `suite finished within ${ms / 1000} s`);
    await closeFn().catch(() => {});
    finish();
    process.exit(1);
  }, ms);
  timer.unref();
  return timer;
}

/** Lines printed so far (the last TAP number) and how many failed. */
function tapState() {
  return { count, failures };
}

module.exports = { ROOT, TARGET, SHOTS, TIMEOUT, FLAGS, tap, tapState, step, check, launch, capture, parseForm, finish, watchdog };
