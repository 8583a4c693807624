/** Installability and airplane mode, against the production build's real service worker. */
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { appSuite } from '../support/app-suite.ts';
import { can } from '../support/browser-driver.ts';
import {
  createDocument,
  editField,
  gotoLibrary,
  listedNames,
  waitForServiceWorker,
} from '../support/library-actions.ts';

const pwa = appSuite('pwa');
const dist = process.env.MIXDESK_DIST
  ? `${process.env.MIXDESK_DIST}/`
  : fileURLToPath(new URL('../../dist/', import.meta.url));

function pngSize(bytes: Buffer): [number, number] {
  assert.equal([...bytes.subarray(1, 4)], [0x50, 0x4e, 0x47], 'a PNG');
  return [bytes.readUInt32BE(16), bytes.readUInt32BE(20)];
}

pwa(
  'the web manifest is linked and complete: names, icons 192/512/maskable, standalone, colours, start_url, scope',
  async ({ page, server }) => {
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    assert.ok(href, 'manifest linked');
    const response = await fetch(new URL(href!, server.url));
    assert.is(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /manifest\+json/);
    const manifest = (await response.json()) as Record<string, unknown> & {
      icons: Array<{ src: string; sizes: string; purpose?: string }>;
    };
    assert.is(manifest.name, 'Mixdesk');
    assert.is(manifest.short_name, 'Mixdesk');
    assert.is(manifest.display, 'standalone');
    assert.is(manifest.start_url, '/');
    assert.is(manifest.scope, '/');
    assert.match(String(manifest.theme_color), /^#[0-9a-f]{6}$/i);
    assert.match(String(manifest.background_color), /^#[0-9a-f]{6}$/i);
    for (const [size, purpose] of [
      ['192x192', 'any'],
      ['512x512', 'any'],
      ['512x512', 'maskable'],
    ] as const) {
      const icon = manifest.icons.find((i) => i.sizes === size && (i.purpose ?? 'any').split(' ').includes(purpose));
      assert.ok(icon, `icon ${size} ${purpose}`);
      const bytes = Buffer.from(await (await fetch(new URL(icon!.src, server.url))).arrayBuffer());
      assert.equal(pngSize(bytes).join('x'), size);
    }
  },
);

// Regression: the "ready to work offline" banner arrived above the page a few seconds after the
// first visit and pushed everything down by its height. A click aimed at Create landed on empty
// space in a loaded WebKit run, and the document was never made (library suite, CI).
pwa('a message that arrives or leaves does not move the page under the pointer', async ({ page }) => {
  const newDocument = page.getByRole('button', { name: 'New document' });
  const top = () => newDocument.evaluate((el) => el.getBoundingClientRect().top);
  const ready = page.getByTestId('offline-ready');
  await ready.waitFor({ timeout: 20_000 });
  const withMessage = await top();
  await ready.getByRole('button', { name: 'OK' }).click();
  await ready.waitFor({ state: 'detached' });
  assert.is(await top(), withMessage);
});

pwa(
  'a service worker controls the page and precaches the shell, every script chunk and every .wasm file',
  async ({ page }) => {
    await waitForServiceWorker(page);
    const sw = readFileSync(`${dist}sw.js`, 'utf8');
    const assets = readdirSync(`${dist}assets`).filter((f) => /\.(js|wasm|css)$/.test(f));
    assert.ok(assets.length > 0);
    for (const asset of assets) assert.ok(sw.includes(`assets/${asset}`), `${asset} is precached`);
    assert.ok(sw.includes('"index.html"'), 'index.html is precached');
    const cached = await page.evaluate(async () => {
      const names = await caches.keys();
      const urls: string[] = [];
      for (const name of names)
        for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
      return urls;
    });
    for (const asset of assets)
      assert.ok(
        cached.some((u) => u === `/assets/${asset}`),
        `${asset} is in the cache`,
      );
  },
);

pwa(
  'airplane mode: with the network off the app loads, lists, creates and edits, across reloads',
  async ({ page, context }) => {
    await waitForServiceWorker(page);
    await createDocument(page, 'Made online');
    await context.setOffline(true);
    try {
      await page.reload();
      if (can.emulateOffline) await page.getByTestId('online-status').filter({ hasText: 'Offline' }).waitFor();
      // WebKit: the network is cut at a proxy and navigator.onLine stays true; the page above came from the cache, and the network really is gone.
      else
        assert.is(
          await page.evaluate(() =>
            fetch(`/not-cached-${Date.now()}`).then(
              () => 'reached',
              () => 'failed',
            ),
          ),
          'failed',
        );
      await gotoLibrary(page);
      assert.equal(await listedNames(page), ['Made online']);
      const id = await createDocument(page, 'Made on the plane');
      await editField(page, 'Notes', 'edited with no network');
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Made on the plane' }).waitFor();
      assert.is(await page.getByRole('textbox', { name: 'Notes', exact: true }).inputValue(), 'edited with no network');
      // A deep link to a client route is answered by the service worker's navigation fallback.
      await page.goto(new URL(`/doc/${id}`, page.url()).href);
      await page.getByRole('heading', { level: 1, name: 'Made on the plane' }).waitFor();
      await gotoLibrary(page);
      assert.equal((await listedNames(page)).sort(), ['Made on the plane', 'Made online']);
    } finally {
      await context.setOffline(false);
    }
  },
);

pwa.run();
