/**
 * The same file gives the same figures in WebKit (the iPad's engine) as in Chromium: a mix-like
 * WAV and the same programme as an MP3 are analysed on the production build's analyze page in
 * both engines (one profile each, one server) and the loudness figures compared to 0.01 LU.
 * The WAV is read by the analysis worker in both; the MP3 is decoded by each engine's own
 * decoder (WebCodecs in Chromium's worker, the page's decodeAudioData in WebKitGTK), so this
 * also says the two decoders hand over the same audio. Drives both engines, so it runs in the
 * WebKit pass of `npm test` (BROWSER=webkit) and says it is skipped otherwise.
 */
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mixWavFile } from '../support/analysis-files.ts';
import { gotoAnalyze, pickFile } from '../support/analysis-page.ts';
import { startAppServer } from '../support/app-server.ts';
import { ENGINE, launchProfile, type Page, type Profile } from '../support/browser-driver.ts';

type Figures = { integrated: number; shortTermMax: number; lra: number; decodedBy: string; sampleRate: number };

interface Context {
  dir: string;
  server: Awaited<ReturnType<typeof startAppServer>>;
  profiles: Profile[];
  pages: { chromium: Page; webkit: Page };
}
const parity = suite<Context>('same figures in WebKit and Chromium');
const inWebKitPass = ENGINE === 'webkit';
const hasFfmpeg = spawnSync('ffmpeg', ['-version']).status === 0;

parity.before(async (ctx) => {
  ctx.dir = mkdtempSync(join(tmpdir(), 'mixdesk-parity-'));
  ctx.profiles = [];
  if (!inWebKitPass) return;
  ctx.server = await startAppServer();
  const open = async (engine: 'chromium' | 'webkit') => {
    const profile = await launchProfile({}, engine);
    ctx.profiles.push(profile);
    const page = await profile.newPage();
    await page.goto(ctx.server.url);
    await gotoAnalyze(page);
    return page;
  };
  const [chromium, webkit] = await Promise.all([open('chromium'), open('webkit')]);
  ctx.pages = { chromium, webkit };
});
parity.after(async (ctx) => {
  await Promise.all(ctx.profiles.map((p) => p.close()));
  await ctx.server?.close();
  rmSync(ctx.dir, { recursive: true, force: true });
});

/** Analyses `name` on the page and returns the unrounded figures the page kept (localStorage). */
async function figuresOf(page: Page, name: string, bytes: Uint8Array): Promise<Figures> {
  await pickFile(page, { name, bytes });
  await page.locator(`[aria-label="Analysis of ${name}"]`).waitFor({ timeout: 120_000 });
  return page.evaluate(() => {
    const kept = JSON.parse(localStorage.getItem('mixdesk.analysis.latest') ?? 'null') as {
      stream: { decodedBy: string; sampleRate: number };
      result: { loudness: Record<string, { value: number }> };
    };
    const l = kept.result.loudness;
    return {
      integrated: l.integrated!.value,
      shortTermMax: l.shortTermMax!.value,
      lra: l.range!.value,
      decodedBy: kept.stream.decodedBy,
      sampleRate: kept.stream.sampleRate,
    };
  });
}

async function compare(ctx: Context, name: string, bytes: Uint8Array): Promise<void> {
  const [chromium, webkit] = await Promise.all([
    figuresOf(ctx.pages.chromium, name, bytes),
    figuresOf(ctx.pages.webkit, name, bytes),
  ]);
  console.log(`  ${name}: Chromium ${JSON.stringify(chromium)}`);
  console.log(`  ${name}: WebKit   ${JSON.stringify(webkit)}`);
  assert.is(webkit.sampleRate, chromium.sampleRate);
  for (const key of ['integrated', 'shortTermMax', 'lra'] as const)
    assert.ok(
      Number.isFinite(chromium[key]) && Math.abs(chromium[key] - webkit[key]) <= 0.01,
      `${key}: Chromium ${chromium[key]}, WebKit ${webkit[key]}`,
    );
}

parity('a 20 s mix-like 48 kHz 24-bit WAV: the same loudness figures to 0.01 LU', async (ctx) => {
  if (!inWebKitPass) {
    console.log('  skipped: runs in the WebKit pass (BROWSER=webkit)');
    return;
  }
  await compare(ctx, 'mix.wav', readFileSync(mixWavFile(20)));
});

parity('the same programme as a 256 kb/s MP3: the same loudness figures to 0.01 LU', async (ctx) => {
  if (!inWebKitPass || !hasFfmpeg) {
    console.log(`  skipped: ${inWebKitPass ? 'ffmpeg is not installed' : 'runs in the WebKit pass (BROWSER=webkit)'}`);
    return;
  }
  const mp3 = join(ctx.dir, 'mix.mp3');
  const r = spawnSync('ffmpeg', ['-v', 'error', '-y', '-i', mixWavFile(20), '-c:a', 'libmp3lame', '-b:a', '256k', mp3]);
  assert.is(r.status, 0, String(r.stderr));
  await compare(ctx, 'mix.mp3', readFileSync(mp3));
});

parity.run();
