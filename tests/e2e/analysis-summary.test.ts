/**
 * The result page leads with the answer: the summary strip and the verdict on the first
 * screen at 1440x900 and 768x1024; diagnostics and plots seek the audition; the latest result
 * survives navigation and reload (figures only); JSON, CSV and a one-page printed report.
 * Real Chromium, production build, real server. Screenshots go to /work/wt/rules-shots/.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdirSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { chromiumOnly } from '../support/browser-driver.ts';
import {
  gotoAnalyze,
  figureText,
  pickFile,
  startAnalyzeSession,
  type AnalyzeSession,
} from '../support/analysis-page.ts';
import { gotoLibrary } from '../support/library-actions.ts';
import { mixLike } from '../support/signals.ts';
import { writeWav } from '../support/wav-writer.ts';

const SHOTS = process.env.MIXDESK_SHOTS ?? '/work/wt/rules-shots';
mkdirSync(SHOTS, { recursive: true });
const SECONDS = 12;
/** A hard-clipped master: mix-like programme driven far into full scale. */
const clippedBytes = writeWav(
  mixLike(48000, SECONDS, 5).map((c) => c.map((v) => Math.max(-1, Math.min(1, v * 30)))),
  { sampleRate: 48000, format: 'pcm24' },
);

const page1440 = suite<AnalyzeSession>('analysis summary 1440x900');
page1440.before(async (ctx) => {
  Object.assign(ctx, await startAnalyzeSession({ viewport: { width: 1440, height: 900 } }));
  await pickFile(ctx.page, { name: 'clipped-master.wav', bytes: clippedBytes });
  await figureText(ctx.page, 'loudness.integrated');
});
page1440.after(async (ctx) => {
  await ctx.close();
});

async function assertOnFirstScreen(page: Page, height: number): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0));
  const strip = await page.locator('.summary-strip').boundingBox();
  const verdict = await page.locator('[data-verdict]').boundingBox();
  assert.ok(
    strip && strip.y >= 0 && strip.y + strip.height <= height,
    `summary strip ${JSON.stringify(strip)} within the first ${height} px`,
  );
  assert.ok(verdict && verdict.y + verdict.height <= height, 'verdict on the first screen');
  for (const id of ['integrated', 'true-peak', 'lra', 'momentary-max', 'short-term-max', 'plr'])
    assert.ok(await page.locator(`[data-summary="${id}"]`).isVisible(), id);
}

page1440(
  'summary first: six figures, target, verdict and score on the first screen, then the diagnostics; clipping is an error',
  async ({ page: seamPage }) => {
    // PDF printing, print media and download events: Chromium's driver (this suite is Chromium only).
    const page = chromiumOnly(seamPage);
    await assertOnFirstScreen(page, 900);
    assert.is(await page.locator('[data-verdict]').getAttribute('data-verdict'), 'fail');
    assert.match((await page.locator('[data-summary="true-peak"]').textContent()) ?? '', /dBTP/);
    const clipping = page.locator('[data-diagnostic="clipping"]');
    assert.is(await clipping.getAttribute('data-severity'), 'error');
    assert.match((await clipping.textContent()) ?? '', /clipping runs/);
    const score = Number(await page.locator('[data-score]').getAttribute('data-score'));
    assert.ok(score >= 0 && score <= 70, `score ${score} with an error`);
    // The loudness plot draws the integrated and target lines; no time label is cut off.
    assert.ok((await page.locator('.plot .guide').count()) >= 2);
    await page.screenshot({ path: `${SHOTS}/summary-1440x900.png` });
    await page.screenshot({ path: `${SHOTS}/full-1440.png`, fullPage: true });
  },
);

page1440(
  'a diagnostic time plays from there; clicking the loudness plot seeks; Space pauses; the playhead follows',
  async ({ page: seamPage }) => {
    // PDF printing, print media and download events: Chromium's driver (this suite is Chromium only).
    const page = chromiumOnly(seamPage);
    const first = page.locator('[data-diagnostic="clipping"] [data-seek]').nth(1);
    const t = Number(await first.getAttribute('data-seek'));
    await first.click();
    const live = page.locator('.live-meter');
    await page.waitForFunction(
      () => document.querySelector('.live-meter')?.getAttribute('data-playing') === 'yes',
      null,
      { timeout: 15_000 },
    );
    const started = Number(await live.getAttribute('data-time'));
    assert.ok(started >= t - 0.05 && started < t + 3, `playing from ${started} s after clicking ${t} s`);
    await page.locator('.plot .playhead').first().waitFor({ state: 'attached' });
    // Click the middle of the loudness plot: playback jumps to about half the duration.
    const svg = page.locator('.plot svg').first();
    const box = (await svg.boundingBox())!;
    const L = 44 / 640,
      R = 8 / 640;
    await svg.click({ position: { x: box.width * (L + 0.5 * (1 - L - R)), y: box.height / 2 } });
    await page.waitForFunction(
      (half) => Math.abs(Number(document.querySelector('.live-meter')?.getAttribute('data-time')) - half) < 1.5,
      SECONDS / 2,
      { timeout: 10_000 },
    );
    await page.waitForFunction(
      () => Number(document.querySelector('.live-meter')?.getAttribute('data-readings')) > 5,
      null,
      { timeout: 10_000 },
    );
    await page.screenshot({ path: `${SHOTS}/playing-1440.png` });
    await page.locator('body').click({ position: { x: 5, y: 300 } });
    await page.keyboard.press('Space');
    await page.waitForFunction(
      () => document.querySelector('.live-meter')?.getAttribute('data-playing') === 'no',
      null,
      { timeout: 5000 },
    );
    const paused = Number(await live.getAttribute('data-time'));
    await page.keyboard.press('ArrowLeft');
    await page.waitForFunction(
      (p) => Number(document.querySelector('.live-meter')?.getAttribute('data-time')) < p - 4,
      paused,
      { timeout: 5000 },
    );
  },
);

