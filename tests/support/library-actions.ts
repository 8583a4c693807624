/** What a user does in the library, as steps the browser tests share. */
import type { Page } from './browser-driver.ts';

/** Waits until the service worker controls the page, so later loads can come from its cache. */
export async function waitForServiceWorker(page: Page): Promise<void> {
  await page
    .waitForFunction(
      () => navigator.serviceWorker?.controller !== null && navigator.serviceWorker?.controller !== undefined,
      null,
      { timeout: 20_000 },
    )
    .catch(async () => {
      // The first visit is not controlled until clients.claim() or a reload; a reload settles it.
      await page.reload();
      await page.waitForFunction(() => !!navigator.serviceWorker?.controller, null, { timeout: 20_000 });
    });
}

export async function createDocument(
  page: Page,
  name: string,
  kind: 'console-config' | 'analysis-report' = 'console-config',
): Promise<string> {
  await page.getByRole('link', { name: 'Library', exact: true }).click();
  await page.getByRole('button', { name: 'New document' }).click();
  const form = page.getByRole('form', { name: 'New document' });
  await form.getByRole('textbox', { name: 'Name' }).fill(name);
  await form.getByLabel('Kind').selectOption(kind);
  await form.getByRole('button', { name: 'Create' }).click();
  await page.waitForURL(/\/doc\/[a-z0-9]+$/);
  await page.getByRole('heading', { level: 1, name }).waitFor();
  return new URL(page.url()).pathname.split('/').pop()!;
}

/** The names in the list as shown, in order. */
export async function listedNames(page: Page): Promise<string[]> {
  await page.locator('.count').waitFor();
  return page.locator('.doc-row .doc-name').allTextContents();
}

export async function gotoLibrary(page: Page, view: 'Library' | 'Trash' = 'Library'): Promise<void> {
  await page.getByRole('link', { name: view, exact: true }).click();
  await page.getByRole('heading', { level: 1, name: view }).waitFor();
}

/** Edits a metadata field on the open document page and waits for the change to reach the index. */
export async function editField(page: Page, label: 'Notes' | 'Room profile' | 'Name', value: string): Promise<void> {
  const field = page.getByRole('textbox', { name: label, exact: true });
  await field.fill(value);
  await field.press('Tab');
  await page.waitForTimeout(700);
}
