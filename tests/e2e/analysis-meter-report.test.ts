/**
 * After an analysis: Play runs the file through the AudioWorklet live meter, which posts
 * momentary/short-term loudness, true peak and correlation; "Save as report" stores the numbers
 * (not the audio) in an analysis-report document that opens from the library with the same
 * numbers. Real Chromium, production build (worklet bundled and precached), real server.
 */
import { suite } from 'uvu';
import { withFailureEvidence } from '../support/app-suite.ts';
import * as assert from 'uvu/assert';
import { gotoLibrary } from '../support/library-actions.ts';
import { ENGINE } from '../support/browser-driver.ts';
import { mixWavFile, toneWav } from '../support/analysis-files.ts';
import { nearFullScaleMaster } from '../support/codec-signal.ts';
import { writeWav } from '../support/wav-writer.ts';
import {
  figureText,
  figureValue,
  pickFile,
  startAnalyzeSession,
  type AnalyzeSession,
} from '../support/analysis-page.ts';

const meter = withFailureEvidence(suite<AnalyzeSession>('live meter and reports'), 'live meter and reports');

meter.before(async (ctx) => {
  Object.assign(ctx, await startAnalyzeSession({ viewport: { width: 768, height: 1024 } }));
  await pickFile(ctx.page, { name: 'meter-tone.wav', bytes: toneWav(-23, 2, 20) });
  await figureText(ctx.page, 'loudness.integrated');
});
meter.after(async (ctx) => {
  await ctx.close();
});

meter(
  'Play posts live meter values from the AudioWorklet: -23 dBFS stereo tone reads about -23 LUFS momentary, correlation 1',
  async ({ page }) => {
    await page.getByRole('button', { name: 'Play' }).click();
    const live = page.locator('.live-meter');
    if (ENGINE === 'webkit') {
      // Where WebKit does not let the AudioContext start (resume() never settles) the page says so
      // after 5 s; the test's MiniBrowser allows autoplay, so here the readings are checked below.
      const outcome = await Promise.race([
        page
          .waitForFunction(
            () => Number(document.querySelector('.live-meter')?.getAttribute('data-readings')) >= 30,
            null,
            { timeout: 15_000 },
          )
          .then(() => 'running'),
        live
          .getByRole('alert')
          .waitFor({ timeout: 15_000 })
          .then(() => 'no output'),
      ]);
      if (outcome === 'no output') {
        assert.match(
          (await live.getByRole('alert').textContent()) ?? '',
          /needs this device's audio output, which did not start/,
        );
        console.log('  WebKit: no audio output on this machine, the live meter says so');
        return;
      }
    }
    // 30 readings, and a momentary value near the tone's (its 400 ms window still holds some of
    // the silence before the audio arrived when playback starts slowly on a loaded machine; -27.9
    // was seen). The assertions below say what it reads if it never gets there.
    await page
      .waitForFunction(
        () =>
          Number(document.querySelector('.live-meter')?.getAttribute('data-readings')) >= 30 &&
          Math.abs(
            Number.parseFloat(document.querySelector('.live-meter [data-meter="momentary"]')?.textContent ?? '') + 23,
          ) <= 0.3,
        null,
        { timeout: 15_000 },
      )
      .catch(() => undefined);
    const readings = Number(await live.getAttribute('data-readings'));
    const momentary = Number.parseFloat((await live.locator('[data-meter="momentary"]').textContent()) ?? '');
    const correlation = Number.parseFloat((await live.locator('[data-meter="correlation"]').textContent()) ?? '');
    const truePeak = Number.parseFloat((await live.locator('[data-meter="true-peak"]').textContent()) ?? '');
    await page.screenshot({
      path: `/tmp/analysis-eng-shots/live-meter-768${ENGINE === 'webkit' ? '-webkit' : ''}.png`,
    });
    assert.ok(readings >= 30, `${readings} readings`);
    assert.is(await live.getAttribute('data-wasm'), 'yes', 'the worklet runs the WASM kernels');
    assert.ok(Math.abs(momentary - -23) <= 0.3, `momentary ${momentary}`);
    // Regression: WebKitGTK's player splices the audio 40 ms into playback, which read -22.0 dBTP
    // here until the meter left the player's joins out of its true peak (core/dsp/peak-settle.ts).
    // 0.5 dB: on a loaded machine an output underrun in Chromium once read -22.7 (a glitch later
    // than the settle window); the WebKit splice reads a full dB high, so this still catches it.
    assert.ok(Math.abs(truePeak - -23) <= 0.5, `true peak ${truePeak}`);
    if (ENGINE === 'chromium') assert.ok(Math.abs(correlation - 1) <= 0.01, `correlation ${correlation}`);
    // Once, on a loaded machine, WebKit's correlation read 0.82 (its two channels a few samples apart: docs/browsers.md).
    else console.log(`  WebKit live meter: correlation ${correlation}, true peak ${truePeak} dBTP`);
    // At most 60 readings a second: count over two seconds of playback. (The lower bound only
    // says it keeps running: a loaded 2-core machine gave WebKit 9 in one second, 32 when idle.)
    const before = Number(await live.getAttribute('data-readings'));
    await page.waitForTimeout(2000);
    const perSecond = (Number(await live.getAttribute('data-readings')) - before) / 2;
    assert.ok(perSecond > 4 && perSecond <= 60, `${perSecond} readings a second`);
    await page.getByRole('button', { name: 'Stop' }).click();
  },
);

