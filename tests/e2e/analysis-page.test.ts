/**
 * The analyze page end to end in a real Chromium against the production build: a file picked
 * or dropped is measured in the analysis worker and every figure is shown; cancel stops it; bad
 * files get a message naming them; and no request made during an analysis carries a body or
 * goes anywhere but the app's own static files (the audio never leaves the device).
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { analyseAudio } from '../../src/core/audio/analyse-audio.ts';
import { MemoryByteSource } from '../../src/core/audio/byte-source.ts';
import { mixLike, truePeakBurst } from '../support/signals.ts';
import { writeWav } from '../support/wav-writer.ts';
import { mixWavFile, toneWav } from '../support/analysis-files.ts';
import {
  dropFile,
  figureText,
  figureValue,
  pickFile,
  pinCores,
  startAnalyzeSession,
  type AnalyzeSession,
} from '../support/analysis-page.ts';
import { waitForServiceWorker } from '../support/library-actions.ts';
import { can } from '../support/browser-driver.ts';

const analysis = suite<AnalyzeSession>('analysis page');

analysis.before(async (ctx) => {
  // Four cores, as on most laptops: the page splits true peak into a second worker.
  Object.assign(ctx, await startAnalyzeSession({ viewport: { width: 1024, height: 768 }, cores: 4 }));
});
analysis.after(async (ctx) => {
  await ctx.close();
});

analysis('the analysis workers are started and warm before a file is chosen', async ({ page }) => {
  // Set when every worker the page would split over has compiled its kernels and run its
  // throwaway analysis (analysis-client.ts warm): the first file then runs on warm workers.
  await page.locator('[data-analysis-warm]').waitFor({ timeout: 30_000 });
  assert.is(await page.locator('[data-elapsed-ms]').count(), 0, 'no file chosen yet');
});

analysis(
  'a 1 kHz -23 dBFS stereo tone reads -23.0 LUFS, with every group, unit and definition shown, and no request carries the audio',
  async ({ page, server }) => {
    const requests: { url: string; method: string; postData: string | null }[] = [];
    let wsBytesSent = 0;
    const onRequest = (r: import('playwright-core').Request) =>
      requests.push({ url: r.url(), method: r.method(), postData: r.postData() });
    const onSocket = (ws: import('playwright-core').WebSocket) =>
      ws.on('framesent', (f) => {
        wsBytesSent += typeof f.payload === 'string' ? f.payload.length : f.payload.byteLength;
      });
    // Watching requests and WebSocket frames needs Playwright's network events (Chromium); WebDriver has none, so WebKit checks the figures only.
    const watched = can.networkEvents ? (page as unknown as import('playwright-core').Page) : null;
    watched?.on('request', onRequest);
    watched?.on('websocket', onSocket);
    const bytes = toneWav(-23, 2);
    await pickFile(page, { name: 'tone-stereo.wav', bytes });
    const integrated = await figureValue(page, 'loudness.integrated');
    watched?.off('request', onRequest);
    watched?.off('websocket', onSocket);
    assert.ok(Math.abs(integrated - -23) <= 0.1, `integrated ${integrated}`);
    assert.match(await figureText(page, 'loudness.integrated'), /^-23\.0 LUFS$/);
    assert.match(await figureText(page, 'peaks.truePeak'), /dBTP$/);
    assert.ok(
      await page.getByText('(WASM core, true peak in a second worker)').isVisible(),
      'measured with the WASM core, split over two workers',
    );
    // Units as symbols: a ratio prints as a plain number, not "1.000 ratio".
    assert.match(await figureText(page, 'stereo.correlation'), /^1\.000$/);
    for (const title of ['Loudness', 'True peak', 'Dynamics', 'Spectrum', 'Stereo', 'Channels']) {
      assert.ok(await page.getByRole('heading', { level: 2, name: title, exact: true }).isVisible(), `group ${title}`);
    }
    assert.ok((await page.locator('.figure-row .definition').count()) >= 35, 'each figure has its definition');
    assert.is(
      await page.locator('.plot svg').count(),
      6,
      'loudness, waveform, spectrum, 1/3-octave, tonal balance, correlation plots',
    );
    // Privacy: nothing with a body, nothing outside the app's own static files, no audio over the socket.
    const origin = new URL(server.url).origin;
    for (const r of requests) {
      assert.is(r.postData, null, `request with a body: ${r.method} ${r.url}`);
      const url = new URL(r.url);
      assert.ok(
        url.origin === origin || url.protocol === 'blob:' || url.protocol === 'data:',
        `request leaves the app: ${r.url}`,
      );
      assert.ok(!/^\/(sync|api)\b/.test(url.pathname), `request to a server endpoint: ${r.url}`);
    }
    assert.ok(wsBytesSent < 16_384, `sent ${wsBytesSent} bytes over WebSockets during a ${bytes.length}-byte analysis`);
    await page.screenshot({ path: '/tmp/analysis-eng-shots/stereo-1024.png', fullPage: true });
  },
);

analysis(
  'a 1 kHz -23 dBFS mono tone reads -26.0 LUFS (mono is one channel) and the stereo group says why it is empty',
  async ({ page }) => {
    await pickFile(page, { name: 'tone-mono.wav', bytes: toneWav(-23, 1) });
    await page.getByText('tone-mono.wav · PCM').waitFor();
    const integrated = await figureValue(page, 'loudness.integrated');
    assert.ok(Math.abs(integrated - -26) <= 0.1, `integrated ${integrated}`);
    assert.ok(await page.getByText('no left/right pair').isVisible());
  },
);

analysis(
  'the target selector: a -23 LUFS tone passes EBU R 128; for Spotify it is a normalisation preview, not a fail',
  async ({ page }) => {
    await pickFile(page, { name: 'tone-stereo-2.wav', bytes: toneWav(-23, 2, 10) });
    await page.getByText('tone-stereo-2.wav · PCM').waitFor();
    const target = page.getByRole('combobox', { name: 'Target' });
    await target.selectOption('ebu-r128');
    assert.ok(
      ['pass', 'warn'].includes((await page.locator('[data-verdict]').getAttribute('data-verdict')) ?? ''),
      'no error for R 128',
    );
    assert.is(await page.locator('[data-severity="error"]').count(), 0);
    await target.selectOption('spotify');
    assert.not.equal(
      await page.locator('[data-verdict]').getAttribute('data-verdict'),
      'fail',
      'a platform does not reject a quiet file',
    );
    // 9 dB below -14 LUFS; the -23 dBTP peak leaves room, so Spotify raises it all the way.
    assert.match(
      (await page.locator('[data-check="loudness"]').textContent()) ?? '',
      /Spotify will raise this 9\.0 dB; it will then peak at -14\.0 dBTP/,
    );
  },
);

analysis('a dropped file is analysed like a picked one', async ({ page }) => {
  await dropFile(page, 'dropped.wav', toneWav(-20, 2, 5, 44100, 'pcm16'));
  await page.getByText('dropped.wav · PCM 16-bit · 44100 Hz').waitFor();
  const integrated = await figureValue(page, 'loudness.integrated');
  assert.ok(Math.abs(integrated - -20) <= 0.1, `integrated ${integrated}`);
});

analysis(
  'true peak measured in the second worker: Tech 3341 case 20 reads 0.0 dBTP, and a loud master shows the same true peak and over counts as the core in Node',
  async ({ page }) => {
    await pickFile(page, {
      name: 'tp-case-20.wav',
      bytes: writeWav([truePeakBurst(48000, 4, 0), truePeakBurst(48000, 4, 0)], {
        sampleRate: 48000,
        format: 'float32',
      }),
    });
    await page.getByText('tp-case-20.wav · float 32-bit').waitFor();
    const tp = await figureValue(page, 'peaks.truePeak');
    assert.ok(tp >= -0.4 && tp <= 0.2, `case 20 true peak ${tp}`);
    // A limited master: many inter-sample overs above -1 dBTP, some above 0.
    const loud = mixLike(48000, 20, 11).map((c) => c.map((v) => 1.02 * Math.tanh(v * 24)));
    const bytes = writeWav(loud, { sampleRate: 48000, format: 'float32' });
    const expected = (await analyseAudio(new MemoryByteSource('loud.wav', bytes))).result;
    await pickFile(page, { name: 'loud-master.wav', bytes });
    await page.getByText('loud-master.wav · float 32-bit').waitFor();
    assert.is(await figureText(page, 'peaks.truePeak'), `${expected.peaks.truePeak.value!.toFixed(1)} dBTP`);
    assert.ok(expected.peaks.oversAboveMinus1.count.value > 0, 'the signal has overs');
    // Counts print as numbers with thousands separators, without a unit word.
    assert.is(
      await figureText(page, 'peaks.oversAboveMinus1'),
      expected.peaks.oversAboveMinus1.count.value.toLocaleString('en'),
    );
    assert.is(await figureText(page, 'peaks.oversAbove0'), expected.peaks.oversAbove0.count.value.toLocaleString('en'));
    assert.ok(
      expected.peaks.oversAbove0.count.value <= expected.peaks.oversAboveMinus1.count.value,
      'overs above 0 dBTP are among those above -1',
    );
    assert.is(await figureText(page, 'dynamics.plr'), `${expected.dynamics.plr.value!.toFixed(1)} LU`);
    for (const ch of expected.channels) {
      assert.is(
        await page.locator(`[data-channel-figure="${ch.label}.truePeak"]`).textContent(),
        ch.truePeak.value!.toFixed(1),
      );
    }
  },
);

analysis(
  'a long WAV is split by time over the workers (4 cores: 2 slices of 45 s) and reads as the core in Node reads it in one pass',
  async ({ page }) => {
    const loud = mixLike(48000, 45, 5).map((c) => c.map((v) => Math.max(-1, Math.min(1, 1.1 * Math.tanh(v * 20)))));
    const bytes = writeWav(loud, { sampleRate: 48000, format: 'pcm24' });
    const expected = (await analyseAudio(new MemoryByteSource('split.wav', bytes))).result;
    await pickFile(page, { name: 'split-master.wav', bytes });
    await page.getByText('split-master.wav · PCM 24-bit').waitFor();
    assert.is(await page.locator('[data-threads]').getAttribute('data-threads'), '2');
    assert.ok(await page.getByText('(WASM core, split over 2 workers)').isVisible(), 'says it was split');
    const figures: [string, string][] = [
      ['loudness.integrated', `${expected.loudness.integrated.value!.toFixed(1)} LUFS`],
      ['loudness.range', `${expected.loudness.range.value!.toFixed(1)} LU`],
      ['peaks.truePeak', `${expected.peaks.truePeak.value!.toFixed(1)} dBTP`],
      ['peaks.oversAboveMinus1', expected.peaks.oversAboveMinus1.count.value.toLocaleString('en')],
      ['peaks.oversAbove0', expected.peaks.oversAbove0.count.value.toLocaleString('en')],
    ];
    for (const [key, text] of figures) assert.is(await figureText(page, key), text, key);
  },
);

analysis('Cancel stops a long analysis and says so; a new analysis works afterwards', async ({ page }) => {
  await pickFile(page, mixWavFile(600, 48000, 'pcm16'));
  const progress = page.getByRole('progressbar', { name: 'Analysis progress' });
  await progress.waitFor();
  await page.screenshot({ path: '/tmp/analysis-eng-shots/progress.png' });
  await page.getByRole('button', { name: 'Cancel' }).click();
  await page.getByText(/Analysis of mix-600s-48000-pcm16\.wav cancelled/).waitFor({ timeout: 3000 });
  assert.is(await progress.count(), 0);
  await pickFile(page, { name: 'after-cancel.wav', bytes: toneWav(-23, 2, 5) });
  await page.getByText('after-cancel.wav · PCM').waitFor();
});

analysis(
  'picking another file mid-analysis replaces it: the new result stays, the old one never overwrites it',
  async ({ page }) => {
    await pickFile(page, mixWavFile(600, 48000, 'pcm16'));
    await page.getByRole('progressbar', { name: 'Analysis progress' }).waitFor();
    await pickFile(page, { name: 'second-pick.wav', bytes: toneWav(-23, 2, 5) });
    await page.getByText('second-pick.wav · PCM').waitFor();
    await page.waitForTimeout(2500);
    assert.ok(await page.getByText('second-pick.wav · PCM').isVisible(), 'the second result is still shown');
    assert.is(await page.getByText(/cancelled/).count(), 0);
  },
);

analysis(
  'a truncated WAV is measured up to where its data ends, and the page shows the warning naming the file',
  async ({ page }) => {
    const whole = toneWav(-23, 2, 10);
    await pickFile(page, { name: 'cut-short.wav', bytes: whole.subarray(0, 44 + 6 * 48000 * 4) });
    await page.getByText('cut-short.wav · PCM').waitFor();
    const warnings = page.getByRole('list', { name: 'Warnings' });
    assert.match((await warnings.textContent()) ?? '', /cut-short\.wav: .*truncated/);
    assert.match(await figureText(page, 'file.duration'), /^4\.000 s$/);
  },
);

analysis('bad files get a message naming the file and the problem', async ({ page }) => {
  const cases: [string, Uint8Array, RegExp][] = [
    ['empty.wav', new Uint8Array(0), /empty\.wav: .*empty/],
    [
      'notes.wav',
      new TextEncoder().encode('these are my mix notes, not audio at all'),
      /notes\.wav: unknown audio format/,
    ],
    [
      'zero-channels.wav',
      (() => {
        const b = toneWav(-23, 1, 1);
        new DataView(b.buffer).setUint16(22, 0, true);
        return b;
      })(),
      /zero-channels\.wav: .*0 channels/,
    ],
    [
      'fake.mp3',
      Uint8Array.from([0xff, 0xfb, 0x90, 0x64, ...new Array(2000).fill(0x55)]),
      /fake\.mp3: (no MP3 frames could be decoded|.*MP3 decoder could not read this file; it may be damaged)/,
    ],
  ];
  for (const [name, bytes, expected] of cases) {
    await pickFile(page, { name, bytes });
    const alert = page.getByRole('alert').filter({ hasText: name });
    await alert.waitFor({ timeout: 15_000 });
    assert.match((await alert.textContent()) ?? '', expected);
  }
  await page.screenshot({ path: '/tmp/analysis-eng-shots/bad-file.png' });
});

analysis(
  'offline, the analyze page, its two workers and the WASM core come from the service worker cache',
  async ({ page, context }) => {
    await waitForServiceWorker(page);
    await context.setOffline(true);
    try {
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Analyze' }).waitFor();
      await pinCores(page, 4);
      await pickFile(page, { name: 'offline.wav', bytes: toneWav(-23, 2, 5) });
      assert.is(await figureText(page, 'loudness.integrated'), '-23.0 LUFS');
      assert.is(await page.locator('[data-threads]').getAttribute('data-threads'), '2');
      assert.is(await page.locator('[data-engine]').getAttribute('data-engine'), 'WASM');
    } finally {
      await context.setOffline(false);
    }
  },
);

analysis.run();
