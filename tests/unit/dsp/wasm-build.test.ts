/**
 * The committed WASM kernels are what src/wasm builds to: a fresh build (into a temp dir) must
 * match src/core/dsp/wasm/meter.wasm byte for byte, and the base64 copy in meter-wasm.ts must be
 * the same bytes. Fails when src/wasm changed without `npm run build:wasm`, or the build stops
 * compiling (asc is the AssemblyScript type-check). The asc build is deterministic.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileMeterWasm, embeddedModuleSource, WASM_OUT_DIR } from '../../../scripts/build-wasm.ts';

test('the committed meter.wasm and meter-wasm.ts are a fresh build of src/wasm', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mixdesk-wasm-'));
  try {
    const fresh = compileMeterWasm(join(dir, 'meter.wasm'));
    const committed = readFileSync(join(WASM_OUT_DIR, 'meter.wasm'));
    assert.ok(
      fresh.equals(committed),
      `src/core/dsp/wasm/meter.wasm (${committed.length} bytes) is not what src/wasm builds to (${fresh.length} bytes): run npm run build:wasm`,
    );
    assert.is(
      readFileSync(join(WASM_OUT_DIR, 'meter-wasm.ts'), 'utf8'),
      embeddedModuleSource(fresh),
      'meter-wasm.ts is stale: run npm run build:wasm',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test.run();
