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
import { dbToAmp, inPhase, sine } from '../support/signals.ts';
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
      // Regression: under CPU load WebKitGTK now and then failed to open the file's blob: URL and
      // the page said "cannot play this file (The operation is not supported.)" (2 of 4 runs with
      // two cores busy); audition.ts loads it once more.
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
  // Stereo per band: the tone is the same on left and right, so every band correlates fully.
  assert.is(await page.locator('[data-stereo-band$=".correlation"]').count(), 7);
  assert.is(await page.locator('[data-stereo-band="mid.correlation"]').textContent(), '1.000');
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

/**
 * A tap on the page's audio output, installed before the A/B player is made: every node connected
 * to a context's destination is also connected to a ScriptProcessorNode that keeps what reaches
 * the output (channel 0, with each block's playbackTime so a block the tap itself lost shows).
 */
function installOutputTap(): void {
  interface Tap {
    blocks: { t: number; data: Float32Array }[];
    rate: number;
    size: number;
  }
  const tap: Tap = { blocks: [], rate: 0, size: 16384 };
  (window as unknown as { abTap: Tap }).abTap = tap;
  const connect = AudioNode.prototype.connect as (this: AudioNode, target: AudioNode) => AudioNode;
  AudioNode.prototype.connect = function (this: AudioNode, target: AudioNode, ...rest: number[]) {
    const result = (connect as (this: AudioNode, ...a: unknown[]) => AudioNode).call(this, target, ...rest);
    if (target instanceof AudioDestinationNode && !(this instanceof ScriptProcessorNode)) {
      const context = this.context;
      const recorder = context.createScriptProcessor(tap.size, 1, 1);
      tap.rate = context.sampleRate;
      recorder.onaudioprocess = (e) => {
        if (tap.blocks.length < 200)
          tap.blocks.push({ t: e.playbackTime, data: e.inputBuffer.getChannelData(0).slice() });
      };
      connect.call(this, recorder);
      connect.call(recorder, context.destination);
    }
    return result;
  } as typeof AudioNode.prototype.connect;
}

/** What the tap heard: contiguity, the longest run of silence, 10 ms RMS levels and the tone's frequency at each end. */
function readOutputTap() {
  const tap = (
    window as unknown as { abTap: { blocks: { t: number; data: Float32Array }[]; rate: number; size: number } }
  ).abTap;
  const { blocks, rate, size } = tap;
  // Chromium stamps blocks that queued behind a busy main thread with one playbackTime, so
  // the stamps between are unreliable; the first and the last (read once the page is idle) are
  // not: a lost block shows as fewer blocks than the time between them holds.
  const spanned = blocks.length ? Math.round((blocks.at(-1)!.t - blocks[0]!.t) / (size / rate)) + 1 : 0;
  const contiguous = blocks.length >= spanned;
  const all = new Float32Array(blocks.length * size);
  blocks.forEach((b, i) => all.set(b.data, i * size));
  let first = all.findIndex((v) => Math.abs(v) > 1e-3);
  let last = all.length - 1;
  while (last > 0 && Math.abs(all[last]!) <= 1e-3) last--;
  // Leave out the first and last 50 ms (playback starting and stopping).
  first += Math.round(0.05 * rate);
  last -= Math.round(0.05 * rate);
  let run = 0,
    longestSilence = 0;
  for (let i = first; i <= last; i++) {
    run = Math.abs(all[i]!) < 1e-4 ? run + 1 : 0;
    longestSilence = Math.max(longestSilence, run);
  }
  // 50 ms windows (50 cycles of the mix's 1 kHz, 55 of the reference's 1100 Hz): each one's RMS
  // level and zero crossings, which tell the mix (100) from the reference (110) and the fade
  // between. No named inner functions: the test's compiler would wrap them in a helper the page
  // does not have.
  const win = Math.round(0.05 * rate);
  const windows: { level: number; crossings: number }[] = [];
  for (let i = first; i + win <= last; i += win) {
    let sum = 0,
      crossings = 0;
    for (let k = i; k < i + win; k++) {
      sum += all[k]! * all[k]!;
      if (k > i && all[k - 1]! < 0 !== all[k]! < 0) crossings++;
    }
    windows.push({ level: 10 * Math.log10(sum / win), crossings });
  }
  const before = windows.filter((w) => w.crossings <= 101).map((w) => w.level);
  const after = windows.filter((w) => w.crossings >= 108).map((w) => w.level);
  return {
    blocks: blocks.length,
    spanned,
    contiguous,
    seconds: (last - first) / rate,
    longestSilence,
    windowsBefore: before.length,
    windowsAfter: after.length,
    /** The mix is heard first, then the reference: at most one switch. */
    ordered:
      windows.findIndex((w) => w.crossings >= 108) >
      windows.length - 1 - [...windows].reverse().findIndex((w) => w.crossings <= 101),
    levelBefore: before.reduce((a, b) => a + b, 0) / Math.max(1, before.length),
    levelAfter: after.reduce((a, b) => a + b, 0) / Math.max(1, after.length),
    minLevel: Math.min(...windows.map((w) => w.level)),
  };
}

