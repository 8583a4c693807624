/**
 * What the rules engine says about a mix: each diagnostic names its rule, how serious it is,
 * what an engineer would say about it, the figures and times it rests on, what to do, and the
 * document the threshold comes from. Pure data: it serialises to JSON as it is.
 */
import type { AnalysisResult, Unit } from '../dsp/result-schema.ts';
import type { DeliveryTarget } from './delivery-targets.ts';

export type Severity = 'error' | 'warning' | 'info';

/** Ordered most serious first (sorting and the CLI exit code use it). */
export const SEVERITIES: readonly Severity[] = ['error', 'warning', 'info'];

/** One figure a diagnostic rests on, with its unit symbol. */
export interface Evidence {
  label: string;
  value: number | null;
  unit: Unit | '%';
}

export interface Diagnostic {
  /** The rule's id, stable across versions (scripts match on it). */
  id: string;
  severity: Severity;
  /** A few words, e.g. "Clipped samples". */
  title: string;
  /** One or two sentences in an engineer's words, with the numbers. */
  message: string;
  evidence: Evidence[];
  /** Seconds where it applies (the first few; may be empty). */
  at: number[];
  fix: string;
  /** The document the threshold rests on. */
  reference: string;
}

/** Facts about the delivered file that the result alone does not carry. */
export interface SourceFacts {
  /** e.g. "PCM 24-bit", "float 32-bit", "MP3". */
  encoding: string;
  /** Bits per sample of PCM, null for float or lossy sources. */
  bitsPerSample: number | null;
  /** Float or PCM that keeps every sample (false for MP3, AAC, Opus, Vorbis). */
  lossless: boolean;
}

export interface RuleContext {
  result: AnalysisResult;
  target: DeliveryTarget;
  source: SourceFacts | null;
}

/** A rule: returns its diagnostic when it fires, else null. Pure; must run in well under 1 ms. */
export interface Rule {
  id: string;
  /** What the rule checks, for `mixdesk targets` and the docs. */
  checks: string;
  reference: string;
  run(ctx: RuleContext): Diagnostic | null;
}

const LOSSY = /\b(mp3|aac|m4a|opus|vorbis|ogg)\b/i;

/** SourceFacts from an encoding string as the decoders write it ("PCM 24-bit", "FLAC 16-bit", "float 32-bit", "MP3"). */
export function sourceFactsFrom(encoding: string): SourceFacts {
  const bits = /(\d+)-bit/.exec(encoding);
  const float = /float/i.test(encoding);
  return { encoding, bitsPerSample: bits && !float ? Number(bits[1]) : null, lossless: !LOSSY.test(encoding) };
}
