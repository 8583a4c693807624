/** What a user does with console files in the browser, as steps the console e2e tests share. */
import { captureDownload, type Page } from './browser-driver.ts';
import { gotoLibrary } from './library-actions.ts';

export const CONSOLE_FIXTURES = new URL('../fixtures/console/', import.meta.url).pathname;

/** Picks files (or one folder) in the library's import and waits for the import report. */
export async function importConsole(page: Page, paths: string[], how: 'files' | 'folder' = 'files'): Promise<string> {
  await gotoLibrary(page);
  await page.locator(`input[data-import="${how}"]`).setInputFiles(paths);
  const status = page.getByRole('status', { name: 'Import' });
  await status.locator('.console-import-summary').waitFor({ timeout: 20_000 });
  return status.innerText();
}

/** Opens a document from the library by its listed name and waits for the console editor. */
export async function openConsoleDocument(page: Page, name: string): Promise<void> {
  await gotoLibrary(page);
  const close = page.getByRole('status', { name: 'Import' }).getByRole('button', { name: 'Close' });
  if (await close.isVisible()) await close.click();
  await page.locator('.doc-row .doc-main', { hasText: name }).first().click();
  await page.waitForURL(/\/doc\/[a-z0-9]+$/);
  await page.getByRole('region', { name: 'Editor' }).locator('.console-toolbar').waitFor();
}

/** Clicks Export and returns the downloaded file's name and bytes. */
export async function exportDownload(page: Page): Promise<{ name: string; bytes: Buffer }> {
  return captureDownload(page, () => page.getByRole('button', { name: 'Export', exact: true }).click());
}

/** The track shown on each listed strip of the open layout, as "slot:track". */
export async function stripsShown(page: Page): Promise<string[]> {
  return page
    .locator('.console-strip')
    .evaluateAll((els) =>
      els.map((e) => `${e.getAttribute('data-slot')}:${e.querySelector('.console-strip-track')?.textContent ?? ''}`),
    );
}

export async function eventually<T>(
  read: () => Promise<T>,
  check: (v: T) => boolean,
  what: string,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!check(last) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 150));
    last = await read();
  }
  if (!check(last)) throw new Error(`${what}: last value ${JSON.stringify(last)}`);
  return last;
}
