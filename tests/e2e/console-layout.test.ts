/**
 * The layout editor in the browser: tracks assigned by drag and drop and by keyboard, undo and
 * redo of one's own edits, and named versions (save, change, diff, restore).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Page } from '../support/browser-driver.ts';
import { startAppServer } from '../support/app-server.ts';
import { captureDownload, chromiumOnly, ENGINE, launchProfile } from '../support/browser-driver.ts';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { abbreviateTrackName } from '../../src/core/console/index.ts';
import { createDocument } from '../support/library-actions.ts';
import { generateSessionText, randomSessionOptions } from '../support/session-text-corpus.ts';
import { seededRandom } from '../support/signals.ts';
import {
  CONSOLE_FIXTURES,
  exportDownload,
  importConsole,
  openConsoleDocument,
  stripsShown,
} from '../support/console-actions.ts';

const shots = process.env.CONSOLE_SHOTS;
const layout = suite<{ server: Awaited<ReturnType<typeof startAppServer>>; close: () => Promise<void>; page: Page }>(
  'console layout editor',
);

const track = (page: Page, slot: number) =>
  page.locator(`.console-strip[data-slot="${slot}"] .console-strip-track`).innerText();
async function waitTrack(page: Page, slot: number, name: string): Promise<void> {
  await page
    .waitForFunction(
      ([s, n]) => document.querySelector(`.console-strip[data-slot="${s}"] .console-strip-track`)?.textContent === n,
      [slot, name] as const,
      { timeout: 5000 },
    )
    .catch(async () => assert.is(await track(page, slot), name, `strip ${slot}`));
}

/** Drags a track chip onto a strip, with the palette and the grid in view (as a person would scroll first). */
async function dragTrack(page: Page, name: string, slot: number): Promise<void> {
  await page.locator('.console-tracks').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page
    .locator(`.console-track[data-track="${name}"]`)
    .dragTo(page.locator(`.console-strip[data-slot="${slot}"]`));
}

layout.before(async (ctx) => {
  ctx.server = await startAppServer();
  const profile = await launchProfile({ viewport: { width: 1024, height: 768 }, acceptDialogs: ENGINE === 'webkit' });
  ctx.close = () => profile.close();
  ctx.page = await profile.newPage();
  await ctx.page.goto(ctx.server.url);
  await importConsole(ctx.page, [`${CONSOLE_FIXTURES}Show.layout.xml`]);
  await openConsoleDocument(ctx.page, 'Show.layout.xml');
});
layout.after(async (ctx) => {
  await ctx.close();
  await ctx.server.close();
});

layout('tracks are assigned by dragging a track onto a strip and a strip onto another', async ({ page }) => {
  await waitTrack(page, 1, 'Kick');
  await dragTrack(page, 'Lead Vox', 3);
  await waitTrack(page, 3, 'Lead Vox');
  await page.locator('.console-strip[data-slot="1"]').dragTo(page.locator('.console-strip[data-slot="5"]'));
  await waitTrack(page, 5, 'Kick');
  await waitTrack(page, 1, '—');
});

layout(
  'tracks are assigned by keyboard: arrows to a strip, Space to pick up, arrows, Space to drop; a track chosen for the selected strip',
  async ({ page }) => {
    await page.locator('.console-strip[data-slot="2"]').focus();
    await page.keyboard.press('Space');
    await page.getByRole('status').filter({ hasText: 'Moving strip 2' }).waitFor();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Space');
    await waitTrack(page, 6, 'Snare');
    await waitTrack(page, 2, '—');
    // Strip 6 is selected; ArrowLeft x4 to strip 2, then choose a track from the palette by keyboard.
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowLeft');
    assert.is(await page.evaluate(() => document.activeElement?.getAttribute('data-slot')), '2');
    await page.locator('.console-track[data-track="BV"]').focus();
    await page.keyboard.press('Enter');
    await waitTrack(page, 2, 'BV');
    if (shots) await page.screenshot({ path: `${shots}/layout-1024.png`, fullPage: true });
    await page.setViewportSize({ width: 768, height: 1024 });
    if (shots) await page.screenshot({ path: `${shots}/layout-768.png`, fullPage: true });
    await page.setViewportSize({ width: 1024, height: 768 });
  },
);

