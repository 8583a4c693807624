/** Reading /healthz and /readyz in tests: one JSON answer, or asked again until a wanted status. */
import { probe } from './http-probe.ts';

export interface ProbeResultJson {
  kind: string;
  ok: boolean;
  latencyMs?: number;
  error?: string;
  subscribed?: boolean;
}

export interface JsonAnswer {
  status: number;
  body: Record<string, unknown> & { store?: ProbeResultJson; fanout?: ProbeResultJson };
}

export async function getJson(port: number, path: string): Promise<JsonAnswer> {
  const answer = await probe(port, path, { headers: { Host: `localhost:${port}` } });
  return { status: answer.status, body: JSON.parse(answer.body) as JsonAnswer['body'] };
}

/**
 * Asks `path` every 100 ms until `wanted(status)` or `limitMs` passed (long enough for the
 * health cache period and the 1 s check); returns the last answer.
 */
export async function pollUntil(
  port: number,
  path: string,
  wanted: (status: number) => boolean,
  limitMs = 8000,
): Promise<JsonAnswer> {
  let answer = await getJson(port, path);
  for (const started = Date.now(); !wanted(answer.status) && Date.now() - started < limitMs;) {
    await new Promise((next) => setTimeout(next, 100));
    answer = await getJson(port, path);
  }
  return answer;
}
