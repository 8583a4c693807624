/**
 * Read-only mode of an open document (a friend shared it read-only): the document page provides
 * it, every editor reads it. Reading stays possible (views, tabs, scrolling, export, comparing
 * versions); controls that only edit are not rendered at all, fields that show a value become
 * read-only text, and the editors' write paths refuse (the relay would drop the update anyway,
 * and a local edit that never syncs would mislead).
 */
import { createContext, Show, useContext, type Accessor, type JSX } from 'solid-js';

export const ReadOnlyContext = createContext<Accessor<boolean>>(() => false);

/** Whether the document around this component is read-only (false outside a document page). */
export function useReadOnly(): Accessor<boolean> {
  return useContext(ReadOnlyContext);
}

/** Renders its children only while the document can be edited: edit-only controls are hidden, not disabled. */
export function EditOnly(props: { children: JSX.Element }) {
  const readOnly = useReadOnly();
  return <Show when={!readOnly()}>{props.children}</Show>;
}
