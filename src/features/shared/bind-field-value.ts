/**
 * Shows a shared value in a text field without fighting the person typing in it. A remote
 * change to any field re-renders the document's metadata; a plain `value={...}` binding
 * would then reset what the user has typed but not yet committed. Here the field follows the
 * shared value only when it changes, and never while the user is editing that field.
 *
 * A field whose whole text is selected (the person is about to type over it) stays wholly
 * selected when a remote value replaces it: setting `value` collapses the selection to the
 * end, so what they typed next went in beside the remote text (two people renaming a layout at
 * once ended with "Drums (Ana)Drums (Ben)" on both). Call from a `ref` (it needs the
 * component's owner).
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
        const focused = document.activeElement === el;
        const typing = focused && el.value !== shown;
        if (!typing) {
          const wholeSelected =
            focused && el.value.length > 0 && el.selectionStart === 0 && el.selectionEnd === el.value.length;
          el.value = next;
          if (wholeSelected) el.select();
        }
        shown = next;
      },
      { defer: true },
    ),
  );
}
