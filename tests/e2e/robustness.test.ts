/** Damaged documents and a full disk: the library never breaks and nothing saved is lost. */
import * as assert from 'uvu/assert';
import type { Page } from '../support/browser-driver.ts';
import { appSuite } from '../support/app-suite.ts';
import { launchContext } from '../support/chromium.ts';
import { createDocument, gotoLibrary, listedNames } from '../support/library-actions.ts';

const robust = appSuite('robustness');

/** Adds a raw value to a document's y-indexeddb update log, creating the database if needed. */
function writeRawUpdate(page: Page, dbName: string, bytes: number[]): Promise<void> {
  return page.evaluate(
    async ({ dbName, bytes }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(dbName);
        request.onupgradeneeded = () => {
          request.result.createObjectStore('updates', { autoIncrement: true });
          request.result.createObjectStore('custom');
        };
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      await new Promise((resolve, reject) => {
        const tx = db.transaction('updates', 'readwrite');
        tx.objectStore('updates').add(new Uint8Array(bytes));
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
      });
      db.close();
    },
    { dbName, bytes },
  );
}

const GARBAGE = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01, 0x02, 0x03];

robust(
  'a document with corrupt stored content is listed as damaged with its id and never breaks the list',
  async ({ page }) => {
    const goodId = await createDocument(page, 'Good layout');
    const brokenId = await createDocument(page, 'Broken layout');
    await page.goto(new URL('/', page.url()).href);
    await writeRawUpdate(page, `mixdesk-doc-${brokenId}`, GARBAGE);
    await page.reload();
    assert.equal((await listedNames(page)).sort(), ['Broken layout', 'Good layout']);

    await page.locator('.doc-row', { hasText: 'Broken layout' }).locator('a').click();
    const problem = page.getByRole('alert').filter({ hasText: brokenId });
    await problem.waitFor();
    assert.match((await problem.textContent()) ?? '', /corrupt/);
    await gotoLibrary(page);
    const row = page.locator(`.doc-row[data-id="${brokenId}"]`);
    await row.locator('.damaged-note').waitFor();
    assert.match((await row.locator('.damaged-note').textContent()) ?? '', new RegExp(`Damaged: .*id ${brokenId}`));

    await page.locator('.doc-row', { hasText: 'Good layout' }).locator('a').click();
    await page.getByRole('heading', { level: 1, name: 'Good layout' }).waitFor();
    assert.ok(goodId);
  },
);

robust(
  'stored data the index does not know is found at start-up; unreadable data is listed as damaged',
  async ({ page }) => {
    await writeRawUpdate(page, 'mixdesk-doc-orphan0000000000', GARBAGE);
    await page.reload();
    await gotoLibrary(page);
    const row = page.locator('.doc-row[data-id="orphan0000000000"]');
    await row.waitFor();
    assert.match((await row.textContent()) ?? '', /Damaged document orphan0000000000/);
    await row
      .getByRole('button', { name: 'Remove' })
      .click()
      .catch(() => undefined);
  },
);

robust('a full disk shows a clear message and loses nothing saved before it', async ({ server }) => {
  // Chromium reads an origin's quota when it opens its storage, so the small quota is set
  // before the first visit, in a context of its own.
  const { context, close } = await launchContext();
  try {
    // Sync off: with it on, the relay keeps the edit the disk had no room for (and gives it
    // back on reload), which is right but not what this test is about.
    await context.addInitScript(() => localStorage.setItem('mixdesk.syncEnabled', 'off'));
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: server.url, quotaSize: 3_000_000 });
    await page.goto(server.url);
    await createDocument(page, 'Also here');
    await createDocument(page, 'Quota test');
    const notes = page.getByRole('textbox', { name: 'Notes', exact: true });
    await notes.fill('saved before the disk filled');
    await notes.press('Tab');
    await page.waitForTimeout(600);

    // Random text: the browser compresses what it stores, so a repeated character would fit.
    const big = Array.from({ length: 4_000_000 }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join(
      '',
    );
    await notes.fill(`written on a full disk ${big}`);
    await notes.press('Tab');
    const alert = page.getByRole('alert').filter({ hasText: 'no room left' });
    await alert.waitFor({ timeout: 10_000 });
    assert.match((await alert.textContent()) ?? '', /Everything saved before it is safe/);

    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Quota test' }).waitFor();
    assert.is(await notes.inputValue(), 'saved before the disk filled');
    await gotoLibrary(page);
    assert.equal((await listedNames(page)).sort(), ['Also here', 'Quota test']);
  } finally {
    await close();
  }
});

robust.run();
