/**
 * The in-page half of the WebDriver locators: finds elements the way Playwright's locators do
 * (CSS with hasText, role with accessible name, text, label, placeholder, test id, nth), so the
 * e2e suites read the same in both engines. This function is sent to the page as source text
 * (WebDriver has no selector engines of its own beyond CSS), so it must be self-contained.
 */
export type TextMatch = string | { source: string; flags: string };
export type Step =
  | { kind: 'css'; selector: string; hasText?: TextMatch }
  | { kind: 'role'; role: string; name?: TextMatch; exact?: boolean; level?: number }
  | { kind: 'text'; text: TextMatch; exact?: boolean }
  | { kind: 'label'; text: TextMatch; exact?: boolean }
  | { kind: 'placeholder'; text: TextMatch; exact?: boolean }
  | { kind: 'testid'; id: string }
  | { kind: 'filter'; hasText: TextMatch }
  | { kind: 'nth'; index: number };

/** Runs in the page: the elements the steps select, in document order. */
export function queryAll(steps: Step[]): Element[] {
  const norm = (s: string | null | undefined) => (s ?? '').replace(/\s+/g, ' ').trim();
  const matches = (value: string, m: TextMatch, exact = false): boolean => {
    const v = norm(value);
    if (typeof m !== 'string') return new RegExp(m.source, m.flags).test(v);
    return exact ? v === norm(m) : v.toLowerCase().includes(norm(m).toLowerCase());
  };
  const visible = (el: Element): boolean => {
    if (el.closest('[aria-hidden="true"]')) return false;
    const style = getComputedStyle(el);
    return style.visibility !== 'hidden' && el.getClientRects().length > 0;
  };
  const textOf = (el: Element): string => el.textContent ?? '';
  const roleOf = (el: Element): string | null => {
    const explicit = el.getAttribute('role');
    if (explicit) return explicit.split(' ')[0]!;
    const tag = el.tagName.toLowerCase();
    const type = (el.getAttribute('type') ?? 'text').toLowerCase();
    switch (tag) {
      case 'button':
      case 'summary':
        return 'button';
      case 'a':
      case 'area':
        return el.hasAttribute('href') ? 'link' : null;
      case 'textarea':
        return 'textbox';
      case 'select':
        return (el as HTMLSelectElement).multiple || (el as HTMLSelectElement).size > 1 ? 'listbox' : 'combobox';
      case 'h1':
      case 'h2':
      case 'h3':
      case 'h4':
      case 'h5':
      case 'h6':
        return 'heading';
      case 'form':
        return el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby') || el.hasAttribute('name')
          ? 'form'
          : null;
      case 'section':
        return el.hasAttribute('aria-label') || el.hasAttribute('aria-labelledby') ? 'region' : null;
      case 'output':
        return 'status';
      case 'ul':
      case 'ol':
        return 'list';
      case 'li':
        return 'listitem';
      case 'nav':
        return 'navigation';
      case 'main':
        return 'main';
      case 'dialog':
        return 'dialog';
      case 'table':
        return 'table';
      case 'img':
        return 'img';
      case 'progress':
        return 'progressbar';
      case 'input':
        if (['button', 'submit', 'reset', 'image'].includes(type)) return 'button';
        if (type === 'checkbox') return 'checkbox';
        if (type === 'radio') return 'radio';
        if (type === 'range') return 'slider';
        if (type === 'search') return 'searchbox';
        if (type === 'number') return 'spinbutton';
        if (['text', 'email', 'tel', 'url', ''].includes(type)) return el.hasAttribute('list') ? 'combobox' : 'textbox';
        return null;
      default:
        return null;
    }
  };
  const labelsOf = (el: Element): string[] => {
    const out: string[] = [];
    const labelled = el.getAttribute('aria-labelledby');
    if (labelled)
      out.push(
        labelled
          .split(/\s+/)
          .map((id) => textOf(document.getElementById(id) ?? document.createElement('i')))
          .join(' '),
      );
    const aria = el.getAttribute('aria-label');
    if (aria) out.push(aria);
    const labels = (el as HTMLInputElement).labels;
    if (labels) for (const label of labels) out.push(textOf(label));
    return out;
  };
  const nameOf = (el: Element): string => {
    const labels = labelsOf(el);
    if (labels.length) return labels[0]!;
    const tag = el.tagName.toLowerCase();
    if (tag === 'input' && ['button', 'submit', 'reset'].includes((el as HTMLInputElement).type))
      return (el as HTMLInputElement).value;
    if (['input', 'textarea', 'select'].includes(tag))
      return el.getAttribute('title') ?? el.getAttribute('placeholder') ?? '';
    const role = roleOf(el);
    if (
      [
        'button',
        'link',
        'heading',
        'tab',
        'option',
        'listitem',
        'checkbox',
        'radio',
        'menuitem',
        'cell',
        'row',
      ].includes(role ?? '')
    ) {
      return textOf(el) || el.getAttribute('title') || '';
    }
    return el.getAttribute('title') ?? '';
  };
  const below = (roots: Element[], pick: (el: Element) => boolean): Element[] => {
    const found = new Set<Element>();
    for (const root of roots) for (const el of root.querySelectorAll('*')) if (pick(el)) found.add(el);
    return [...found];
  };

  let current: Element[] = [document.documentElement];
  let first = true;
  for (const step of steps) {
    const scope = first ? [document.documentElement] : current;
    const within = (pick: (el: Element) => boolean) => {
      const out = below(scope, pick);
      return first && pick(document.documentElement) ? [document.documentElement, ...out] : out;
    };
    switch (step.kind) {
      case 'css': {
        const set = new Set<Element>();
        for (const root of scope) {
          if (first && root.matches(step.selector)) set.add(root);
          for (const el of root.querySelectorAll(step.selector)) set.add(el);
        }
        current = [...set].filter((el) => step.hasText === undefined || matches(textOf(el), step.hasText));
        break;
      }
      case 'role':
        current = within(
          (el) =>
            roleOf(el) === step.role &&
            visible(el) &&
            (step.level === undefined || Number(el.getAttribute('aria-level') ?? el.tagName.slice(1)) === step.level) &&
            (step.name === undefined || matches(nameOf(el), step.name, step.exact)),
        );
        break;
      case 'text': {
        const hits = within(
          (el) =>
            visible(el) &&
            !['SCRIPT', 'STYLE', 'HEAD'].includes(el.tagName) &&
            matches(textOf(el), step.text, step.exact),
        );
        // The innermost elements holding the text, as Playwright's getByText picks.
        current = hits.filter((el) => !hits.some((other) => other !== el && el.contains(other)));
        break;
      }
      case 'label':
        current = within((el) => labelsOf(el).some((l) => matches(l, step.text, step.exact)));
        break;
      case 'placeholder':
        current = within(
          (el) => el.hasAttribute('placeholder') && matches(el.getAttribute('placeholder')!, step.text, step.exact),
        );
        break;
      case 'testid':
        current = within((el) => el.getAttribute('data-testid') === step.id);
        break;
      case 'filter':
        current = current.filter((el) => matches(textOf(el), step.hasText));
        break;
      case 'nth':
        current = step.index < 0 ? current.slice(step.index).slice(0, 1) : current.slice(step.index, step.index + 1);
        break;
    }
    first = false;
  }
  return current;
}