layout(
  "undo and redo take back and replay one's own edits, with buttons and Ctrl+Z / Shift+Ctrl+Z",
  async ({ page }) => {
    const before = await stripsShown(page);
    await page.locator('.console-strip[data-slot="7"]').click();
    await page.locator('.console-track[data-track="Kick"]').click();
    await waitTrack(page, 7, 'Kick');
    await waitTrack(page, 5, '—');
    await page.locator('.console-strip[data-slot="8"]').focus();
    await page.keyboard.press('Control+z');
    await waitTrack(page, 5, 'Kick');
    await waitTrack(page, 7, '—');
    assert.equal(await stripsShown(page), before);
    await page.keyboard.press('Control+Shift+z');
    await waitTrack(page, 7, 'Kick');
    await page.getByRole('button', { name: 'Undo', exact: true }).click();
    await waitTrack(page, 7, '—');
    await page.getByRole('button', { name: 'Redo', exact: true }).click();
    await waitTrack(page, 7, 'Kick');
  },
);

layout(
  'a saved version shows what changed since, and restoring it brings the strips back (undoably)',
  async ({ page }) => {
    await page.getByRole('textbox', { name: 'Version name' }).fill('Soundcheck');
    await page.getByRole('button', { name: 'Save version' }).click();
    const saved = await stripsShown(page);
    const savedFile = await exportDownload(page);
    await dragTrack(page, 'Lead Vox', 8);
    await waitTrack(page, 8, 'Lead Vox');
    const soundcheck = page.locator('.console-version[data-version="Soundcheck"]');
    await soundcheck.getByRole('button', { name: 'Compare with now' }).click();
    const diff = page.getByRole('region', { name: 'Changes' });
    await diff.waitFor();
    const text = await diff.innerText();
    // Read like a session log, not XPaths.
    assert.match(text, /Drums, strip 3: Lead Vox -> \(blank\)/);
    assert.match(text, /Drums, strip 8: \(blank\) -> Lead Vox/);
    if (shots) await page.screenshot({ path: `${shots}/versions-1024.png`, fullPage: true });
    let asked = '';
    // Restore asks first. Chromium's driver shows us the question; WebDriver accepts it unseen (acceptDialogs).
    if (ENGINE === 'chromium')
      chromiumOnly(page).once('dialog', (d) => {
        asked = d.message();
        void d.accept();
      });
    await soundcheck.getByRole('button', { name: 'Restore' }).click();
    await waitTrack(page, 8, '—');
    if (ENGINE === 'chromium')
      assert.match(asked, /Restore "Soundcheck"\? This changes:\n.*strip 3: \(blank\) -> Lead Vox/);
    assert.match(
      await page.getByRole('status', { name: 'Restore result' }).innerText(),
      /Restored "Soundcheck": 2 changes/,
    );
    // Live: the comparison follows the restore, and nothing differs any more.
    await diff.getByText('0 changes from Soundcheck to now').waitFor();
    assert.equal(await stripsShown(page), saved);
    assert.ok((await exportDownload(page)).bytes.equals(savedFile.bytes), 'the restored file is the saved one');
    await page.getByRole('button', { name: 'Undo', exact: true }).click();
    await waitTrack(page, 8, 'Lead Vox');
  },
);

