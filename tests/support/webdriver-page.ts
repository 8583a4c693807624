/**
 * The browser-driver seam's Page and Locator over W3C WebDriver (WebKit). They implement the
 * part of Playwright's Page/Locator API the e2e suites use, with Playwright's meanings (locators
 * are re-resolved on every use, actions wait for a visible element, getByRole matches the
 * accessible name case-insensitively unless exact), so a suite reads the same in both engines.
 * Elements are found in the page by dom-query.ts; clicks, typing, key presses, drags and file
 * picks are real WebDriver input (Element Click / Send Keys / Actions), not synthetic events.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { queryAll, type Step, type TextMatch } from './dom-query.ts';
import { WebDriverError, type WebDriverSession } from './webdriver.ts';

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';
type ElementRef = { [ELEMENT]: string };
const DEFAULT_TIMEOUT = 30_000;

const KEYS: Record<string, string> = {
  Enter: '\uE007',
  Tab: '\uE004',
  Backspace: '\uE003',
  Escape: '\uE00C',
  Space: '\uE00D',
  ' ': '\uE00D',
  ArrowLeft: '\uE012',
  ArrowUp: '\uE013',
  ArrowRight: '\uE014',
  ArrowDown: '\uE015',
  Delete: '\uE017',
  Home: '\uE011',
  End: '\uE010',
  PageUp: '\uE00E',
  PageDown: '\uE00F',
  Shift: '\uE008',
  Control: '\uE009',
  Alt: '\uE00A',
  Meta: '\uE03D',
};
const keyCode = (key: string) => KEYS[key] ?? key;

const textMatch = (m: string | RegExp): TextMatch => (typeof m === 'string' ? m : { source: m.source, flags: m.flags });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Everything a profile gives its pages: the session, commands in a given window, and URL mapping through the offline proxy. */
export interface PageHost {
  session: WebDriverSession;
  /** Runs `work` (session commands) with `handle` as the current window, never interleaved with another page's. */
  inWindow<T>(handle: string, work: () => Promise<T>): Promise<T>;
  toBrowserUrl(url: string): Promise<string>;
  closePage(handle: string): Promise<void>;
}

type Fn = string | ((...args: never[]) => unknown);

export class WebDriverPage {
  readonly keyboard = {
    press: (key: string) => this.pressKeys(key),
    type: async (text: string) => {
      for (const ch of text) await this.pressKeys(ch);
    },
  };

  constructor(
    private readonly host: PageHost,
    readonly handle: string,
  ) {}

