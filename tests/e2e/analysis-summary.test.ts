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
import type { Locator, Page } from 'playwright-core';
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

/** The plot area's left and right margins as shares of the plot's width (44 and 8 viewBox units). */
async function plotArea(svg: Locator): Promise<{ L: number; R: number }> {
  const width = Number((await svg.getAttribute('viewBox'))!.split(' ')[2]);
  return { L: 44 / width, R: 8 / width };
}

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
  'plots read: units on the axes, no time label cut, values under the pointer, clipping marked over the whole waveform, a goniometer',
  async ({ page: seamPage }) => {
    const page = chromiumOnly(seamPage);
    const plot = (title: string) => page.locator('figure.plot', { hasText: title });
    const loudness = plot('Loudness over time'),
      waveform = plot('Waveform (peaks)');
    assert.match((await loudness.locator('figcaption').textContent()) ?? '', /\(LUFS\)/);
    assert.match((await waveform.locator('figcaption').textContent()) ?? '', /\(dBFS\)/);
    assert.match((await plot('Average spectrum').locator('svg').textContent()) ?? '', /1k.*10k/);
    // Every time plot's last time label lies inside its plot.
    for (const title of ['Loudness over time', 'Waveform (peaks)', 'Correlation over time']) {
      const box = (await plot(title).locator('svg').boundingBox())!;
      const label = (await plot(title).locator('text.x-tick').last().boundingBox())!;
      assert.ok(
        label.x >= box.x && label.x + label.width <= box.x + box.width + 0.5,
        `${title}: last time label inside`,
      );
    }
    // The values under the pointer.
    await loudness.scrollIntoViewIfNeeded();
    const svg = (await loudness.locator('svg').boundingBox())!;
    await page.mouse.move(svg.x + svg.width * 0.6, svg.y + svg.height / 2);
    assert.match(
      (await loudness.locator('.readout').textContent()) ?? '',
      /^\d+(\.\d)? s: momentary -?\d+\.\d, short-term -?\d+\.\d LUFS$/,
    );
    const wave = (await waveform.locator('svg').boundingBox())!;
    await page.mouse.move(wave.x + wave.width * 0.6, wave.y + wave.height / 2);
    assert.match((await waveform.locator('.readout').textContent()) ?? '', /peak -?\d+\.\d dBFS/);
    // Clipping is marked over the whole file, not only where the first listed runs are.
    const clipTimes = await waveform
      .locator('.event-mark.clip-mark')
      .evaluateAll((marks) => marks.map((m) => Number(m.getAttribute('data-at'))));
    assert.ok(clipTimes.length > 20, `${clipTimes.length} clipping marks`);
    assert.ok(Math.max(...clipTimes) > SECONDS * 0.8, `clipping marked up to ${Math.max(...clipTimes)} s`);
    assert.ok((await waveform.locator('.event-mark.over-mark').count()) > 0, 'overs marked');
    // The goniometer has drawn its density.
    const inked = await page.locator('.goniometer canvas').evaluate(
      (c: HTMLCanvasElement) =>
        c
          .getContext('2d')!
          .getImageData(0, 0, c.width, c.height)
          .data.filter((_, i) => i % 4 === 3 && _ > 0).length,
    );
    assert.ok(inked > 1000, `${inked} goniometer pixels drawn`);
    await page.mouse.move(0, 0);
    await page.locator('.plots').screenshot({ path: `${SHOTS}/plots-1440.png` });
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
    const { L, R } = await plotArea(svg);
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
  'dragging across the waveform loops that region on every time plot; Esc ends the loop; Space still pauses',
  async ({ page: seamPage }) => {
    const page = chromiumOnly(seamPage);
    const waveform = page.locator('figure.plot', { hasText: 'Waveform (peaks)' });
    await waveform.scrollIntoViewIfNeeded();
    const box = (await waveform.locator('svg').boundingBox())!;
    const { L, R } = await plotArea(waveform.locator('svg'));
    const xAt = (t: number) => box.x + box.width * (L + (t / SECONDS) * (1 - L - R));
    await page.mouse.move(xAt(3), box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(xAt(4.5), box.y + box.height / 2, { steps: 4 });
    await page.mouse.move(xAt(6), box.y + box.height / 2, { steps: 4 });
    await page.mouse.up();
    const regions = page.locator('.plot .loop-region');
    assert.is(await regions.count(), 3, 'the region on loudness, waveform and correlation');
    const start = Number(await regions.first().getAttribute('data-start')),
      end = Number(await regions.first().getAttribute('data-end'));
    assert.ok(Math.abs(start - 3) < 0.3 && Math.abs(end - 6) < 0.3, `region ${start}-${end} s`);
    assert.is(
      await page.locator('.live-meter button[aria-pressed="true"]').count(),
      1,
      'the loop button shows the loop',
    );
    // It plays from the region's start and, at its end, comes back to the start.
    const time = () => Number(document.querySelector('.live-meter')?.getAttribute('data-time'));
    await page.waitForFunction(
      ([s, e]) => {
        const t = Number(document.querySelector('.live-meter')?.getAttribute('data-time'));
        return (
          document.querySelector('.live-meter')?.getAttribute('data-playing') === 'yes' && t >= s! - 0.05 && t < e!
        );
      },
      [start, end],
      { timeout: 10_000 },
    );
    await page.waitForFunction(
      (e) => Number(document.querySelector('.live-meter')?.getAttribute('data-time')) > e - 0.6,
      end,
      { timeout: 8000 },
    );
    await page.waitForFunction(
      (s) => Number(document.querySelector('.live-meter')?.getAttribute('data-time')) < s + 1,
      start,
      { timeout: 5000 },
    );
    assert.ok((await page.evaluate(time)) < end, 'looped back before running past the end');
    await page.keyboard.press('Escape');
    await regions.first().waitFor({ state: 'detached', timeout: 5000 });
    await page.keyboard.press('Space');
    await page.waitForFunction(
      () => document.querySelector('.live-meter')?.getAttribute('data-playing') === 'no',
      null,
      {
        timeout: 5000,
      },
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
  await page.locator('.plots').screenshot({ path: `${SHOTS}/plots-768.png` });
});

tablet.run();