layout('the bank-recall table maps bank keys to layout names', async ({ page }) => {
  await page.getByRole('combobox', { name: 'Bank key Shift+A' }).selectOption('Vocals');
  await page.getByRole('tab', { name: 'Tree & raw XML' }).click();
  await page.waitForFunction(() =>
    document.querySelector('[data-testid="raw-xml"]')?.textContent?.includes('<Recall key="Shift+A" layout="Vocals"/>'),
  );
  // The element tree by keyboard (a WAI-ARIA tree; selection follows focus).
  const ids = () =>
    page.locator('[role="treeitem"]').evaluateAll((els) => els.map((el) => el.getAttribute('data-tree-node')));
  const state = () =>
    page.evaluate(() => ({
      focused: document.activeElement?.closest('[role="treeitem"]')?.getAttribute('data-tree-node') ?? null,
      selected: document.querySelector('[role="treeitem"][aria-selected="true"]')?.getAttribute('data-tree-node'),
      expanded: document.activeElement?.closest('[role="treeitem"]')?.getAttribute('aria-expanded') ?? null,
    }));
  const at = async (id: string | null | undefined, expanded?: string) => {
    const now = await state();
    assert.equal([now.focused, now.selected], [id, id]);
    if (expanded !== undefined) assert.is(now.expanded, expanded);
  };
  const visible = await ids();
  await page.locator('[data-node-id]').first().click();
  await page.keyboard.press('End');
  await at(visible.at(-1));
  await page.keyboard.press('Home');
  await at(visible[0]);
  await page.keyboard.press('ArrowDown');
  await at(visible[1], 'true');
  await page.keyboard.press('ArrowLeft'); // an open node closes
  await at(visible[1], 'false');
  assert.ok((await ids()).length < visible.length, 'its children are hidden');
  await page.keyboard.press('ArrowLeft'); // a closed node goes to its parent
  await at(visible[0]);
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowRight'); // a closed node opens
  await at(visible[1], 'true');
  await page.keyboard.press('ArrowRight'); // an open node goes to its first child
  await at(visible[2]);
  if (shots) await page.screenshot({ path: `${shots}/tree-keyboard.png` });
  await page.getByRole('tab', { name: 'Layouts' }).click();
  assert.is(await page.getByRole('combobox', { name: 'Bank key A' }).inputValue(), 'Drums');
});

layout(
  'a new, empty console document can start a layout, and a strip warning click selects the strip',
  async ({ page }) => {
    await createDocument(page, 'Festival layout');
    await page.getByRole('button', { name: 'Start a layout' }).click();
    await page.getByRole('tab', { name: 'Layout 1' }).waitFor();
    await page.locator('.console-strip[data-slot="1"]').click();
    await page.getByRole('textbox', { name: 'New track name' }).fill('Kick');
    await page.getByRole('button', { name: 'Add track' }).click();
    await page.locator('.console-track[data-track="Kick"]').click();
    await waitTrack(page, 1, 'Kick');
    const out = await exportDownload(page);
    assert.is(out.name, 'layout.xml');
    assert.match(out.bytes.toString('utf8'), '<Strip slot="1" track="Kick"/>');
    // A hand-made duplicate strip (in the tree) is warned about; the warning selects it in the grid.
    await page.getByRole('tab', { name: 'Tree & raw XML' }).click();
    await page.locator('[data-node-id]', { hasText: '<Layout name="Layout 1"' }).click();
    await page.getByRole('textbox', { name: 'New child element name' }).fill('Strip');
    await page.getByRole('button', { name: 'Add child' }).click();
    await page.getByRole('textbox', { name: 'New attribute name' }).fill('slot');
    await page.getByRole('textbox', { name: 'New attribute value' }).fill('1');
    await page.getByRole('button', { name: 'Add attribute' }).click();
    await page.locator('.console-warning[data-rule="duplicate-strip"]').click();
    await page.locator('.console-strip[data-slot="1"][aria-pressed="true"]').waitFor();
  },
);

