/**
 * The latest analysis is kept until another replaces it, so leaving the page (or reloading)
 * does not throw the measurements away. Only the figures are kept, never the audio. The
 * storage is passed in (localStorage in the app, a Map in tests); a value that does not parse
 * or has an unknown schema is dropped rather than shown half.
 */
import { SCHEMA_ID, type AnalysisResult } from '../../core/dsp/result-schema.ts';
import type { StreamSummary } from '../../core/analysis/worker-contract.ts';

export interface KeptAnalysis {
  name: string;
  stream: StreamSummary;
  result: AnalysisResult;
  analysedAt: number;
  targetId: string;
  elapsedMs: number;
  engine: 'WASM' | 'TypeScript';
  threads: number;
  /** Time slices merged (a split over that many workers); absent for one pass. */
  slices?: number;
}

/** What the store needs of Storage (localStorage fits). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const KEY = 'mixdesk.analysis.latest';

export interface LastAnalysisStore {
  load(): KeptAnalysis | null;
  save(a: KeptAnalysis): void;
  clear(): void;
}

export function makeLastAnalysisStore(storage: KeyValueStorage | null): LastAnalysisStore {
  return {
    load() {
      try {
        const raw = storage?.getItem(KEY);
        if (!raw) return null;
        const a = JSON.parse(raw) as KeptAnalysis;
        return a && a.result?.schema === SCHEMA_ID && typeof a.name === 'string' ? a : null;
      } catch {
        return null;
      }
    },
    save(a) {
      // Quota or private-mode failures only cost the convenience; the page keeps working.
      try {
        storage?.setItem(KEY, JSON.stringify(a));
      } catch {
        /* not kept */
      }
    },
    clear() {
      try {
        storage?.removeItem(KEY);
      } catch {
        /* nothing kept */
      }
    },
  };
}

/** The app's store: localStorage where the browser allows it. */
export function browserLastAnalysisStore(): LastAnalysisStore {
  let storage: KeyValueStorage | null = null;
  try {
    storage = globalThis.localStorage ?? null;
  } catch {
    storage = null;
  }
  return makeLastAnalysisStore(storage);
}