  async command<T>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    return this.host.inWindow(this.handle, () => this.host.session.command<T>(method, path, body));
  }

  /** Runs `body` (a function body) in the page with the element finder at hand as `queryAll`. */
  script<T>(body: string, args: unknown[] = []): Promise<T> {
    const prelude = `var __name = (f) => f; const queryAll = (${queryAll.toString()});`;
    return this.command<T>('POST', '/execute/sync', { script: `${prelude}\n${body}`, args });
  }

  async evaluate<T = unknown>(fn: Fn, arg?: unknown): Promise<T> {
    // A string is an expression, as in Playwright. It goes into the script body itself: an eval
    // inside the page would be refused by the app's Content-Security-Policy (no 'unsafe-eval').
    if (typeof fn === 'string') return this.script<T>(`return (${fn}\n);`);
    return this.script<T>(`return (async () => (${fn.toString()})(arguments[0]))();`, [arg ?? null]);
  }

  async goto(url: string): Promise<null> {
    await this.command('POST', '/url', { url: await this.host.toBrowserUrl(url) });
    await this.refreshUrl();
    return null;
  }

  async reload(): Promise<null> {
    await this.command('POST', '/refresh');
    await this.refreshUrl();
    return null;
  }

  /** The page's current URL (through the profile's offline proxy, so relative URLs resolve as the browser sees them). */
  url(): string {
    return this.lastUrl;
  }
  private lastUrl = 'about:blank';
  async refreshUrl(): Promise<string> {
    this.lastUrl = await this.command<string>('GET', '/url');
    return this.lastUrl;
  }

  async waitForURL(pattern: RegExp | string, options: { timeout?: number } = {}): Promise<void> {
    const deadline = Date.now() + (options.timeout ?? DEFAULT_TIMEOUT);
    for (;;) {
      const url = await this.refreshUrl();
      if (typeof pattern === 'string' ? url === pattern : pattern.test(url)) return;
      if (Date.now() > deadline) throw new Error(`waitForURL ${pattern}: still at ${url}`);
      await sleep(100);
    }
  }

  async waitForTimeout(ms: number): Promise<void> {
    await sleep(ms);
  }

  async waitForFunction(fn: Fn, arg?: unknown, options: { timeout?: number; polling?: number } = {}): Promise<unknown> {
    const deadline = Date.now() + (options.timeout ?? DEFAULT_TIMEOUT);
    for (;;) {
      const value = await this.evaluate(fn, arg).catch((e: unknown) => {
        if (e instanceof WebDriverError && e.error === 'javascript error') return false;
        throw e;
      });
      if (value) return value;
      if (Date.now() > deadline)
        throw new Error(
          `waitForFunction timed out after ${options.timeout ?? DEFAULT_TIMEOUT} ms: ${String(fn).slice(0, 120)}`,
        );
      await sleep(options.polling ?? 100);
    }
  }

  /** Viewport screenshot, or the whole document with fullPage (WebDriver's element screenshot of <html>). */
  async screenshot(options: { path?: string; fullPage?: boolean } = {}): Promise<Buffer> {
    let b64: string;
    if (options.fullPage) {
      const html = await this.script<ElementRef>('return document.documentElement;');
      b64 = await this.command<string>('GET', `/element/${html[ELEMENT]}/screenshot`);
    } else b64 = await this.command<string>('GET', '/screenshot');
    const bytes = Buffer.from(b64, 'base64');
    if (options.path) {
      mkdirSync(dirname(options.path), { recursive: true });
      writeFileSync(options.path, bytes);
    }
    return bytes;
  }

  /** Sizes the window so the page's viewport (innerWidth x innerHeight) is exactly this. */
  async setViewportSize(size: { width: number; height: number }): Promise<void> {
    for (let attempt = 0; attempt < 4; attempt++) {
      const inner = await this.script<{ w: number; h: number }>('return { w: innerWidth, h: innerHeight };');
      if (inner.w === size.width && inner.h === size.height) return;
      const rect = await this.command<{ width: number; height: number }>('GET', '/window/rect');
      await this.command('POST', '/window/rect', {
        width: rect.width + size.width - inner.w,
        height: rect.height + size.height - inner.h,
      });
      await sleep(100);
    }
  }

  async pressKeys(combo: string): Promise<void> {
    const parts = combo === '+' ? ['+'] : combo.split('+');
    const key = keyCode(parts.pop()!);
    const mods = parts.map(keyCode);
    const actions = [
      ...mods.map((value) => ({ type: 'keyDown', value })),
      { type: 'keyDown', value: key },
      { type: 'keyUp', value: key },
      ...[...mods].reverse().map((value) => ({ type: 'keyUp', value })),
    ];
    await this.command('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions }] });
    await this.command('DELETE', '/actions');
  }

  /** Playwright's page events: dialogs are accepted by the session's prompt behaviour; console and page errors are not reported over WebDriver. */
  on(_event: string, _handler: unknown): this {
    return this;
  }

  async close(): Promise<void> {
    await this.host.closePage(this.handle);
  }

  locator(selector: string, options: { hasText?: string | RegExp } = {}): WebDriverLocator {
    return new WebDriverLocator(this, [
      { kind: 'css', selector, ...(options.hasText !== undefined ? { hasText: textMatch(options.hasText) } : {}) },
    ]);
  }
  getByRole(role: string, options: { name?: string | RegExp; exact?: boolean; level?: number } = {}): WebDriverLocator {
    return new WebDriverLocator(this, []).getByRole(role, options);
  }
  getByText(text: string | RegExp, options: { exact?: boolean } = {}): WebDriverLocator {
    return new WebDriverLocator(this, []).getByText(text, options);
  }
  getByLabel(text: string | RegExp, options: { exact?: boolean } = {}): WebDriverLocator {
    return new WebDriverLocator(this, []).getByLabel(text, options);
  }
  getByPlaceholder(text: string | RegExp, options: { exact?: boolean } = {}): WebDriverLocator {
    return new WebDriverLocator(this, []).getByPlaceholder(text, options);
  }
  getByTestId(id: string): WebDriverLocator {
    return new WebDriverLocator(this, []).getByTestId(id);
  }
}

export class WebDriverLocator {
  constructor(
    private readonly page: WebDriverPage,
    readonly steps: Step[],
  ) {}