layout(
  'a room profile sizes the layout (S3: 16 strips, then Add strips); a 40-track session becomes layouts on bank keys in one undoable action',
  async ({ page }) => {
    // Still on the 'Festival layout' document of the test above.
    if (shots) await chromiumOnly(page).setViewportSize({ width: 1440, height: 900 });
    await page.locator('select[name="roomSurface"]').selectOption('S3');
    await page.getByRole('tab', { name: 'Layouts' }).click();
    await page.getByTestId('room-surface').filter({ hasText: 'S3, 16 strips' }).waitFor();
    assert.is((await stripsShown(page)).length, 16);
    await page.getByRole('button', { name: 'Add strips' }).click();
    assert.is((await stripsShown(page)).length, 24);

    const { bytes, expected } = generateSessionText(seededRandom(40), {
      ...randomSessionOptions(seededRandom(40)),
      tracks: 40,
      clipsPerTrack: 1,
      markers: 0,
      version: 'modern',
    });
    const dir = mkdtempSync(join(tmpdir(), 'mixdesk-session-'));
    const file = join(dir, 'Festival export.txt');
    writeFileSync(file, bytes);
    // Chromium reads a picked file when the page reads it: the file stays until the end.
    await page.getByLabel('Pro Tools session text').setInputFiles(file);
    await page.getByRole('checkbox', { name: 'Include hidden tracks' }).click();
    const shown = expected.tracks.filter((t) => !t.hidden);
    const layouts = Math.ceil(shown.length / 16);
    await page
      .getByRole('status')
      .filter({ hasText: `${shown.length} tracks on ${layouts} layouts of 16 strips` })
      .waitFor();
    if (shots) await page.screenshot({ path: `${shots}/session-to-layouts-1440.png`, fullPage: true });
    await page.getByRole('button', { name: `Create ${layouts} layouts` }).click();
    const first = `${expected.sessionName} 1-16`;
    await page.getByRole('tab', { name: first }).waitFor();
    await waitTrack(page, 1, shown[0]!.name);
    await waitTrack(page, 16, shown[15]!.name);
    assert.is((await stripsShown(page)).length, 16);
    assert.is(await page.getByRole('combobox', { name: 'Bank key A' }).inputValue(), first);
    assert.is(
      await page.getByRole('combobox', { name: `Bank key ${'ABCDEF'[layouts - 1]}` }).inputValue(),
      `${expected.sessionName} 33-${shown.length}`,
    );
    if (shots) await page.screenshot({ path: `${shots}/layout-s3-1440.png`, fullPage: true });
    // The honest exports: the page says what Export writes, and the CSV is the strips as a table.
    await page.getByText('Export writes Mixdesk layout XML').waitFor();
    const csv = await captureDownload(page, () => page.getByRole('button', { name: 'Export CSV' }).click());
    assert.is(csv.name, 'layout.csv');
    assert.ok(
      csv.bytes.toString('utf8').includes(`\r\n${first},A,1,${shown[0]!.name},\r\n`),
      'a row per strip with its bank key (uncoloured: an empty Colour)',
    );
    // Strip colours: the selected strip's colour, set by pointer and by keyboard.
    const colourOf = (slot: number) => page.locator(`.console-strip[data-slot="${slot}"]`).getAttribute('data-colour');
    const picker = page.getByRole('group', { name: /^Colour of strip/ });
    await page.locator('.console-strip[data-slot="1"]').click();
    await picker.getByRole('button', { name: 'red', exact: true }).click();
    await page.locator('.console-strip[data-slot="1"][data-colour="red"]').waitFor();
    await page.locator('.console-strip[data-slot="3"]').click();
    await picker.getByRole('button', { name: 'blue', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.locator('.console-strip[data-slot="3"][data-colour="blue"]').waitFor();
    assert.match(await picker.innerText(), /Colour of strip 3 .*: blue/);
    await picker.getByRole('button', { name: 'No colour' }).click();
    await page.locator('.console-strip[data-slot="3"]:not([data-colour])').waitFor();
    await page.getByRole('button', { name: 'Undo', exact: true }).click();
    await page.locator('.console-strip[data-slot="3"][data-colour="blue"]').waitFor();
    assert.is(
      await page.locator('.console-strip[data-slot="1"]').getAttribute('aria-label'),
      `Strip 1: ${shown[0]!.name}, red`,
    );
    if (shots) {
      await page.screenshot({ path: `${shots}/layout-colours-1440.png`, fullPage: true });
      await page.setViewportSize({ width: 768, height: 1024 });
      await page.screenshot({ path: `${shots}/layout-colours-768.png`, fullPage: true });
      await page.setViewportSize({ width: 1440, height: 900 });
    }
    const colouredCsv = (
      await captureDownload(page, () => page.getByRole('button', { name: 'Export CSV' }).click())
    ).bytes.toString('utf8');
    assert.ok(colouredCsv.startsWith('\uFEFFLayout,Bank keys,Strip,Track,Colour\r\n'), 'a Colour column');
    assert.ok(colouredCsv.includes(`\r\n${first},A,1,${shown[0]!.name},red\r\n`), 'strip 1 is red');
    assert.ok(colouredCsv.includes(`\r\n${first},A,3,${shown[2]!.name},blue\r\n`), 'strip 3 is blue');
    // A newer export of the same show: the first track renamed, the second gone, one new.
    // "Check against session…" lists them for the layout shown; "Apply changes" is one edit.
    const onLayout = shown.slice(0, 16).map((t) => t.name);
    const newerNames = [`${onLayout[0]!} v2`, ...onLayout.slice(2), 'Choir 99', ...shown.slice(16).map((t) => t.name)];
    const newer = generateSessionText(seededRandom(41), {
      ...randomSessionOptions(seededRandom(41)),
      tracks: newerNames.length,
      sessionName: expected.sessionName,
      names: newerNames,
      clipsPerTrack: 1,
      markers: 0,
      version: 'modern',
    });
    const newerFile = join(dir, 'Festival export v2.txt');
    writeFileSync(newerFile, newer.bytes);
    await page.getByLabel('Newer session text').setInputFiles(newerFile);
    const plan = page.getByRole('group', { name: 'Layout against session' });
    await plan
      .getByRole('region', { name: 'No longer in the session' })
      .getByText(`${onLayout[1]!} (strip 2)`)
      .waitFor();
    await plan
      .getByRole('region', { name: 'Renamed' })
      .getByText(`${onLayout[0]!} → ${onLayout[0]!} v2 (strip 1)`)
      .waitFor();
    await plan.getByRole('region', { name: 'New in the session' }).getByText('Choir 99', { exact: true }).waitFor();
    if (shots) await page.screenshot({ path: `${shots}/check-against-session-1440.png`, fullPage: true });
    await plan.getByRole('button', { name: 'Apply changes' }).click();
    await page.getByRole('status').filter({ hasText: 'Applied: 1 renamed, 1 to the palette' }).waitFor();
    await waitTrack(page, 1, `${onLayout[0]!} v2`);
    assert.is(await colourOf(1), 'red', 'the renamed track keeps its strip colour');
    assert.is(await colourOf(3), 'blue', 'a kept track keeps its strip colour');
    // The removed track's strip is free again and the new track took a free strip.
    const after = await stripsShown(page);
    assert.ok(
      after.some((s) => s.endsWith(':Choir 99')),
      'the new track is on a strip',
    );
    assert.not.ok(after.includes(`2:${onLayout[1]!}`), 'the removed track left its strip');
    await page.getByRole('button', { name: 'Undo', exact: true }).click();
    await waitTrack(page, 1, onLayout[0]!);

    // The strip sheet: a preview of the paper, then (Chromium) printed to PDF and read back.
    await page.getByRole('button', { name: 'Strip sheet…' }).click();
    const sheet = page.getByRole('dialog', { name: 'Strip sheet' });
    await sheet.getByLabel('Scribble strip width').fill('6');
    await sheet.getByLabel('Paper').selectOption('Letter');
    const scribbles = shown.slice(0, 16).map((t) => abbreviateTrackName(t.name, 6));
    await sheet.locator('.strip-sheet-scribble').filter({ hasText: scribbles[15]! }).waitFor();
    // A coloured strip's cell: a band of its colour with the colour's name in it.
    const redCell = sheet.locator('.strip-sheet-cell[data-colour="red"]');
    assert.is(await redCell.locator('.strip-sheet-slot').innerText(), '1');
    const band = redCell.locator('.strip-sheet-band');
    assert.equal(await band.evaluate((el) => [getComputedStyle(el).backgroundColor, getComputedStyle(el).color]), [
      'rgb(210, 60, 60)',
      'rgb(255, 255, 255)',
    ]);
    assert.match(await band.innerText(), /^red$/i);
    assert.is(await sheet.locator('.strip-sheet-cell[data-colour]').count(), 2);
    if (shots) await page.screenshot({ path: `${shots}/strip-sheet-preview-1440.png` });
    // Regression: the on-screen preview is narrower than paper, and its names ran into the
    // next cell at 768 px (the font was sized for paper); it now follows the cell.
    const overflowing = () =>
      page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('.strip-sheet-scribble, .strip-sheet-name, .strip-sheet-band')]
          .filter((el) => el.scrollWidth > el.clientWidth + 1)
          .map((el) => el.textContent),
      );
    await page.setViewportSize({ width: 768, height: 1024 });
    assert.equal(await overflowing(), [], 'nothing in the preview runs out of its cell');
    if (shots) await page.screenshot({ path: `${shots}/strip-sheet-preview-768.png` });
    await page.setViewportSize({ width: 1024, height: 768 });
    if (ENGINE === 'chromium') {
      const pw = chromiumOnly(page);
      await pw.emulateMedia({ media: 'print' });
      assert.equal(await overflowing(), [], 'nothing on the sheet is cut');
      const pdf = join(dir, 'sheet.pdf');
      writeFileSync(pdf, await pw.pdf({ preferCSSPageSize: true }));
      await pw.emulateMedia({ media: null }); // back to the default, so page.pdf prints with print CSS
      const info = execFileSync('pdfinfo', [pdf]).toString();
      assert.match(info, /Pages:\s+1\n/);
      assert.match(info, /Page size:\s+792 x 612 pts/, 'Letter, landscape');
      const text = execFileSync('pdftotext', ['-layout', pdf, '-']).toString();
      for (const s of scribbles) assert.ok(text.includes(s), `'${s}' on the printed sheet`);
      // Black-and-white printers: the colours are named on the paper too.
      assert.match(text, /\bRED\b/);
      assert.match(text, /\bBLUE\b/);
      assert.ok(text.includes(`Bank A`), 'the bank key that recalls the layout');
      if (shots) execFileSync('pdftoppm', ['-png', '-r', '60', '-singlefile', pdf, `${shots}/strip-sheet-letter`]);
    }
    // The input list: every track of the session text, in session order, hidden ones marked.
    await sheet.getByLabel('Session text for the input list').setInputFiles(file);
    const inputRows = sheet.getByRole('region', { name: 'Input list' }).locator('tbody tr');
    await inputRows.nth(expected.tracks.length - 1).waitFor();
    assert.is(await inputRows.count(), expected.tracks.length);
    const hidden = expected.tracks.findIndex((t) => t.hidden);
    if (hidden >= 0) assert.match((await inputRows.nth(hidden).textContent()) ?? '', /Hidden/);
    if (ENGINE === 'chromium') {
      const pdf = join(dir, 'sheet-and-inputs.pdf');
      writeFileSync(pdf, await chromiumOnly(page).pdf({ preferCSSPageSize: true }));
      const pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf]).toString())?.[1]);
      assert.ok(pages >= 2, `the input list starts on a page of its own (${pages} pages)`);
      const text = execFileSync('pdftotext', ['-layout', pdf, '-']).toString();
      assert.ok(text.includes(`Input list · ${expected.sessionName}`), 'the input list is printed');
      assert.ok(
        text.includes(expected.tracks.at(-1)!.name),
        `down to the last track '${expected.tracks.at(-1)!.name}': ${text.slice(-600)}`,
      );
      if (shots) execFileSync('pdftoppm', ['-png', '-r', '50', '-f', '2', '-singlefile', pdf, `${shots}/input-list`]);
    }
    await sheet.getByRole('button', { name: 'Close' }).click();
    await sheet.waitFor({ state: 'detached' });

    // Each colour was an edit of its own: one undo each.
    await page.getByRole('button', { name: 'Undo', exact: true }).click();
    await page.locator('.console-strip[data-slot="3"]:not([data-colour])').waitFor();
    await page.getByRole('button', { name: 'Undo', exact: true }).click();
    await page.locator('.console-strip[data-slot="1"]:not([data-colour])').waitFor();
    // One action, one undo: every layout it made goes at once.
    await page.getByRole('button', { name: 'Undo', exact: true }).click();
    await page.getByRole('tab', { name: first }).waitFor({ state: 'detached' });
    rmSync(dir, { recursive: true, force: true });
    assert.is(await page.getByRole('tab', { name: /\d+-\d+$/ }).count(), 0);
  },
);

layout.run();
