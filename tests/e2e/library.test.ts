/** Library end to end in a real Chromium against the production build and the real server. */
import * as assert from 'uvu/assert';
import { appSuite } from '../support/app-suite.ts';
import { ENGINE } from '../support/browser-driver.ts';
import { createDocument, editField, gotoLibrary, listedNames } from '../support/library-actions.ts';

const library = appSuite('library', { acceptDialogs: true });

library('a created document is still there after a reload, with its metadata', async ({ page }) => {
  await createDocument(page, 'Stage A soft keys');
  await editField(page, 'Notes', 'Tuesday show, Pro Tools 2024');
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Stage A soft keys' }).waitFor();
  assert.is(
    await page.getByRole('textbox', { name: 'Notes', exact: true }).inputValue(),
    'Tuesday show, Pro Tools 2024',
  );
  await gotoLibrary(page);
  assert.equal(await listedNames(page), ['Stage A soft keys']);
});

library(
  'an empty name and a name over 200 characters are refused with a message, and nothing is created',
  async ({ page }) => {
    await gotoLibrary(page);
    await page.getByRole('button', { name: 'New document' }).click();
    const form = page.getByRole('form', { name: 'New document' });
    await form.getByRole('button', { name: 'Create' }).click();
    assert.match((await form.getByRole('alert').textContent()) ?? '', /cannot be empty/);
    await form.getByRole('textbox', { name: 'Name' }).fill('x'.repeat(201));
    await form.getByRole('button', { name: 'Create' }).click();
    assert.match((await form.getByRole('alert').textContent()) ?? '', /at most 200 characters/);
    await form.getByRole('button', { name: 'Cancel' }).click();
    assert.equal(await listedNames(page), ['Stage A soft keys']);
  },
);

library('rename, tag and room profile show in the list; search finds by name, tag and notes', async ({ page }) => {
  await createDocument(page, 'Mix v3', 'analysis-report');
  await editField(page, 'Name', 'Mix v3 final');
  await page.getByPlaceholder('Add a tag, press Enter').fill('spotify');
  await page.keyboard.press('Enter');
  await editField(page, 'Room profile', 'Studio 2');
  await gotoLibrary(page);
  assert.equal(await listedNames(page), ['Mix v3 final', 'Stage A soft keys']);
  const search = page.getByRole('searchbox', { name: 'Search' });
  await search.fill('spotify');
  assert.equal(await listedNames(page), ['Mix v3 final']);
  await search.fill('tuesday');
  assert.equal(await listedNames(page), ['Stage A soft keys']);
  await search.fill('nothing like this');
  assert.equal(await listedNames(page), []);
  await search.fill('');
  await page.getByRole('combobox', { name: 'Filter by kind' }).selectOption('analysis-report');
  assert.equal(await listedNames(page), ['Mix v3 final']);
  await page.getByRole('combobox', { name: 'Filter by kind' }).selectOption('all');
  await page.getByRole('combobox', { name: 'Filter by room' }).selectOption('Studio 2');
  assert.equal(await listedNames(page), ['Mix v3 final']);
  await page.getByRole('combobox', { name: 'Filter by room' }).selectOption('all');
  await page.getByRole('combobox', { name: 'Sort by' }).selectOption('name');
  await page.getByRole('button', { name: /sort ascending/ }).click();
  assert.equal(await listedNames(page), ['Mix v3 final', 'Stage A soft keys']);
});

library('duplicate makes an independent copy', async ({ page }) => {
  await gotoLibrary(page);
  await page.locator('.doc-row', { hasText: 'Stage A soft keys' }).getByRole('button', { name: 'Duplicate' }).click();
  await page.locator('.doc-row', { hasText: 'Stage A soft keys (copy)' }).waitFor();
  await page.locator('.doc-row', { hasText: 'Stage A soft keys (copy)' }).locator('a').click();
  assert.is(
    await page.getByRole('textbox', { name: 'Notes', exact: true }).inputValue(),
    'Tuesday show, Pro Tools 2024',
  );
  await editField(page, 'Notes', 'changed in the copy');
  await gotoLibrary(page);
  await page
    .locator('.doc-row', { hasText: /^Stage A soft keysConsole/ })
    .locator('a')
    .click();
  assert.is(
    await page.getByRole('textbox', { name: 'Notes', exact: true }).inputValue(),
    'Tuesday show, Pro Tools 2024',
  );
});

