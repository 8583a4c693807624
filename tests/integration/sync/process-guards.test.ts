/** The server process's last-resort handlers, exercised in a real child process. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';

const guards = fileURLToPath(new URL('../../../sync-server/process-guards.ts', import.meta.url));

function runWithGuards(body: string): { status: number | null; lines: Record<string, unknown>[]; stdout: string } {
  const script = `const { installProcessGuards } = await import(${JSON.stringify(guards)}); installProcessGuards(); ${body}`;
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  const lines = result.stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { status: result.status, lines, stdout: result.stdout };
}

// Regression: an uncaught exception printed a raw stack trace, not a structured log line.
test('an uncaught exception is logged as one JSON line and the process exits with 1', () => {
  const run = runWithGuards(
    "setTimeout(() => { throw new Error('boom'); }, 10); setTimeout(() => console.log('still running'), 500);",
  );
  assert.is(run.status, 1);
  assert.not.match(run.stdout, /still running/);
  assert.is(run.lines.length, 1);
  assert.is(run.lines[0]!.event, 'uncaughtException');
  assert.is(run.lines[0]!.level, 'fatal');
  assert.is(run.lines[0]!.message, 'boom');
  assert.match(String(run.lines[0]!.stack), /Error: boom/);
});

// Regression: an unhandled rejection ended the process with a raw stack trace (Node's default).
test('an unhandled rejection is logged as one JSON line and the process keeps running', () => {
  const run = runWithGuards(
    "Promise.reject(new Error('nobody waited')); setTimeout(() => console.log('still running'), 100);",
  );
  assert.is(run.status, 0);
  assert.match(run.stdout, /still running/);
  assert.is(run.lines[0]!.event, 'unhandledRejection');
  assert.is(run.lines[0]!.message, 'nobody waited');
});

test.run();