  private with(step: Step): WebDriverLocator {
    return new WebDriverLocator(this.page, [...this.steps, step]);
  }
  locator(selector: string, options: { hasText?: string | RegExp } = {}): WebDriverLocator {
    return this.with({
      kind: 'css',
      selector,
      ...(options.hasText !== undefined ? { hasText: textMatch(options.hasText) } : {}),
    });
  }
  getByRole(role: string, options: { name?: string | RegExp; exact?: boolean; level?: number } = {}): WebDriverLocator {
    return this.with({
      kind: 'role',
      role,
      ...(options.name !== undefined ? { name: textMatch(options.name) } : {}),
      ...(options.exact ? { exact: true } : {}),
      ...(options.level ? { level: options.level } : {}),
    });
  }
  getByText(text: string | RegExp, options: { exact?: boolean } = {}): WebDriverLocator {
    return this.with({ kind: 'text', text: textMatch(text), ...(options.exact ? { exact: true } : {}) });
  }
  getByLabel(text: string | RegExp, options: { exact?: boolean } = {}): WebDriverLocator {
    return this.with({ kind: 'label', text: textMatch(text), ...(options.exact ? { exact: true } : {}) });
  }
  getByPlaceholder(text: string | RegExp, options: { exact?: boolean } = {}): WebDriverLocator {
    return this.with({ kind: 'placeholder', text: textMatch(text), ...(options.exact ? { exact: true } : {}) });
  }
  getByTestId(id: string): WebDriverLocator {
    return this.with({ kind: 'testid', id });
  }
  filter(options: { hasText?: string | RegExp }): WebDriverLocator {
    return options.hasText === undefined ? this : this.with({ kind: 'filter', hasText: textMatch(options.hasText) });
  }
  first(): WebDriverLocator {
    return this.with({ kind: 'nth', index: 0 });
  }
  last(): WebDriverLocator {
    return this.with({ kind: 'nth', index: -1 });
  }
  nth(index: number): WebDriverLocator {
    return this.with({ kind: 'nth', index });
  }

  /** Runs `body` with `els` (the matched elements) and `args`. */
  private run<T>(body: string, args: unknown[] = []): Promise<T> {
    return this.page.script<T>(`const els = queryAll(arguments[0]); const args = arguments[1];\n${body}`, [
      this.steps,
      args,
    ]);
  }

  async count(): Promise<number> {
    return this.run<number>('return els.length;');
  }

  /** Waits for the first match in `state`; returns it (as a WebDriver element) when it is there. */
  async waitFor(
    options: { state?: 'attached' | 'detached' | 'visible' | 'hidden'; timeout?: number } = {},
  ): Promise<void> {
    await this.waitForElement(options.state ?? 'visible', options.timeout);
  }