library('move to Trash, restore, and empty the Trash', async ({ page }) => {
  await gotoLibrary(page);
  await page.locator('.doc-row', { hasText: 'Mix v3 final' }).getByRole('button', { name: 'Move to Trash' }).click();
  await page.locator('.doc-row', { hasText: 'Mix v3 final' }).waitFor({ state: 'detached' });
  await gotoLibrary(page, 'Trash');
  assert.equal(await listedNames(page), ['Mix v3 final']);
  await page.getByRole('button', { name: 'Restore' }).click();
  await page.locator('.doc-row').waitFor({ state: 'detached' });
  await gotoLibrary(page);
  assert.ok((await listedNames(page)).includes('Mix v3 final'));
  await page
    .locator('.doc-row', { hasText: 'Stage A soft keys (copy)' })
    .getByRole('button', { name: 'Move to Trash' })
    .click();
  await gotoLibrary(page, 'Trash');
  await page.getByRole('button', { name: 'Empty Trash' }).click();
  await page.getByText('The Trash is empty.').waitFor();
  await page.reload();
  await gotoLibrary(page);
  assert.equal((await listedNames(page)).sort(), ['Mix v3 final', 'Stage A soft keys']);
  const databases = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
  assert.is(databases.filter((n) => n?.startsWith('mixdesk-doc-')).length, 2, "the emptied document's data is deleted");
});

library('documents in Trash for more than 30 days are purged at start-up; younger ones stay', async ({ page }) => {
  await createDocument(page, 'Expired');
  const expiredId = new URL(page.url()).pathname.split('/').pop()!;
  await page.getByRole('button', { name: 'Move to Trash' }).click();
  await createDocument(page, 'Recent');
  await page.getByRole('button', { name: 'Move to Trash' }).click();
  await page.waitForTimeout(300);
  // Age the Trash entry as if 31 days had passed, straight in the index.
  await page.evaluate(async (id) => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('mixdesk-library');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const store = db.transaction('documents', 'readwrite').objectStore('documents');
    const row = await new Promise<Record<string, unknown>>((resolve) => {
      const r = store.get(id);
      r.onsuccess = () => resolve(r.result);
    });
    await new Promise((resolve) => {
      const r = store.put({ ...row, deletedAt: Date.now() - 31 * 86_400_000 });
      r.onsuccess = resolve;
    });
    db.close();
  }, expiredId);
  await page.reload();
  await gotoLibrary(page, 'Trash');
  await page.waitForFunction(() => document.querySelectorAll('.doc-row').length === 1);
  assert.equal(await listedNames(page), ['Recent']);
  const databases = await page.evaluate(async () => (await indexedDB.databases()).map((d) => d.name));
  assert.not.ok(databases.includes(`mixdesk-doc-${expiredId}`));
});

library('Settings shows the storage used and available and whether it is protected from eviction', async ({ page }) => {
  await page.getByRole('link', { name: 'Settings', exact: true }).click();
  const used = page.getByTestId('storage-used');
  await used.waitFor();
  if (ENGINE === 'webkit') {
    // WebKitGTK has no navigator.storage (StorageManager): the page says it cannot tell.
    assert.is(await used.textContent(), 'unknown');
    assert.match(
      (await page.getByTestId('storage-unreported').textContent()) ?? '',
      /does not tell web apps how much storage/,
    );
    return;
  }
  assert.match((await used.textContent()) ?? '', /^\d+(\.\d)? (B|KB|MB|GB)$/);
  assert.match((await page.getByTestId('storage-available').textContent()) ?? '', /^\d+(\.\d)? (B|KB|MB|GB|TB)$/);
  assert.match((await page.getByTestId('storage-persisted').textContent()) ?? '', /^(Yes|No)$/);
});

library.run();
