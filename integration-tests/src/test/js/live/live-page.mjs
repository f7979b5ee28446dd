// Drives the SkelStream live page in headless Chromium (Debian's, via playwright-core) and prints one JSON object
// with what it saw; LivePageIT judges it against the topics. Usage:
//   LIVE_URL=http://127.0.0.1:8080 SCREENSHOT=out.png EXPECT_DEVICES=4 [MIN_WITH_ACTION=2] [LOAD_SECONDS=10] \
//     node live-page.mjs
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const base = process.env.LIVE_URL;
const screenshot = process.env.SCREENSHOT;
const expectDevices = Number(process.env.EXPECT_DEVICES || '1');
const loadSeconds = Number(process.env.LOAD_SECONDS || '0');
const minWithAction = Number(process.env.MIN_WITH_ACTION || expectDevices);
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
if (!base || !screenshot) throw new Error('set LIVE_URL and SCREENSHOT');

const profile = mkdtempSync(join(tmpdir(), 'skelstream-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  headless: true,
  viewport: { width: 1500, height: 820 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const result = { errors: [] };
try {
  const page = context.pages()[0] || await context.newPage();
  page.on('pageerror', (e) => result.errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') result.errors.push(m.text()); });
  const response = await page.goto(base + '/', { waitUntil: 'load' });   // '/' redirects to /live
  result.finalUrl = page.url();
  result.status = response.status();

  // devices appear
  await page.waitForFunction((n) => document.querySelectorAll('#devices tr').length >= n, expectDevices,
    { timeout: 60000 });
  // a device is followed and its skeleton drawn
  await page.waitForFunction(() => window.__skelstreamLive.stats.frames > 3, null, { timeout: 30000 });
  // devices show actions, the followed one among them
  await page.waitForFunction((n) => [...document.querySelectorAll('#devices tr')]
    .filter((tr) => tr.cells[1].textContent !== '—').length >= n
    && document.getElementById('current-action').dataset.label, minWithAction, { timeout: 90000 });

  result.skeleton = await page.evaluate(skeletonPixels);
  // drag to rotate: the drawing must change
  const box = await page.locator('#skeleton').boundingBox();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 120, box.y + box.height / 2 + 30, { steps: 6 });
  await page.mouse.up();
  result.yawAfterDrag = await page.evaluate(() => window.__skelstreamLive.state.yaw);

  if (loadSeconds > 0) result.load = await measureResponsiveness(page, loadSeconds);

  // what the page shows now, per device: the row's text and the event behind it
  // read from the rendered rows (text and the event they were rendered from), not from the page's state, which
  // may already hold a newer event that the next animation frame will show
  result.shown = await page.evaluate(() => [...document.querySelectorAll('#devices tr')].map((tr) => {
    if (!tr.dataset.windowEnd) return { device: tr.dataset.device, label: null };
    return { device: tr.dataset.device, label: tr.cells[1].textContent,
      track: Number(tr.dataset.track), windowEnd: Number(tr.dataset.windowEnd) };
  }));
  result.current = await page.evaluate(() => {
    const c = document.getElementById('current-action');
    return { device: c.dataset.device, label: c.dataset.label, text: c.textContent,
      track: Number(c.dataset.track), windowEnd: Number(c.dataset.windowEnd) };
  });
  result.stats = await page.evaluate(() => window.__skelstreamLive.stats);
  await page.screenshot({ path: screenshot });
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(JSON.stringify(result));

// Pixels of the skeleton canvas brighter than the background grid: the bones and joints.
function skeletonPixels() {
  const c = document.getElementById('skeleton');
  const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let lit = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (Math.max(data[i], data[i + 1], data[i + 2]) > 120 && data[i + 3] > 0) lit++;
  }
  return { width: c.width, height: c.height, lit };
}

// Main-thread responsiveness while the stream runs: animation frame gaps, long tasks, and the time from a click on
// a device row to the page showing that device.
async function measureResponsiveness(page, seconds) {
  await page.evaluate(() => {
    window.__load = { gaps: [], longTasks: [] };
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__load.longTasks.push(e.duration); })
      .observe({ type: 'longtask', buffered: false });
    let last = performance.now();
    const tick = (now) => { window.__load.gaps.push(now - last); last = now; if (!window.__load.stop) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  });
  const clicks = [];
  const started = Date.now();
  let i = 0;
  while (Date.now() - started < seconds * 1000) {
    const rows = await page.locator('#devices tr').count();
    const row = page.locator('#devices tr').nth((i++ * 7) % rows);
    const device = await row.getAttribute('data-device');
    const t0 = Date.now();
    await row.click();
    await page.waitForFunction((d) => document.getElementById('selected-device').textContent === d, device);
    clicks.push(Date.now() - t0);
    await page.waitForTimeout(800);
  }
  const m = await page.evaluate(() => { window.__load.stop = true; return window.__load; });
  const gaps = m.gaps.slice(1).sort((a, b) => a - b);
  const q = (p) => gaps[Math.min(gaps.length - 1, Math.floor(p * gaps.length))];
  const stats = await page.evaluate(() => window.__skelstreamLive.stats);
  return {
    seconds, frames: gaps.length, frameGapP50: q(0.5), frameGapP95: q(0.95), frameGapMax: gaps[gaps.length - 1],
    longTasks: m.longTasks.length, longTaskMaxMs: Math.max(0, ...m.longTasks),
    clickToShowMs: clicks, messages: stats.messages,
  };
}