page1440(
  'Export JSON carries score, verdict, diagnostics and the result; Export CSV has the summary and the 10 Hz series',
  async ({ page: seamPage }) => {
    // PDF printing, print media and download events: Chromium's driver (this suite is Chromium only).
    const page = chromiumOnly(seamPage);
    const [jsonDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export JSON' }).click(),
    ]);
    assert.is(jsonDownload.suggestedFilename(), 'clipped-master.analysis.json');
    const json = JSON.parse(await readFile((await jsonDownload.path())!, 'utf8')) as {
      score: number;
      verdict: string;
      target: { id: string };
      diagnostics: { id: string; severity: string; at: number[] }[];
      result: { schema: string };
    };
    assert.is(json.verdict, 'fail');
    assert.type(json.score, 'number');
    assert.is(json.target.id, 'spotify');
    assert.is(json.result.schema, 'mixdesk.analysis/1');
    assert.ok(json.diagnostics.some((d) => d.id === 'clipping' && d.severity === 'error' && d.at.length > 0));
    const [csvDownload] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const csv = await readFile((await csvDownload.path())!, 'utf8');
    writeFileSync(`${SHOTS}/export-sample.csv`, csv.split('\r\n').slice(0, 40).join('\n'));
    const lines = csv.split('\r\n');
    assert.is(lines[0], 'quantity,value,unit,definition');
    assert.ok(
      lines.some((l) => l.startsWith('loudness.integrated,-')),
      'integrated loudness row',
    );
    assert.ok(
      lines.some((l) => l.startsWith('diagnostic.clipping,error')),
      'diagnostic rows',
    );
    const header = lines.indexOf('time_s,momentary_lufs,short_term_lufs,correlation');
    assert.ok(header > 0, 'series section');
    assert.is(lines.slice(header + 1).filter((l) => l.length > 0).length, SECONDS * 10, '10 Hz series');
  },
);

page1440(
  'the printed report is one A4 page with the summary and diagnostics, no navigation or buttons',
  async ({ page: seamPage }) => {
    // PDF printing, print media and download events: Chromium's driver (this suite is Chromium only).
    const page = chromiumOnly(seamPage);
    await page.emulateMedia({ media: 'print' });
    assert.ok(!(await page.locator('.topbar').isVisible()), 'navigation hidden in print');
    assert.ok(!(await page.getByRole('button', { name: 'Export JSON' }).isVisible()), 'buttons hidden in print');
    assert.ok(await page.locator('.summary-strip').isVisible());
    await page.screenshot({ path: `${SHOTS}/print-media-1440.png`, fullPage: true });
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    writeFileSync(`${SHOTS}/report.pdf`, pdf);
    const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) ?? []).length;
    await page.emulateMedia({ media: 'screen' });
    assert.is(pages, 1, `${pages} pages`);
  },
);

page1440(
  'the latest result survives the library and a reload (figures only), with its target',
  async ({ page: seamPage }) => {
    // PDF printing, print media and download events: Chromium's driver (this suite is Chromium only).
    const page = chromiumOnly(seamPage);
    const integrated = await figureText(page, 'loudness.integrated');
    await page.getByRole('combobox', { name: 'Target' }).selectOption('apple');
    await gotoLibrary(page);
    await gotoAnalyze(page);
    assert.is(await figureText(page, 'loudness.integrated', 5000), integrated);
    assert.is(await page.getByRole('combobox', { name: 'Target' }).inputValue(), 'apple');
    assert.ok(await page.locator('[data-kept-result]').isVisible(), 'says the audio is not kept');
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Analyze' }).waitFor();
    assert.is(await figureText(page, 'loudness.integrated', 5000), integrated);
    assert.is(await page.getByRole('combobox', { name: 'Target' }).inputValue(), 'apple');
    assert.match((await page.locator('[data-check="loudness"]').textContent()) ?? '', /Apple Music will play this/);
    // A new analysis replaces it.
    await pickFile(page, {
      name: 'second.wav',
      bytes: writeWav(mixLike(48000, 4, 9), { sampleRate: 48000, format: 'pcm24' }),
    });
    await page.getByText('second.wav · PCM').waitFor();
    await page.reload();
    await page.getByText('second.wav · PCM').waitFor({ timeout: 5000 });
  },
);

page1440.run();

const tablet = suite<AnalyzeSession>('analysis summary 768x1024');
tablet.before(async (ctx) => {
  Object.assign(ctx, await startAnalyzeSession({ viewport: { width: 768, height: 1024 } }));
});
tablet.after(async (ctx) => {
  await ctx.close();
});

tablet('on a 768x1024 tablet the summary and verdict are on the first screen', async ({ page: seamPage }) => {
  // PDF printing, print media and download events: Chromium's driver (this suite is Chromium only).
  const page = chromiumOnly(seamPage);
  await pickFile(page, { name: 'clipped-master.wav', bytes: clippedBytes });
  await figureText(page, 'loudness.integrated');
  await assertOnFirstScreen(page, 1024);
  await page.screenshot({ path: `${SHOTS}/summary-768x1024.png` });
  await page.screenshot({ path: `${SHOTS}/full-768.png`, fullPage: true });
});

tablet.run();
