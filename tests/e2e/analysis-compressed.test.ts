/**
 * Compressed files are decoded by the browser at the sample rate their header declares (no
 * resampling) and measured like WAV; a format this browser cannot decode is refused with a
 * message naming the file. And when a Worker cannot start, analysis runs on the main thread.
 * Files are encoded from generated WAVs with ffmpeg; the compressed cases are skipped, saying
 * so, where ffmpeg is missing.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toneWav } from '../support/analysis-files.ts';
import { forgiveInjectedBlobWorkers } from '../support/app-server.ts';
import { can, chromiumOnly, ENGINE } from '../support/browser-driver.ts';
import {
  figureText,
  figureValue,
  gotoAnalyze,
  pickFile,
  pinCores,
  startAnalyzeSession,
  type AnalyzeSession,
} from '../support/analysis-page.ts';

const compressed = suite<AnalyzeSession & { dir: string }>('compressed formats and fallback');
const hasFfmpeg = spawnSync('ffmpeg', ['-version']).status === 0;

compressed.before(async (ctx) => {
  ctx.dir = mkdtempSync(join(tmpdir(), 'mixdesk-compressed-'));
  Object.assign(ctx, await startAnalyzeSession());
});
compressed.after(async (ctx) => {
  await ctx.close();
  rmSync(ctx.dir, { recursive: true, force: true });
});

/** Encodes a -23 dBFS stereo 1 kHz tone at `rate` with ffmpeg's `codec` into `name`. */
function encode(dir: string, name: string, rate: number, codecArgs: string[]): Uint8Array {
  const wav = join(dir, `src-${rate}.wav`);
  writeFileSync(wav, toneWav(-23, 2, 10, rate, 'pcm16'));
  const out = join(dir, name);
  const r = spawnSync('ffmpeg', ['-v', 'error', '-y', '-i', wav, ...codecArgs, out]);
  if (r.status !== 0) throw new Error(`ffmpeg failed: ${r.stderr}`);
  return readFileSync(out);
}

const cases: [string, number, string[], RegExp][] = [
  ['tone.mp3', 44100, ['-c:a', 'libmp3lame', '-b:a', '256k'], /MP3 via WebCodecs · 44100 Hz/],
  ['tone.opus', 48000, ['-c:a', 'libopus', '-b:a', '192k'], /Ogg Opus · 48000 Hz/],
  ['tone.m4a', 44100, ['-c:a', 'aac', '-b:a', '256k'], /AAC \(MP4\) · 44100 Hz/],
  ['tone.aac', 32000, ['-c:a', 'aac', '-b:a', '192k', '-f', 'adts'], /AAC \(ADTS\) via WebCodecs · 32000 Hz/],
  ['tone.ogg', 44100, ['-c:a', 'libvorbis', '-q:a', '8'], /Ogg Vorbis · 44100 Hz/],
];

for (const [name, rate, args, facts] of cases) {
  compressed(
    `${name}: decoded by the browser at ${rate} Hz and measured at about -23 LUFS, or refused as not decodable on this device`,
    async ({ page, dir }) => {
      if (!hasFfmpeg) {
        console.log(`  skipped ${name}: ffmpeg is not installed`);
        return;
      }
      await pickFile(page, { name, bytes: encode(dir, name, rate, args) });
      const outcome = await Promise.race([
        page
          .locator('[data-figure="loudness.integrated"]')
          .waitFor({ timeout: 30_000 })
          .then(() => 'measured' as const),
        page
          .getByRole('alert')
          .filter({ hasText: name })
          .waitFor({ timeout: 30_000 })
          .then(() => 'refused' as const),
      ]);
      if (outcome === 'refused') {
        const message = (await page.getByRole('alert').filter({ hasText: name }).textContent()) ?? '';
        assert.match(
          message,
          new RegExp(`${name.replace('.', '\\.')}: .*cannot be decoded on this device|cannot decode .* on this device`),
        );
        console.log(`  ${name}: this ${ENGINE === 'webkit' ? 'WebKit' : 'Chromium'} cannot decode it (${message})`);
        return;
      }
      assert.match((await page.locator('.stream-facts').textContent()) ?? '', facts);
      assert.match((await page.locator('.stream-facts').textContent()) ?? '', /decoded by the browser decoder/);
      const integrated = await figureValue(page, 'loudness.integrated');
      // Lossy coding changes the level a little; the tone stays within a few tenths.
      assert.ok(Math.abs(integrated - -23) <= 0.3, `${name} integrated ${integrated}`);
    },
  );
}

