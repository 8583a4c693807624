/**
 * Shows a shared value in a text field without fighting the person typing in it. A remote
 * change to any field re-renders the document's metadata; a plain `value={...}` binding
 * would then reset what the user has typed but not yet committed. Here the field follows the
 * shared value only when it changes, and never while the user is editing that field.
 * Call from a `ref` (it needs the component's owner).
 */
import { createEffect, createMemo, on, type Accessor } from 'solid-js';

export function bindFieldValue(el: HTMLInputElement | HTMLTextAreaElement, value: Accessor<string>): void {
  const shared = createMemo(value);
  let shown = shared();
  el.value = shown;
  createEffect(
    on(
      shared,
      (next) => {
        const typing = document.activeElement === el && el.value !== shown;
        if (!typing) el.value = next;
        shown = next;
      },
      { defer: true },
    ),
  );
}
