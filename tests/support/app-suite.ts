/**
 * A uvu suite with the real server and one fresh browser profile open for all its tests (in the
 * engine BROWSER names, see browser-driver.ts), and a page on the app: the setup most browser
 * suites share.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite, type Test } from 'uvu';
import { startAppServer } from './app-server.ts';
import { ENGINE, launchProfile, type Page, type Profile } from './browser-driver.ts';

export interface AppSuiteContext {
  server: Awaited<ReturnType<typeof startAppServer>>;
  context: Profile;
  page: Page;
  closeBrowser: () => Promise<void>;
}

export function appSuite(
  name: string,
  options: { acceptDialogs?: boolean; viewport?: { width: number; height: number } } = {},
): Test<AppSuiteContext> {
  const test = withFailureEvidence(suite<AppSuiteContext>(name), name);
  test.before(async (ctx) => {
    ctx.server = await startAppServer();
    ctx.context = await launchProfile({
      ...(options.acceptDialogs ? { acceptDialogs: true } : {}),
      ...(options.viewport ? { viewport: options.viewport } : {}),
    });
    ctx.closeBrowser = () => ctx.context.close();
    ctx.page = await ctx.context.newPage();
    if (process.env.DEBUG_E2E) ctx.page.on('console', (m) => console.log('console:', m.text()));
    await ctx.page.goto(ctx.server.url);
  });
  test.after(async (ctx) => {
    await ctx.closeBrowser();
    await ctx.server.close();
  });
  return test;
}

/**
 * A failing test leaves what the page showed: a screenshot, its URL and visible text, in a temp
 * folder named in the error. A browser test that fails once in a loaded CI run cannot be replayed,
 * so the evidence is taken at the moment it failed.
 */
export function withFailureEvidence<Context extends { page: Page }>(
  test: Test<Context>,
  suiteName: string,
): Test<Context> {
  type Handler = (ctx: Context) => void | Promise<void>;
  const wrap =
    (testName: string, handler: Handler): Handler =>
    async (ctx) => {
      try {
        await handler(ctx);
      } catch (error) {
        const where = await saveEvidence(ctx.page, `${suiteName} ${testName}`).catch(() => null);
        if (where && error instanceof Error) error.message += `\n  page evidence (${ENGINE}): ${where}`;
        throw error;
      }
    };
  const wrapped = ((testName: string, handler: Handler) => test(testName, wrap(testName, handler))) as Test<Context>;
  Object.assign(wrapped, test, {
    only: (testName: string, handler: Handler) => test.only(testName, wrap(testName, handler)),
  });
  return wrapped;
}

async function saveEvidence(page: Page, label: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'mixdesk-e2e-failure-'));
  const text = await page.evaluate(() => `${location.href}\n\n${document.body?.innerText ?? ''}`);
  writeFileSync(join(dir, 'page.txt'), `${label}\n${text}`);
  await page.screenshot({ path: join(dir, 'page.png') });
  return dir;
}
