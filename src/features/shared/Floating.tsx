/**
 * Panels that float over the page (messages, an import's progress) share one stack at the
 * bottom, which the shell renders as the element with FLOATING_STACK_ID: stacked, they never
 * cover each other's buttons, and arriving or leaving they never move the page under the pointer.
 */
import { Portal } from 'solid-js/web';
import type { JSX } from 'solid-js';

export const FLOATING_STACK_ID = 'floating-stack';

export function Floating(props: { children: JSX.Element }) {
  return <Portal mount={document.getElementById(FLOATING_STACK_ID) ?? document.body}>{props.children}</Portal>;
}
