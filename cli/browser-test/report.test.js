// The report.html that forestock-plan writes, in a real headless Chromium (Debian's /usr/bin/chromium
// driven by playwright-core): it renders (orders table, SVG charts on a date axis, failures section),
// a header click sorts the rows, the text box and the class select filter them, and the page logs no
// console error, throws no page error and asks for nothing over the network. `make test-report`.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { pathToFileURL } = require('node:url');
const { chromium } = require('playwright-core');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
// Without these flags Chromium waits on the network (component updates, sync, QUIC) on a closed
// machine; the user-data-dir is a fresh folder per run (launchPersistentContext's argument).
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The forestock-plan binary: $FORESTOCK_PLAN, else the release build in the workspace's target dir. */
function planBinary() {
  if (process.env.FORESTOCK_PLAN) return process.env.FORESTOCK_PLAN;
  const target = path.resolve(__dirname, '..', '..', 'target');
  const candidates = fs
    .readdirSync(target)
    .map((dir) => path.join(target, dir, 'release', 'forestock-plan'))
    .concat([path.join(target, 'release', 'forestock-plan')]);
  const found = candidates.find((p) => fs.existsSync(p));
  assert.ok(found, `forestock-plan not built under ${target} (cargo build --release -p forestock-cli)`);
  return found;
}

let scratch;
let context;
let demoReport;
let csvReport;

/** Run the job; returns the output folder. */
function plan(name, args) {
  const out = path.join(scratch, name);
  execFileSync(planBinary(), [...args, '--quiet', '--out', out], { stdio: ['ignore', 'ignore', 'inherit'] });
  return out;
}

before(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'forestock-report-'));
  demoReport = path.join(plan('demo', ['--skus', '120', '--weeks', '60', '--currency', 'EUR']), 'report.html');
  // Weekly dated rows for six SKUs, one of which has a row the loader rejects (a failure to list).
  const monday = Date.UTC(2026, 0, 5);
  let demand = 'sku,period,demand\n';
  let items = 'sku,unit_cost,lead_time,on_hand\n';
  for (let s = 0; s < 6; s += 1) {
    for (let t = 0; t < 40; t += 1) {
      const day = new Date(monday + t * 7 * 86400e3).toISOString().slice(0, 10);
      demand += `S${s},${day},${20 + ((s * 7 + t * 13) % 11)}\n`;
    }
    items += `S${s},${4 + s},2,${10 * s}\n`;
  }
  demand += 'S5,2026-13-01,3\n';
  fs.writeFileSync(path.join(scratch, 'demand.csv'), demand);
  fs.writeFileSync(path.join(scratch, 'items.csv'), items);
  const csvArgs = ['--demand', path.join(scratch, 'demand.csv'), '--items', path.join(scratch, 'items.csv')];
  csvReport = path.join(plan('csv', [...csvArgs, '--season-length', '1']), 'report.html');
  context = await chromium.launchPersistentContext(path.join(scratch, 'profile'), {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
});