meter('Save as report stores the numbers; the report opens from the library and shows them', async ({ page }) => {
  const integrated = await figureText(page, 'loudness.integrated');
  const truePeak = await figureText(page, 'peaks.truePeak');
  // The report keeps the target it was judged against.
  await page.getByRole('combobox', { name: 'Target', exact: true }).selectOption('atsc-a85');
  await page.getByRole('button', { name: 'Save as report' }).click();
  await page.getByRole('link', { name: 'Open report' }).waitFor();
  await gotoLibrary(page);
  await page.locator('.doc-row', { hasText: 'meter-tone.wav' }).locator('a').first().click();
  await page.getByRole('heading', { level: 1, name: 'meter-tone.wav' }).waitFor();
  assert.is(await figureText(page, 'loudness.integrated'), integrated);
  assert.is(await figureText(page, 'peaks.truePeak'), truePeak);
  assert.ok(Math.abs((await figureValue(page, 'loudness.integrated')) - -23) <= 0.1);
  assert.is(await page.getByRole('combobox', { name: 'Target', exact: true }).inputValue(), 'atsc-a85');
  assert.ok((await page.locator('[data-diagnostic]').count()) >= 1, 'diagnostics shown in the report');
  assert.is(
    await page.locator('.plot svg').count(),
    6,
    'loudness, waveform, spectrum, bands, tonal balance, correlation',
  );
  // The document keeps numbers only: its stored size is far below the audio's.
  const size = await page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const r = indexedDB.open('mixdesk-library');
      r.onsuccess = () => resolve(r.result);
      r.onerror = () => reject(r.error);
    });
    const rows = await new Promise<{ name: string; size: number }[]>((resolve) => {
      const r = db.transaction('documents').objectStore('documents').getAll();
      r.onsuccess = () => resolve(r.result);
    });
    db.close();
    const row = rows.find((x) => x.name === 'meter-tone.wav');
    return row ? row.size : -1;
  });
  assert.ok(
    size > 0 && size < 200_000,
    `report document size ${size} bytes (the WAV is ${toneWav(-23, 2, 20).length})`,
  );
  await page.screenshot({
    path: `/tmp/analysis-eng-shots/report-768${ENGINE === 'webkit' ? '-webkit' : ''}.png`,
    fullPage: true,
  });
});

meter(
  'Render corrected file… from the report: before/after with the verdict, a saved file, a history entry',
  async ({ page }) => {
    // Still on the report opened by the previous step; its audio is not kept, so the mix is picked again.
    await page.getByRole('button', { name: 'Render corrected file…' }).click();
    await page.getByLabel('Mix to render').setInputFiles({
      name: 'meter-tone.wav',
      mimeType: 'audio/wav',
      buffer: Buffer.from(toneWav(-23, 2, 20)),
    });
    await page.getByRole('combobox', { name: 'Render target' }).selectOption('spotify');
    await page.getByRole('button', { name: 'Render', exact: true }).click();
    const verdict = page.locator('[data-render-verdict]');
    await verdict.waitFor({ timeout: 30_000 });
    assert.is(await verdict.getAttribute('data-render-verdict'), 'on-target', (await verdict.textContent()) ?? '');
    const after = Number.parseFloat((await page.locator('[data-after="Integrated loudness"]').textContent()) ?? '');
    const before = Number.parseFloat((await page.locator('[data-before="Integrated loudness"]').textContent()) ?? '');
    assert.ok(Math.abs(before - -23) <= 0.1, `before ${before}`);
    assert.ok(Math.abs(after - -14) <= 0.5, `after ${after}`);
    assert.ok(Number.parseFloat((await page.locator('[data-after="True peak"]').textContent()) ?? '') <= -0.95);
    // The render is offered as a file: a blob URL (the app's CSP keeps the page itself from
    // fetching it) of a WAV the length of the source (24-bit in, 24-bit out).
    const save = page.locator('[data-render-save]');
    assert.is(await save.getAttribute('download'), 'meter-tone-spotify.wav');
    assert.match((await save.getAttribute('href')) ?? '', /^blob:/);
    assert.is(Number(await save.getAttribute('data-size')), toneWav(-23, 2, 20).length);
    // The report's history keeps the render (its figures, not the audio).
    const entry = page.locator('[data-render-entry]').first();
    await entry.waitFor();
    assert.match(
      (await entry.textContent()) ?? '',
      /Spotify -14 LUFS \/ -1 dBTP · 24-bit · -23\.0 LUFS → -1[34]\.\d LUFS/,
    );
    await page.screenshot({
      path: `/tmp/analysis-eng-shots/render-768${ENGINE === 'webkit' ? '-webkit' : ''}.png`,
      fullPage: true,
    });
    // Cancel: a 2-minute mix stopped while it renders leaves no result and no history entry.
    await page.getByLabel('Mix to render').setInputFiles(mixWavFile(120));
    await page.getByRole('button', { name: 'Render', exact: true }).click();
    await page.locator('[data-render-progress]').waitFor();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.locator('[data-render-cancelled]').waitFor({ timeout: 10_000 });
    assert.is(await page.locator('[data-render-verdict]').count(), 0);
    assert.is(await page.locator('[data-render-entry]').count(), 1);
  },
);

