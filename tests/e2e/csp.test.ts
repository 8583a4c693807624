/**
 * The Content-Security-Policy is really enforced on the app, and a violation reaches the
 * server's /csp-report: the mechanism that makes every other browser suite fail on a violation
 * (tests/support/app-server.ts) is itself seen to work here.
 */
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startAppServer } from '../support/app-server.ts';
import { launchContext } from '../support/chromium.ts';
import { waitFor } from '../support/relay-harness.ts';

test('an injected inline script is blocked and reported to the server', async () => {
  const server = await startAppServer();
  const { context, close } = await launchContext();
  try {
    const page = await context.newPage();
    const response = await page.goto(server.url);
    assert.match(String(response?.headers()['content-security-policy']), "script-src 'self' 'wasm-unsafe-eval'");
    await page.locator('#root *').first().waitFor();
    const ran = await page.evaluate(async () => {
      const script = document.createElement('script');
      script.textContent = 'window.injectedRan = true;';
      document.head.append(script);
      await new Promise((next) => setTimeout(next, 50));
      return (window as unknown as { injectedRan?: boolean }).injectedRan === true;
    });
    assert.is(ran, false, 'the inline script did not run');
    await waitFor('the violation report', () => server.cspViolations.length > 0, 10_000);
    assert.match(String(server.cspViolations[0]!.directive), /^script-src/);
    assert.is(server.cspViolations[0]!.blocked, 'inline');
    // Expected here; any other suite's close() would fail on it.
    server.cspViolations.length = 0;
  } finally {
    await close();
    await server.close();
  }
});

// Regression: Chromium logged "Error with Permissions-Policy header: Unrecognized feature:
// 'bluetooth'" on every page of the app.
test("the app's own headers raise no console error or warning in the browser", async () => {
  const server = await startAppServer();
  const { context, close } = await launchContext();
  try {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' || message.type() === 'warning') errors.push(message.text());
    });
    for (const path of ['/', '/analyze', '/settings']) {
      await page.goto(`${server.url}${path}`);
      await page.locator('#root *').first().waitFor();
    }
    assert.equal(
      errors.filter((e) => /header|policy/i.test(e)),
      [],
    );
  } finally {
    await close();
    await server.close();
  }
});

test.run();
