/**
 * Whether a page-wide transport key (Space to play, digits, arrows) should leave this key press
 * alone: typing in a field keeps its keys, Space on a button, link or disclosure keeps its own
 * meaning (it presses that control), and a key with Ctrl, Alt or Meta belongs to the browser or
 * the system. Shared by the live meter's transport and the A/B panel.
 */
export function leavesKeyAlone(e: KeyboardEvent): boolean {
  if (e.defaultPrevented || e.ctrlKey || e.altKey || e.metaKey) return true;
  const el = e.target instanceof Element ? e.target : null;
  if (!el) return false;
  return (
    !!el.closest('input, select, textarea, [contenteditable]') || (e.key === ' ' && !!el.closest('button, a, summary'))
  );
}