meter(
  "Codec check… under YouTube's normalisation preview: a master at -0.1 dBTP shows overs after Opus, kept in the report",
  async ({ page }) => {
    // Still on the report. YouTube: Opus, the one codec Debian's Chromium encodes with WebCodecs
    // (WebKitGTK encodes it too, through GStreamer).
    await page.getByRole('combobox', { name: 'Target', exact: true }).selectOption('youtube');
    await page.getByRole('button', { name: 'Codec check…' }).click();
    const unavailable = page.locator('[data-codec-unavailable]');
    const picker = page.getByLabel('Mix to check');
    const shown = await Promise.race([
      unavailable.waitFor({ timeout: 10_000 }).then(() => 'unavailable'),
      picker.waitFor({ timeout: 10_000 }).then(() => 'available'),
    ]);
    if (shown === 'unavailable') {
      // A WebKit without a WebCodecs Opus encoder: the page says so plainly and names the CLI.
      assert.not.equal(ENGINE, 'chromium', 'Chromium encodes Opus with WebCodecs');
      assert.match(
        (await unavailable.textContent()) ?? '',
        /Codec check not available in this browser: .*mixdesk codec-check MIX --platform youtube/,
      );
      console.log(`  ${ENGINE}: ${await unavailable.textContent()}`);
      return;
    }
    await picker.setInputFiles({
      name: 'master.wav',
      mimeType: 'audio/wav',
      buffer: Buffer.from(writeWav(nearFullScaleMaster(48000, 8), { sampleRate: 48000, format: 'pcm24' })),
    });
    const result = page.locator('[data-codec-result]');
    await result.waitFor({ timeout: 20_000 });
    assert.is(await result.getAttribute('data-codec-result'), 'overs');
    const text = (await result.textContent()) ?? '';
    assert.match(
      text,
      /^After YouTube's Opus 160 kbit\/s: \+\d\.\d dBTP \(was -0\.1 dBTP\), \d+ overs at 0:02 and 0:06/,
    );
    assert.match(text, /lower the ceiling to -\d\.\d dBTP/);
    await page.screenshot({
      path: `/tmp/analysis-eng-shots/codec-768${ENGINE === 'webkit' ? '-webkit' : ''}.png`,
      fullPage: false,
    });
    // The report keeps the figures: after a reload the sentence is there without a new check.
    await page.reload();
    await page.getByRole('combobox', { name: 'Target', exact: true }).waitFor();
    assert.is(await page.getByRole('combobox', { name: 'Target', exact: true }).inputValue(), 'youtube');
    assert.is((await page.locator('[data-codec-result]').textContent())?.startsWith(text.slice(0, 60)), true);
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.evaluate(() => document.querySelector('[data-codec-result]')?.scrollIntoView({ block: 'center' }));
    await page.screenshot({ path: `/tmp/analysis-eng-shots/codec-1440${ENGINE === 'webkit' ? '-webkit' : ''}.png` });
    await page.setViewportSize({ width: 768, height: 1024 });
    // Apple Music is AAC: Debian's Chromium has no AAC encoder (WebCodecs), and no WASM one
    // exists, so the page says so plainly instead of a result.
    await page.getByRole('combobox', { name: 'Target', exact: true }).selectOption('apple');
    await page.getByRole('button', { name: 'Codec check…' }).click();
    if (ENGINE === 'chromium') {
      await unavailable.waitFor({ timeout: 10_000 });
      assert.match(
        (await unavailable.textContent()) ?? '',
        /^Codec check not available in this browser: this browser has no AAC encoder \(WebCodecs\) at 48000 Hz, 2 channels; and no AAC encoder in WebAssembly here \(only MP3\)\. In a terminal with ffmpeg: mixdesk codec-check MIX --platform apple/,
      );
      await page.screenshot({ path: '/tmp/analysis-eng-shots/codec-unavailable-768.png' });
    }
  },
);

meter.run();