after(async () => {
  if (context) await context.close();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

/** Open a report in a new page, collecting console errors, page errors and network requests. */
async function open(file) {
  const page = await context.newPage();
  const problems = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console ${msg.type()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('request', (req) => {
    if (!req.url().startsWith('file:') && !req.url().startsWith('data:')) problems.push(`request: ${req.url()}`);
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, problems };
}

/** The `data-sort` values of one column of the visible rows. */
function column(page, index) {
  return page.$$eval(
    '#orders tbody tr:not([hidden])',
    (rows, i) => rows.map((r) => parseFloat(r.cells[i].dataset.sort)),
    index,
  );
}

test('the demo report renders, sorts and filters without errors', { timeout: 30000 }, async () => {
  const { page, problems } = await open(demoReport);
  const rows = await page.$$('#orders tbody tr');
  assert.ok(rows.length >= 10, `orders table rows: ${rows.length}`);
  assert.equal(await page.textContent('#shown'), String(rows.length));
  const headers = await page.$$eval('#orders thead th', (ths) => ths.map((th) => th.textContent));
  assert.deepEqual(headers, [
    'SKU', 'class', 'priority', 'order qty', 'order value', 'on hand', 'reorder point', 'safety stock', 'lead time',
    'reason',
  ]);
  // Currency and thousands separators in the value column; a reason on every row.
  const values = await page.$$eval('#orders tbody tr', (trs) => trs.map((tr) => tr.cells[4].textContent));
  assert.ok(values.every((v) => /^-?EUR [0-9]{1,3}(,[0-9]{3})*\.[0-9]{2}$/.test(v)), values.slice(0, 5).join(' | '));
  const reasons = await page.$$eval('#orders tbody tr', (trs) => trs.map((tr) => tr.cells[9].textContent));
  assert.ok(reasons.every((r) => /^(order [0-9,.]+: position |no order: )/.test(r)), reasons[0]);

  // Charts: inline SVG with a date axis, the interval band and the reorder point.
  const charts = await page.$$('svg.sku-chart');
  assert.ok(charts.length >= 1 && charts.length <= 8, `charts: ${charts.length}`);
  const ticks = await page.$$eval('svg.sku-chart:first-of-type text.tick', (ts) => ts.map((t) => t.textContent));
  assert.ok(ticks.length >= 4 && ticks.every((t) => /^\d{4}-\d{2}-\d{2}$/.test(t)), ticks.join(' '));
  assert.ok(await page.$('svg.sku-chart polygon.interval'));
  assert.ok(await page.$('svg.sku-chart line.reorder-point'));
  const box = await charts[0].boundingBox();
  assert.ok(box && box.width > 300 && box.height > 200, JSON.stringify(box));
  assert.match(await page.textContent('#failures h2'), /^Failures \(0\)$/);

  // Click "order value": the rows change to ascending value; again: descending.
  const before = await column(page, 4);
  await page.click('#orders thead th:nth-child(5)');
  const ascending = await column(page, 4);
  assert.notDeepEqual(ascending, before, 'the click reorders the rows');
  assert.deepEqual(ascending, [...before].sort((a, b) => a - b));
  assert.equal(await page.getAttribute('#orders thead th:nth-child(5)', 'aria-sort'), 'ascending');
  await page.click('#orders thead th:nth-child(5)');
  assert.deepEqual(await column(page, 4), [...before].sort((a, b) => b - a));
  // Text columns sort too.
  await page.click('#orders thead th:nth-child(1)');
  const skus = await page.$$eval('#orders tbody tr', (trs) => trs.map((tr) => tr.cells[0].textContent));
  assert.deepEqual(skus, [...skus].sort((a, b) => a.localeCompare(b)));

  // Filter by text: one SKU; then by class.
  const sku = skus[Math.floor(skus.length / 2)];
  await page.fill('#filter', sku);
  const matching = await page.$$eval('#orders tbody tr:not([hidden])', (trs) => trs.map((tr) => tr.cells[0].textContent));
  assert.deepEqual(matching, [sku]);
  assert.equal(await page.textContent('#shown'), '1');
  await page.fill('#filter', '');
  await page.selectOption('#class-filter', 'A');
  const classes = await page.$$eval('#orders tbody tr:not([hidden])', (trs) => trs.map((tr) => tr.cells[1].textContent));
  assert.ok(classes.length > 0 && classes.length < rows.length, `${classes.length} of ${rows.length}`);
  assert.ok(classes.every((c) => c === 'A'));
  assert.equal(await page.textContent('#shown'), String(classes.length));

  assert.deepEqual(problems, []);
  await page.close();
});

test('a CSV run lists its failed SKU with the code and message', { timeout: 30000 }, async () => {
  const { page, problems } = await open(csvReport);
  assert.match(await page.textContent('#failures h2'), /^Failures \(1\)$/);
  const failure = await page.$$eval('#failures tbody tr', (trs) =>
    trs.map((tr) => Array.from(tr.cells).map((c) => c.textContent)),
  );
  assert.equal(failure.length, 1);
  assert.deepEqual(failure[0].slice(0, 2), ['S5', 'ERR_INVALID_ROW']);
  assert.match(failure[0][2], /^row 241: `period` = "2026-13-01"/);
  // Dated rows put the charts on the file's own dates (weekly from 2026-01-05; 40 weeks).
  const ticks = await page.$$eval('svg.sku-chart:first-of-type text.tick', (ts) => ts.map((t) => t.textContent));
  assert.ok(ticks.includes('2026-10-05'), ticks.join(' '));
  assert.deepEqual(problems, []);
  await page.close();
});