compressed(
  'Regression: two pages of one profile driven at once each read their own document',
  async ({ context, page }) => {
    // A losing Promise.race waitFor above still polls the first page while the next test drives a
    // second one. Over WebDriver both share one session whose current window had to be switched
    // per command: interleaved, a command ran in the other window, and the fallback tests read the
    // first page's Ogg figure (-22.9 LUFS) as their own (docs/browsers.md).
    const other = await context.newPage();
    await other.goto('data:text/html,<title>second page</title><p>second</p>');
    const titles = await Promise.all(
      Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? page : other).evaluate(() => document.title)),
    );
    const first = await page.evaluate(() => document.title);
    assert.is.not(first, 'second page');
    titles.forEach((title, i) => assert.is(title, i % 2 === 0 ? first : 'second page', `command ${i}`));
    await other.close();
  },
);

compressed(
  'when a Worker cannot start, the analysis runs on the main thread with the same result',
  async ({ context, server }) => {
    const page = await context.newPage();
    await page.goto(`${server.url}/`);
    await page.getByRole('heading', { level: 1, name: 'Library' }).waitFor();
    // Before the analyze page opens, which is when it starts (warms) its workers; the page is
    // then reached in the app, without a reload that would bring Worker back.
    await page.evaluate(() => {
      (globalThis as { Worker: unknown }).Worker = class {
        constructor() {
          throw new Error('Workers are disabled here');
        }
      };
    });
    await gotoAnalyze(page);
    await pickFile(page, { name: 'no-worker.wav', bytes: toneWav(-23, 2, 10) });
    // A new page shows the analysis kept from before until this one replaces it.
    await page.locator('[aria-label="Analysis of no-worker.wav"]').waitFor({ timeout: 60_000 });
    assert.is(await figureText(page, 'loudness.integrated'), '-23.0 LUFS');
    assert.is(await page.locator('[data-threads]').getAttribute('data-threads'), '1');
    assert.ok(await page.getByText('on the main thread').isVisible());
    await page.close();
  },
);

compressed(
  "Regression: when the worker's module dies with a ReferenceError, the analysis still runs on the main thread",
  async ({ context, server }) => {
    // The Worker must be replaced before the page's own code runs: an init script, which only
    // Chromium's driver has (WebDriver Classic has none).
    if (!can.initScripts) {
      console.log('  skipped in WebKit: no init scripts over WebDriver (see docs/browsers.md)');
      return;
    }
    const page = chromiumOnly(await context.newPage());
    // Real workers whose module throws while loading: the error event's message never says "worker".
    await page.addInitScript(() => {
      const Real = Worker;
      (globalThis as { Worker: unknown }).Worker = class extends Real {
        constructor() {
          super(URL.createObjectURL(new Blob(['undefinedThing();'], { type: 'text/javascript' })), { type: 'module' });
        }
      };
    });
    await page.goto(`${server.url}/analyze`);
    await pickFile(page, { name: 'dead-worker.wav', bytes: toneWav(-23, 2, 10) });
    assert.is(await figureText(page, 'loudness.integrated'), '-23.0 LUFS');
    assert.ok(await page.getByText('on the main thread').isVisible());
    // The injected blob: worker is refused by the CSP (worker-src 'self'): the policy working, not the app.
    forgiveInjectedBlobWorkers(server.cspViolations);
    await page.close();
  },
);

compressed(
  'on a 2-core device the whole analysis runs in one worker (no true-peak split)',
  async ({ context, server }) => {
    const page = await context.newPage();
    await page.goto(`${server.url}/analyze`);
    await page.getByRole('heading', { level: 1, name: 'Analyze' }).waitFor();
    await pinCores(page, 2);
    await pickFile(page, { name: 'two-cores.wav', bytes: toneWav(-23, 2, 10) });
    await page.locator('[aria-label="Analysis of two-cores.wav"]').waitFor({ timeout: 60_000 });
    assert.is(await figureText(page, 'loudness.integrated'), '-23.0 LUFS');
    assert.is(await page.locator('[data-threads]').getAttribute('data-threads'), '1');
    assert.ok(await page.getByText('(WASM core, one worker)').isVisible());
    await page.close();
  },
);

compressed.run();
