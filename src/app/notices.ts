/**
 * App-wide messages: errors from anywhere (including background writes that have no caller
 * to report to) and short confirmations. A full disk gets its own wording, because the user
 * must know that what was saved before is safe and what to do next.
 */
import { createSignal, type Accessor } from 'solid-js';
import { isQuotaError, QUOTA_MESSAGE } from '../platform/storage/quota.ts';

export interface Notice {
  id: number;
  tone: 'error' | 'info';
  text: string;
}

export interface Notices {
  list: Accessor<Notice[]>;
  error(error: unknown, context?: string): void;
  info(text: string): void;
  dismiss(id: number): void;
}

export function describeError(error: unknown, context?: string): string {
  if (isQuotaError(error)) return QUOTA_MESSAGE;
  const message = error instanceof Error ? error.message : String(error);
  return context ? `${context}: ${message}` : message;
}

export function createNotices(onQuotaError: () => void = () => {}): Notices {
  const [list, setList] = createSignal<Notice[]>([]);
  let nextId = 1;
  const push = (tone: Notice['tone'], text: string) => {
    // The same message twice in a row is one notice, not a stack of them.
    if (list().some((n) => n.text === text)) return;
    const id = nextId++;
    setList((all) => [...all, { id, tone, text }]);
    if (tone === 'info') setTimeout(() => dismiss(id), 4000);
  };
  const dismiss = (id: number) => setList((all) => all.filter((n) => n.id !== id));
  return {
    list,
    error: (error, context) => {
      console.error(error);
      if (isQuotaError(error)) onQuotaError();
      push('error', describeError(error, context));
    },
    info: (text) => push('info', text),
    dismiss,
  };
}