meter(
  'Reference compare in the report: figures with differences, overlays, and a gapless A/B at matched loudness measured at the output',
  async ({ page }) => {
    const began = Date.now();
    // Still on the report. The reference: 8 s of an 1100 Hz tone 6 dB louder than the mix's 1 kHz one.
    await page.evaluate(installOutputTap);
    const reference = writeWav(inPhase(sine(48000, 8, 1100, dbToAmp(-17)), 2), { sampleRate: 48000, format: 'pcm24' });
    await page.getByLabel('Reference file').setInputFiles({
      name: 'ref-tone.wav',
      mimeType: 'audio/wav',
      buffer: Buffer.from(reference),
    });
    await page.locator('[data-reference="ref-tone.wav"]').waitFor({ timeout: 30_000 });
    const cell = async (selector: string) =>
      Number.parseFloat(((await page.locator(selector).textContent()) ?? '').replace('−', '-').replace('±', ''));
    // 6 dB louder in level, 6.2 LU in loudness: K-weighting lifts 1100 Hz 0.2 dB more than 1 kHz.
    assert.ok(Math.abs((await cell('[data-compare-diff="0:loudness.integrated"]')) - 6.2) <= 0.15);
    assert.ok(Math.abs((await cell('[data-compare-diff="0:peaks.samplePeak"]')) - 6) <= 0.05);
    assert.ok(Math.abs(await cell('[data-compare-diff="0:dynamics.crestFactor"]')) <= 0.1, 'same crest factor');
    assert.ok(Math.abs((await cell('[data-match-gain="0"]')) - -6.2) <= 0.15, 'the reference is turned down 6.2 dB');
    assert.is(await page.locator('.reference-plots .plot svg').count(), 5, 'loudness, spectrum and tonal overlays');
    // Regression: every series draws something, even the differences, which these two tones leave with one
    // band each (a lone point once drew nothing: a moveto alone).
    const undrawn = await page
      .locator('.reference-plots .plot path[fill="none"]')
      .evaluateAll((paths) => paths.filter((p) => !/[LlHh]/.test(p.getAttribute('d') ?? '')).length);
    assert.is(undrawn, 0, 'series that draw nothing');
    // Stereo per band, mix beside reference: both tones are the same on left and right.
    assert.is(await page.locator('[data-compare-mix^="stereo.bands."]').count(), 14, 'correlation and width per band');
    assert.is(await cell('[data-compare-mix="stereo.bands.mid.correlation"]'), 1);
    assert.is(await cell('[data-compare-ref="0:stereo.bands.mid.correlation"]'), 1);
    assert.is(await cell('[data-compare-diff="0:stereo.bands.mid.correlation"]'), 0);
    // The report keeps the reference's figures and name (it stays after a reload), never its audio.
    assert.is(await page.locator('[data-ab-track]').count(), 2);

    // A/B: the reference's audio came with it; the mix is chosen again.
    await page.getByLabel('Audio for Mix').setInputFiles({
      name: 'meter-tone.wav',
      mimeType: 'audio/wav',
      buffer: Buffer.from(toneWav(-23, 2, 20)),
    });
    await page.waitForFunction(() => document.querySelectorAll('.ab-choose:not([disabled])').length === 2, null, {
      timeout: 15_000,
    });
    // A loop is dragged across the track's waveform strip (a quarter to half way: 5 s to 10 s of
    // the 20 s tone), and the fields follow; they then set it back to the whole track.
    // Pointer events as a mouse sends them (both engines; the WebDriver page has no mouse API).
    // No named functions inside: the test's transpiler would wrap them in a helper the page lacks.
    await page.evaluate(() => {
      const svg = document.querySelector('[data-ab-strip="mix"] svg')!;
      svg.scrollIntoView({ block: 'center' });
      const box = svg.getBoundingClientRect();
      const steps: [string, number][] = [['pointerdown', 0.25]];
      for (let step = 1; step <= 5; step++) steps.push(['pointermove', 0.25 + step * 0.05]);
      steps.push(['pointerup', 0.5]);
      for (const [type, f] of steps)
        svg.dispatchEvent(
          new PointerEvent(type, {
            bubbles: true,
            pointerId: 1,
            pointerType: 'mouse',
            isPrimary: true,
            button: 0,
            buttons: type === 'pointerup' ? 0 : 1,
            // The plot area runs from 44 px in to 8 px before the right edge (plots.tsx).
            clientX: box.left + 44 + f * (box.width - 44 - 8),
            clientY: box.top + box.height / 2,
          }),
        );
    });
    const loopStart = page.getByLabel('Loop start of Mix (s)'),
      loopEnd = page.getByLabel('Loop end of Mix (s)');
    await page.waitForFunction(() => document.querySelector('[data-ab-strip="mix"] .loop-region') !== null, null, {
      timeout: 5000,
    });
    const dragged = [Number(await loopStart.inputValue()), Number(await loopEnd.inputValue())];
    assert.ok(Math.abs(dragged[0]! - 5) < 0.3 && Math.abs(dragged[1]! - 10) < 0.3, `loop dragged to ${dragged}`);
    await loopStart.fill('0');
    await loopStart.dispatchEvent('change');
    await loopEnd.fill('20');
    await loopEnd.dispatchEvent('change');
    assert.is(await page.locator('[data-ab-strip="mix"] .loop-region').count(), 0, 'the whole track is no region');
    await page.getByRole('button', { name: 'Play A/B' }).click();
    const status = page.locator('.ab-status');
    const started = await Promise.race([
      page
        .waitForFunction(() => document.querySelector('.ab-status')?.getAttribute('data-ab-playing') === 'yes', null, {
          timeout: 15_000,
        })
        .then(() => 'playing'),
      page
        .locator('.ab-panel [role="alert"]')
        .waitFor({ timeout: 15_000 })
        .then(() => 'no output'),
    ]);
    if (started === 'no output') {
      assert.is(ENGINE, 'webkit', 'Chromium starts its audio output');
      assert.match((await page.locator('.ab-panel [role="alert"]').textContent()) ?? '', /audio output/);
      console.log('  WebKit: no audio output on this machine, A/B says so (figures and overlays checked)');
      return;
    }
    const blocks = () =>
      page.evaluate(() => (window as unknown as { abTap: { blocks: unknown[] } }).abTap.blocks.length);
    const heard = async (more: number) => {
      const target = (await blocks()) + more;
      await page.waitForFunction(
        (n) => (window as unknown as { abTap: { blocks: unknown[] } }).abTap.blocks.length >= n,
        target,
        { timeout: 15_000 },
      );
    };
    await heard(3);
    // The switch by key, as an engineer listening with eyes closed does: 2 is the second track.
    assert.is(await page.getByRole('button', { name: 'Ref 1' }).getAttribute('aria-keyshortcuts'), '2');
    await page.keyboard.press('2');
    assert.is(
      await status.getAttribute('data-ab-selected'),
      await page.locator('[data-ab-track]').nth(1).getAttribute('data-ab-track'),
    );
    assert.ok(Number(await status.getAttribute('data-ab-switch-at')) > 0, 'the switch was scheduled');
    await heard(3);
    // Space stops (focus is on no field or button: it was the key press above). The screenshots
    // come after the tap is read: taking them blocks the page's main thread, where the tap runs,
    // and WebKit's tap lost a block to them on a loaded machine (25 of 26 in a CI run).
    await page.locator('#ab-title').click();
    await page.keyboard.press('Space');
    await page.waitForFunction(
      () => document.querySelector('.ab-status')?.getAttribute('data-ab-playing') === 'no',
      null,
      {
        timeout: 5000,
      },
    );
    await heard(2);
    const out = await page.evaluate(readOutputTap);
    assert.ok(
      out.contiguous,
      `the tap lost no block (else the gap check means nothing): ${out.blocks} of ${out.spanned}`,
    );
    assert.ok(out.seconds > 1, `${out.seconds} s heard`);
    console.log(
      `  A/B at the output: mix ${out.levelBefore.toFixed(2)} dB, reference ${out.levelAfter.toFixed(2)} dB RMS, lowest 50 ms ${out.minLevel.toFixed(2)} dB, longest silence ${out.longestSilence} samples`,
    );
    // Mix first, then the reference: the switch reached the output.
    assert.ok(out.windowsBefore >= 4 && out.windowsAfter >= 4 && out.ordered, JSON.stringify(out));
    // No gap: never a run of silence (a 1 kHz tone at -23 dBFS is below 1e-4 for 1 sample at most).
    assert.ok(out.longestSilence <= 2, `${out.longestSilence} silent samples in a row`);
    // Matched, measured at the output: the mix (-23 dBFS peak, -26 dB RMS, played at 0 dB) and the
    // reference (6 dB louder, turned down 6.2 dB to match its loudness) within 0.5 dB; and no dip
    // through the fade (a 50 ms window holding a 5 ms gap would read about 0.5 dB low, a stopped
    // source far more).
    assert.ok(Math.abs(out.levelBefore - -26) <= 0.3, `mix at ${out.levelBefore} dB`);
    assert.ok(Math.abs(out.levelAfter - out.levelBefore) <= 0.5, `${out.levelBefore} dB, then ${out.levelAfter} dB`);
    assert.ok(out.minLevel >= out.levelBefore - 1.5, `lowest 50 ms ${out.minLevel} dB`);
    // The compare table and the A/B, each at the top of the screen (the page is long).
    for (const part of ['.reference-panel', '.compare-section', '.reference-plots', '.ab-panel', '.group-stereo']) {
      // Below the sticky header.
      await page.locator(part).evaluate((e) => window.scrollBy(0, e.getBoundingClientRect().top - 64));
      await page.screenshot({
        path: `/tmp/analysis-eng-shots/reference${part.replace('.', '-')}-768${ENGINE === 'webkit' ? '-webkit' : ''}.png`,
      });
    }
    await page.setViewportSize({ width: 1440, height: 900 });
    for (const part of ['.reference-panel', '.compare-section', '.reference-plots', '.ab-panel', '.group-stereo']) {
      // Below the sticky header.
      await page.locator(part).evaluate((e) => window.scrollBy(0, e.getBoundingClientRect().top - 64));
      await page.screenshot({
        path: `/tmp/analysis-eng-shots/reference${part.replace('.', '-')}-1440${ENGINE === 'webkit' ? '-webkit' : ''}.png`,
      });
    }
    await page.setViewportSize({ width: 768, height: 1024 });
    console.log(`  reference compare step: ${((Date.now() - began) / 1000).toFixed(1)} s`);
  },
);

meter.run();
