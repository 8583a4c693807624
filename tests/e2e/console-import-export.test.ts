/**
 * Console files in the browser: import, edit a soft key, export byte-for-byte; a folder with a
 * bad file; a Pro Tools session text becoming a layout. Real Chromium, real app server.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import type { Page } from '../support/browser-driver.ts';
import { forgiveInjectedBlobWorkers, startAppServer } from '../support/app-server.ts';
import { launchProfile } from '../support/browser-driver.ts';
import { can, captureDownload, chromiumOnly } from '../support/browser-driver.ts';
import {
  CONSOLE_FIXTURES,
  exportDownload,
  eventually,
  importConsole,
  openConsoleDocument,
  stripsShown,
} from '../support/console-actions.ts';
import { listedNames } from '../support/library-actions.ts';
import { withFailureEvidence } from '../support/app-suite.ts';

const shots = process.env.CONSOLE_SHOTS;
const console3 = withFailureEvidence(
  suite<{ server: Awaited<ReturnType<typeof startAppServer>>; close: () => Promise<void>; page: Page }>(
    'console import and export',
  ),
  'console import and export',
);

console3.before(async (ctx) => {
  ctx.server = await startAppServer();
  const profile = await launchProfile({ viewport: { width: 1024, height: 768 } });
  ctx.close = () => profile.close();
  ctx.page = await profile.newPage();
  await ctx.page.goto(ctx.server.url);
});
console3.after(async (ctx) => {
  await ctx.close();
  await ctx.server.close();
});

console3(
  'an imported App Set exports byte-identical, and a label edit changes only the label bytes',
  async ({ page }) => {
    const file = `${CONSOLE_FIXTURES}Pro Tools.xml`;
    const original = readFileSync(file);
    const report = await importConsole(page, [file]);
    assert.match(report, '1 imported');
    await openConsoleDocument(page, 'Pro Tools.xml');
    const unchanged = await exportDownload(page);
    assert.is(unchanged.name, 'Pro Tools.xml');
    assert.ok(unchanged.bytes.equals(original), 'unedited export is byte-identical');

    await page.getByRole('button', { name: 'Key 2: Undo' }).click();
    const label = page.getByRole('textbox', { name: 'Key label' });
    await label.fill('Redo it');
    await label.press('Enter');
    await page.getByRole('button', { name: 'Key 2: Redo it' }).waitFor();
    if (shots) await page.screenshot({ path: `${shots}/softkeys-1024.png`, fullPage: true });
    const edited = await exportDownload(page);
    const expected = Buffer.from(original.toString('utf8').replace('LABEL="Undo"', 'LABEL="Redo it"'), 'utf8');
    assert.ok(edited.bytes.equals(expected), `only the label changed:\n${edited.bytes.toString('utf8')}`);
  },
);

console3('finding a key by label selects it, and a macro step can be added, moved and removed', async ({ page }) => {
  await page.getByRole('searchbox', { name: 'Find a key by label' }).fill('bou');
  await page.getByRole('list', { name: 'Keys found' }).getByRole('button', { name: 'Bounce' }).click();
  await page.getByRole('textbox', { name: 'Step 3 command' }).waitFor();
  await page.getByRole('textbox', { name: 'New step command' }).fill('File:Close');
  await page.getByRole('button', { name: 'Add step' }).click();
  await page.getByRole('textbox', { name: 'Step 4 command' }).waitFor();
  assert.is(await page.getByRole('textbox', { name: 'Step 4 command' }).inputValue(), 'File:Close');
  await page.getByRole('button', { name: 'Move step 4 up' }).click();
  await page.waitForFunction(
    () =>
      (document.querySelector('input[aria-label="Step 3 command"]') as HTMLInputElement | null)?.value === 'File:Close',
  );
  await page.getByRole('button', { name: 'Remove step 3' }).click();
  await page.waitForFunction(
    () =>
      (document.querySelector('input[aria-label="Step 3 command"]') as HTMLInputElement | null)?.value === 'Key:Return',
  );
  assert.is(await page.locator('.console-step').count(), 3);
  // Undo three times brings back the original macro.
  for (let i = 0; i < 3; i++) await page.getByRole('button', { name: 'Undo', exact: true }).click();
  await page.waitForFunction(
    () =>
      document.querySelectorAll('.console-step').length === 3 &&
      (document.querySelector('input[aria-label="Step 3 command"]') as HTMLInputElement | null)?.value === 'Key:Return',
  );
  // Reordering by drag (a step's handle onto another step) and by keyboard (↑/↓ on the handle).
  const commands = () =>
    page.locator('.console-step input').evaluateAll((els) => els.map((el) => (el as HTMLInputElement).value));
  const original = await commands();
  await page.getByRole('button', { name: 'Reorder step 1' }).dragTo(page.locator('.console-step').nth(2));
  await eventually(
    commands,
    (now) => now.join() === [original[1], original[2], original[0]].join(),
    'step 1 dragged onto step 3',
  );
  if (shots) await page.screenshot({ path: `${shots}/macro-steps-reordered.png`, fullPage: true });
  await page.getByRole('button', { name: 'Reorder step 3' }).focus();
  await page.keyboard.press('ArrowUp');
  await eventually(commands, (now) => now.join() === [original[1], original[0], original[2]].join(), 'step 3 moved up');
  // The keyboard stays on the moved step's handle: a second ↑ moves it again.
  await page.keyboard.press('ArrowUp');
  await eventually(commands, (now) => now.join() === original.join(), 'the same step moved up again');
});

console3('a bank is copied whole, next to the original', async ({ page }) => {
  const banks = page.locator('.console-bank');
  const before = await banks.count();
  await banks.nth(1).getByRole('button', { name: 'Copy bank' }).click();
  await page.waitForFunction((n) => document.querySelectorAll('.console-bank').length === n + 1, before);
  assert.is(await banks.nth(2).getByRole('button', { name: 'Key 1: Play' }).count(), 1, 'the copy holds the same keys');
});

console3(
  'a folder imports file by file; a malformed file is reported with file, line and column and the others import',
  async ({ page }) => {
    if (!can.pickFolders) {
      console.log('  skipped in WebKit: WebDriver cannot pick a folder there (see docs/browsers.md)');
      return;
    }
    const report = await importConsole(page, [`${CONSOLE_FIXTURES}UserSet`], 'folder');
    assert.match(report, '3 imported, 1 not imported');
    assert.match(report, /UserSet\/Broken\.xml:\d+:\d+: /);
    if (shots) await page.screenshot({ path: `${shots}/import-report-1024.png` });
    const names = await listedNames(page);
    assert.ok(names.includes('Media Composer.xml') && names.includes('Preferences.xml'), names.join(', '));
    assert.not.ok(names.includes('Broken.xml'));
  },
);

console3(
  'a binary file and a billion-laughs file are refused with a message each, the good file still imports',
  async ({ page }) => {
    const dir = mkdtempSync(join(tmpdir(), 'console-bad-'));
    const png = new Uint8Array(4096);
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    writeFileSync(join(dir, 'photo.xml'), png);
    writeFileSync(join(dir, 'huge.xml'), '');
    truncateSync(join(dir, 'huge.xml'), 51 * 1024 * 1024);
    const started = Date.now();
    const report = await importConsole(page, [
      join(dir, 'photo.xml'),
      `${CONSOLE_FIXTURES}bad/Laughs.xml`,
      join(dir, 'huge.xml'),
      `${CONSOLE_FIXTURES}Show.layout.xml`,
    ]);
    assert.ok(Date.now() - started < 10_000, 'refused quickly');
    assert.match(report, '1 imported, 3 not imported');
    assert.match(report, 'huge.xml: file is 51.0 MB; the limit is 50 MB');
    assert.match(report, /photo\.xml: .*(PNG|binary|image)/i);
    assert.match(report, /Laughs\.xml(:\d+:\d+)?: .*entit/i);
  },
);

console3(
  'Cancel stops an import between files: what was imported stays whole, the rest is listed as not imported',
  async ({ page }) => {
    if (!can.pickFolders) {
      console.log('  skipped in WebKit: WebDriver cannot pick a folder there (see docs/browsers.md)');
      return;
    }
    const dir = join(mkdtempSync(join(tmpdir(), 'console-many-')), 'Many');
    mkdirSync(dir);
    const text = readFileSync(`${CONSOLE_FIXTURES}UserSet/Pro Tools.xml`);
    for (let i = 0; i < 60; i++) writeFileSync(join(dir, `Set ${String(i).padStart(2, '0')}.xml`), text);
    const close = page.getByRole('status', { name: 'Import' }).getByRole('button', { name: 'Close' });
    if (await close.isVisible()) await close.click();
    const before = (await listedNames(page)).length;
    await page.locator('input[data-import="folder"]').setInputFiles(dir);
    const status = page.getByRole('status', { name: 'Import' });
    await status.getByRole('button', { name: 'Cancel' }).click();
    await status.locator('.console-import-summary').waitFor();
    const report = await status.innerText();
    const imported = Number(/(\d+) imported/.exec(report)?.[1]);
    assert.match(report, 'not imported (cancelled)');
    assert.ok(imported < 60, report.slice(0, 200));
    assert.is((report.match(/not imported \(cancelled\)/g) ?? []).length, 60 - imported, 'every file is accounted for');
    await page.waitForFunction((n) => document.querySelectorAll('.doc-row').length === n, before + imported);
  },
);

console3('"Export all console files" gives a .zip keeping folder structure and file names', async ({ page }) => {
  if (!can.pickFolders) {
    console.log('  skipped in WebKit: WebDriver cannot pick a folder there (see docs/browsers.md)');
    return;
  }
  await page.getByRole('status', { name: 'Import' }).getByRole('button', { name: 'Close' }).click();
  const download = await captureDownload(page, () =>
    page.getByRole('button', { name: 'Export all console files' }).click(),
  );
  assert.is(download.name, 'Mixdesk console files.zip');
  const files = unzipSync(new Uint8Array(download.bytes));
  const names = Object.keys(files).sort();
  assert.ok(
    names.includes('UserSet/Pro Tools.xml') &&
      names.includes('UserSet/Media Composer.xml') &&
      names.includes('UserSet/Preferences.xml'),
    names.join(', '),
  );
  assert.ok(names.includes('Pro Tools.xml'), names.join(', '));
  assert.ok(
    Buffer.from(files['UserSet/Media Composer.xml']!).equals(
      readFileSync(`${CONSOLE_FIXTURES}UserSet/Media Composer.xml`),
    ),
    'ISO-8859-1 file exported byte-identical',
  );
});

// Regression (WebKit): a dropped file not on disk has an entry whose file() fails; it did not import.
console3('files dropped on the library import like picked ones', async ({ page }) => {
  const close = page.getByRole('status', { name: 'Import' }).getByRole('button', { name: 'Close' });
  if (await close.isVisible()) await close.click();
  const text = readFileSync(`${CONSOLE_FIXTURES}Warnings.xml`, 'utf8');
  await page.evaluate((xml) => {
    const data = new DataTransfer();
    data.items.add(new File([xml], 'Warnings.xml', { type: 'text/xml' }));
    const target = document.querySelector('.page')!;
    target.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
    target.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  }, text);
  const status = page.getByRole('status', { name: 'Import' });
  await status.locator('.console-import-summary').waitFor();
  assert.match(await status.innerText(), '1 imported');
});

console3(
  'validation warnings point at the element, a click selects it, and export is not blocked',
  async ({ page }) => {
    await openConsoleDocument(page, 'Warnings.xml');
    const warnings = page.getByRole('region', { name: 'Warnings' });
    await warnings.getByText('2 warnings').waitFor();
    const colour = warnings.locator('.console-warning[data-rule="unknown-colour"]');
    assert.match(await colour.innerText(), /Key\[1\] \(line 5, column 7\): unknown colour value 'blurple'/);
    await colour.click();
    assert.is(await page.getByRole('textbox', { name: 'Key colour' }).inputValue(), 'blurple');
    await warnings.locator('.console-warning[data-rule="empty-label"]').click();
    assert.is(await page.getByRole('textbox', { name: 'Key command' }).inputValue(), 'Mix:Solo');
    const out = await exportDownload(page);
    assert.ok(out.bytes.equals(readFileSync(`${CONSOLE_FIXTURES}Warnings.xml`)));
  },
);

console3('a generic XML file opens in the tree editor beside its raw XML', async ({ page }) => {
  if (!can.pickFolders) {
    console.log('  skipped in WebKit: Preferences.xml comes from the folder import (see docs/browsers.md)');
    return;
  }
  await openConsoleDocument(page, 'Preferences.xml');
  await page.locator('[data-node-id]', { hasText: '<Knob id="2"' }).click();
  await page.getByRole('textbox', { name: 'Attribute map' }).fill('Width');
  await page.getByRole('textbox', { name: 'Attribute map' }).press('Enter');
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="raw-xml"]')?.textContent?.includes('<Knob id="2" map="Width"/>'),
  );
  await page.getByRole('button', { name: 'Move up' }).click();
  await page.waitForFunction(() =>
    /<Knob id="2" map="Width"\/>\s*<Knob id="1"/.test(
      document.querySelector('[data-testid="raw-xml"]')?.textContent ?? '',
    ),
  );
  if (shots) await page.screenshot({ path: `${shots}/tree-1024.png`, fullPage: true });

  // The raw view is editable: an error is shown at its line and column and nothing is applied;
  // the fixed text applies as one edit that changes only its bytes; one Ctrl+Z undoes it.
  const before = (await exportDownload(page)).bytes.toString('utf8');
  const raw = page.getByRole('textbox', { name: 'Raw XML text' });
  const shown = await raw.inputValue();
  await raw.fill(shown.replace('<Knob id="1" map="Gain"/>', '<Knob id="1" map="Gain>'));
  await raw.press('Control+Enter');
  const problem = page.getByRole('alert');
  await problem.waitFor();
  assert.match(await problem.innerText(), /^Line 4, column 20: .*Nothing was applied\./);
  assert.is(await page.locator('.console-raw-line-error').innerText(), '  <Knob id="1" map="Gain>');
  assert.is(await raw.evaluate((t: HTMLTextAreaElement) => t.selectionStart), shown.indexOf('"Gain"'));
  assert.is((await exportDownload(page)).bytes.toString('utf8'), before, 'nothing applied while there is an error');
  await raw.fill(shown.replace('<Knob id="1" map="Gain"/>', '<Knob id="1" map="Trim"/>'));
  await page.getByRole('button', { name: 'Apply', exact: true }).click();
  await page.getByText('Applied: 1 attribute.').waitFor();
  assert.is(await problem.count(), 0);
  if (shots) {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.screenshot({ path: `${shots}/raw-xml-applied-1440.png`, fullPage: true });
    await page.setViewportSize({ width: 1024, height: 768 });
  }
  const applied = (await exportDownload(page)).bytes.toString('utf8');
  assert.is(applied, before.replace('map="Gain"', 'map="Trim"'), 'only the edited value changed');
  await raw.press('Control+z');
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="raw-xml"]')?.textContent?.includes('<Knob id="1" map="Gain"/>'),
  );
  assert.is((await exportDownload(page)).bytes.toString('utf8'), before, 'one Ctrl+Z undoes the apply');
});

console3('a Pro Tools session text becomes a layout with the session tracks on strips in order', async ({ page }) => {
  const report = await importConsole(page, [
    new URL('../fixtures/protools-session-text/OneOfEverything_PT2020.3.txt', import.meta.url).pathname,
    // A Pro Tools 7 layout (CR breaks, Mac OS Roman, REGIONS, no start timecode): refused before issue 15.
    new URL('../fixtures/protools-session-text/Written_PT7_Regions_CR_FeetFrames_MacRoman.txt', import.meta.url)
      .pathname,
  ]);
  assert.match(report, '2 imported');
  // Named after the SESSION NAME inside the file, not the file name.
  await openConsoleDocument(page, 'SessionText_OneOfEverything');
  const first = await page.locator('.console-strip[data-slot="1"] .console-strip-track').innerText();
  assert.not.equal(first, '—', 'strip 1 holds the first track');
  assert.is((await exportDownload(page)).name, 'SessionText_OneOfEverything layout.xml');
  await openConsoleDocument(page, 'Café Reel 3');
  const strips = await stripsShown(page);
  assert.equal(strips.slice(0, 4), ['1:Dialog 1', '2:Dialog 2', '3:Música', '4:—']);
  // Sized to the session (8 strips listed), shown at the editor's default of 32 with no room profile: not 256.
  assert.is(strips.length, 32);
});

console3(
  "Regression: when the XML worker's module dies with a ReferenceError, import and export run on the main thread",
  async ({ page, server }) => {
    if (!can.initScripts) {
      console.log('  skipped in WebKit: no init scripts over WebDriver (see docs/browsers.md)');
      return;
    }
    const deadWorker = await chromiumOnly(page).context().newPage();
    // Real workers whose module throws while loading: the error event's message never says "worker".
    await deadWorker.addInitScript(() => {
      const Real = Worker;
      (globalThis as { Worker: unknown }).Worker = class extends Real {
        constructor() {
          super(URL.createObjectURL(new Blob(['undefinedThing();'], { type: 'text/javascript' })), { type: 'module' });
        }
      };
    });
    await deadWorker.goto(page.url());
    const file = `${CONSOLE_FIXTURES}Warnings.xml`;
    const report = await importConsole(deadWorker, [file]);
    assert.match(report, '1 imported');
    await openConsoleDocument(deadWorker, 'Warnings.xml');
    const exported = await exportDownload(deadWorker);
    assert.ok(exported.bytes.equals(readFileSync(file)), 'the export is byte-identical');
    // The injected blob: worker is refused by the CSP (worker-src 'self'): the policy working, not the app.
    forgiveInjectedBlobWorkers(server.cspViolations);
    await deadWorker.close();
  },
);

console3.run();
