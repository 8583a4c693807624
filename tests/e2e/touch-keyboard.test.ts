/** iPad and keyboard use: finger-sized targets at both orientations, keyboard-only creation, visible focus. */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { Page } from '../support/browser-driver.ts';
import { startAppServer } from '../support/app-server.ts';
import { launchProfile } from '../support/browser-driver.ts';
import { createDocument, gotoLibrary } from '../support/library-actions.ts';

const IPAD_UA =
  'Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';

/** Every visible interactive element smaller than 44 x 44 CSS px, described for the failure message. */
function smallTargets(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const small: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>(
      'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])',
    )) {
      // A control inside a label is hit through the whole label.
      const box = (el.tagName === 'INPUT' && el.closest('label') ? el.closest('label')! : el).getBoundingClientRect();
      const style = getComputedStyle(el);
      if (
        box.width === 0 ||
        box.height === 0 ||
        style.visibility === 'hidden' ||
        el.closest('.skip-link') ||
        el.classList.contains('skip-link')
      )
        continue;
      if (box.width < 44 || box.height < 44)
        small.push(
          `${el.tagName.toLowerCase()} "${(el.textContent || el.getAttribute('aria-label') || el.getAttribute('name') || '').trim().slice(0, 30)}" ${Math.round(box.width)}x${Math.round(box.height)}`,
        );
    }
    return small;
  });
}

for (const viewport of [
  { width: 1024, height: 768 },
  { width: 768, height: 1024 },
]) {
  test(`on an iPad at ${viewport.width}x${viewport.height} every touch target is at least 44 px and nothing overflows sideways`, async () => {
    const server = await startAppServer();
    const profile = await launchProfile({ viewport, hasTouch: true, userAgent: IPAD_UA });
    try {
      const page = await profile.newPage();
      await page.goto(server.url);
      await page.getByTestId('install-hint').waitFor();
      await createDocument(page, 'Touch layout');
      await page.getByPlaceholder('Add a tag, press Enter').fill('stage');
      await page.keyboard.press('Enter');
      assert.equal(await smallTargets(page), [], 'document page');
      await gotoLibrary(page);
      await page.locator('.doc-row').first().waitFor();
      assert.equal(await smallTargets(page), [], 'library');
      await page.getByRole('button', { name: 'New document' }).tap();
      assert.equal(await smallTargets(page), [], 'library with the new-document form');
      assert.ok(
        await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth),
        'no horizontal scrolling',
      );
      await page.screenshot({ path: `test-results/ipad-${viewport.width}x${viewport.height}.png` });
    } finally {
      await profile.close();
      await server.close();
    }
  });
}

test('keyboard only: create a document with Tab and Enter, and focus is always visible', async () => {
  const server = await startAppServer();
  const profile = await launchProfile();
  try {
    const page = await profile.newPage();
    await page.goto(server.url);
    await page.getByRole('heading', { level: 1, name: 'Library' }).waitFor();
    let reached = false;
    for (let i = 0; i < 15 && !reached; i++) {
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement;
        const style = getComputedStyle(el);
        return {
          text: el.textContent?.trim() ?? '',
          outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2,
        };
      });
      assert.ok(focused.outline, `focus on "${focused.text}" is visible`);
      reached = focused.text === 'New document';
    }
    assert.ok(reached, 'New document is reachable by Tab');
    await page.keyboard.press('Enter');
    await page.keyboard.type('Keyboard made');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Keyboard made' }).waitFor();
  } finally {
    await profile.close();
    await server.close();
  }
});

test.run();