  async waitForElement(
    state: 'attached' | 'detached' | 'visible' | 'hidden',
    timeout = DEFAULT_TIMEOUT,
  ): Promise<ElementRef | null> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const found = await this.run<{ el: ElementRef | null; visible: boolean }>(`
        const el = els[0] ?? null;
        const visible = !!el && getComputedStyle(el).visibility !== 'hidden' && el.getClientRects().length > 0;
        return { el, visible };`);
      const ok =
        state === 'attached'
          ? !!found.el
          : state === 'detached'
            ? !found.el
            : state === 'visible'
              ? found.visible
              : !found.visible;
      if (ok) return found.el;
      if (Date.now() > deadline)
        throw new Error(`waiting for ${JSON.stringify(this.steps)} to be ${state}: timed out after ${timeout} ms`);
      await sleep(100);
    }
  }

  /** An action on an element: waits for it to be visible, retries while the page is still moving (intercepted, stale). */
  private async act(
    action: (el: ElementRef) => Promise<void>,
    state: 'visible' | 'attached' = 'visible',
    timeout = DEFAULT_TIMEOUT,
  ): Promise<void> {
    const deadline = Date.now() + timeout;
    for (;;) {
      const el = (await this.waitForElement(state, Math.max(1, deadline - Date.now())))!;
      try {
        await action(el);
        return;
      } catch (error) {
        const retry =
          error instanceof WebDriverError &&
          ['element click intercepted', 'stale element reference', 'element not interactable'].includes(error.error);
        if (!retry || Date.now() > deadline) throw error;
        await sleep(100);
      }
    }
  }

  async click(options: { timeout?: number } = {}): Promise<void> {
    // Centred first: WebDriver scrolls a target only until it shows, often under the sticky header.
    await this.act(
      async (el) => {
        await this.run('els[0].scrollIntoView({ block: "center", inline: "nearest" });');
        await this.page.command('POST', `/element/${el[ELEMENT]}/click`);
      },
      'visible',
      options.timeout,
    );
    await this.page.refreshUrl();
  }

  /** Touch is not in WebKitGTK's WebDriver input sources; a tap is a click at the same spot (see docs/browsers.md). */
  async tap(): Promise<void> {
    await this.click();
  }

  async focus(): Promise<void> {
    await this.act(async () => {
      await this.run('els[0].focus();');
    }, 'attached');
  }

  /** Replaces the value as typing does: select what is there, then type (real key events), or delete it for ''. */
  async fill(value: string): Promise<void> {
    await this.act(async (el) => {
      // Typing is not atomic as Playwright's fill is: a remote edit landing between the select and
      // the keys (two people on one field) leaves a mix, so select and type again, a few times.
      let now = '';
      for (let attempt = 0; attempt < 3; attempt++) {
        await this.run('const e = els[0]; e.focus(); if (typeof e.select === "function") e.select();');
        await this.page.command('POST', `/element/${el[ELEMENT]}/value`, {
          text: value === '' ? KEYS.Backspace : value,
        });
        now = await this.run<string>('return els[0].value;');
        if (now === value) return;
      }
      throw new Error(`fill: the field holds "${now}", not "${value}"`);
    });
  }

  /** Types each character as a key press where the caret is, keeping what the field holds (Playwright's pressSequentially). */
  async pressSequentially(text: string): Promise<void> {
    await this.act(async (el) => {
      await this.page.command('POST', `/element/${el[ELEMENT]}/value`, { text });
    });
  }

  async press(key: string): Promise<void> {
    await this.focus();
    await this.page.pressKeys(key);
  }

  async selectOption(value: string): Promise<string[]> {
    await this.act(async () => {
      const ok = await this.run<boolean>(
        `
        const select = els[0];
        const option = [...select.options].find((o) => o.value === args[0] || o.label === args[0]);
        if (!option) return false;
        select.value = option.value;
        select.dispatchEvent(new Event('input', { bubbles: true }));
        select.dispatchEvent(new Event('change', { bubbles: true }));
        return true;`,
        [value],
      );
      if (!ok) throw new Error(`selectOption: no option "${value}"`);
    });
    return [value];
  }

  /** Picks files (paths on disk, a folder, or in-memory files written to a temp folder first) with Send Keys on the file input. */
  async setInputFiles(files: string | string[] | { name: string; mimeType?: string; buffer: Buffer }): Promise<void> {
    let paths: string[];
    if (typeof files === 'string') paths = [files];
    else if (Array.isArray(files)) paths = files;
    else {
      const path = join(mkdtempSync(join(tmpdir(), 'mixdesk-upload-')), files.name);
      writeFileSync(path, files.buffer);
      paths = [path];
    }
    await this.act(
      (el) => this.page.command('POST', `/element/${el[ELEMENT]}/value`, { text: paths.join('\n') }),
      'attached',
    );
  }

  /**
   * HTML drag and drop from this element onto the target. WebKitGTK does not start an HTML drag
   * from WebDriver's synthesized pointer input (press, move, release leave the page untouched),
   * so the page gets the drag's events in order (dragstart, dragenter, dragover, drop, dragend)
   * with one DataTransfer, as the engine would send them; the app's own handlers do the rest.
   */
  async dragTo(target: WebDriverLocator): Promise<void> {
    await this.waitForElement('visible');
    await target.waitForElement('visible');
    await this.page.script(
      `
      const from = queryAll(arguments[0])[0], to = queryAll(arguments[1])[0];
      const dataTransfer = new DataTransfer();
      const at = (el) => { const r = el.getBoundingClientRect(); return { clientX: r.x + r.width / 2, clientY: r.y + r.height / 2 }; };
      const fire = (el, type) => el.dispatchEvent(new DragEvent(type, { dataTransfer, bubbles: true, cancelable: true, ...at(el) }));
      fire(from, 'dragstart');
      fire(to, 'dragenter');
      fire(to, 'dragover');
      fire(to, 'drop');
      fire(from, 'dragend');`,
      [this.steps, target.steps],
    );
  }

  async dispatchEvent(type: string): Promise<void> {
    await this.act(async () => {
      await this.run('els[0].dispatchEvent(new Event(args[0], { bubbles: true }));', [type]);
    }, 'attached');
  }

  private async read<T>(body: string, args: unknown[] = []): Promise<T> {
    await this.waitForElement('attached');
    return this.run<T>(body, args);
  }
  textContent(): Promise<string | null> {
    return this.read('return els[0].textContent;');
  }
  innerText(): Promise<string> {
    return this.read('return els[0].innerText;');
  }
  inputValue(): Promise<string> {
    return this.read('return els[0].value;');
  }
  getAttribute(name: string): Promise<string | null> {
    return this.read('return els[0].getAttribute(args[0]);', [name]);
  }
  isVisible(): Promise<boolean> {
    return this.run(
      'const el = els[0]; return !!el && getComputedStyle(el).visibility !== "hidden" && el.getClientRects().length > 0;',
    );
  }
  allTextContents(): Promise<string[]> {
    return this.run('return els.map((e) => e.textContent ?? "");');
  }
  allInnerTexts(): Promise<string[]> {
    return this.run('return els.map((e) => e.innerText);');
  }

  async evaluate<T>(fn: (el: Element, arg: never) => T | Promise<T>, arg?: unknown): Promise<T> {
    await this.waitForElement('attached');
    return this.run<T>(`return (async () => (${fn.toString()})(els[0], args[0]))();`, [arg ?? null]);
  }
  async evaluateAll<T>(fn: (els: Element[], arg: never) => T | Promise<T>, arg?: unknown): Promise<T> {
    return this.run<T>(`return (async () => (${fn.toString()})(els, args[0]))();`, [arg ?? null]);
  }
}
