/**
 * Any XML: a tree of elements (select, expand) beside the raw XML as it will be exported (and
 * editable, RawXmlEditor.tsx), and
 * an inspector for the selected element: attributes in their order (edit, remove, add), text,
 * add a child element, move up or down among its siblings, remove.
 */
import { createMemo, createSignal, For, Show } from 'solid-js';
import {
  attributes,
  childElements,
  childNodes,
  getText,
  insertElement,
  moveNode,
  nodeExists,
  nodeName,
  nodePath,
  parentNode,
  removeAttribute,
  removeNode,
  rootElement,
  setAttribute,
  setText,
  type NodeId,
} from '../../core/xml/index.ts';
import { nodeSelection, peersOn, type EditorContext } from './editor-context.ts';
import { EditOnly } from '../shared/read-only.tsx';
import { PeerMarks, peerStyle } from './PeerMarks.tsx';
import { RawXmlEditor } from './RawXmlEditor.tsx';
import { TextAction } from './TextAction.tsx';

/** Moves the tree's focus to `item` (a treeitem) and selects its element: selection follows focus. */
function focusTreeItem(item: Element | null, ctx: EditorContext): void {
  if (!(item instanceof HTMLElement)) return;
  const id = item.dataset.treeNode;
  if (id) ctx.select(nodeSelection(id));
  item.focus();
}

/** Up, Down, Home and End over the visible treeitems (collapsed children are not rendered). */
function onTreeKeyDown(e: KeyboardEvent & { currentTarget: HTMLElement }, ctx: EditorContext): void {
  const moves: Record<string, (i: number, n: number) => number> = {
    ArrowDown: (i, n) => Math.min(n - 1, i + 1),
    ArrowUp: (i) => Math.max(0, i - 1),
    Home: () => 0,
    End: (_, n) => n - 1,
  };
  const move = moves[e.key];
  const current = e.target instanceof HTMLElement ? e.target.closest('[role="treeitem"]') : null;
  if (!move || !current) return;
  e.preventDefault();
  const items = [...e.currentTarget.querySelectorAll('[role="treeitem"]')];
  focusTreeItem(items[move(items.indexOf(current), items.length)] ?? null, ctx);
}

function TreeNode(props: { ctx: EditorContext; id: NodeId; depth: number }) {
  const { cd } = props.ctx;
  const doc = cd.doc;
  const [open, setOpen] = createSignal(props.depth < 2);
  const kids = createMemo(() => {
    cd.tick();
    return nodeExists(doc, props.id) ? childElements(doc, props.id) : [];
  });
  const label = createMemo(() => {
    cd.tick();
    if (!nodeExists(doc, props.id)) return '';
    const attrs = attributes(doc, props.id)
      .slice(0, 3)
      .map((a) => `${a.name}="${a.value.length > 24 ? a.value.slice(0, 24) + '…' : a.value}"`)
      .join(' ');
    const tag = `<${nodeName(doc, props.id)}${attrs ? ' ' + attrs : ''}>`;
    if (childElements(doc, props.id).length) return tag;
    const text = getText(doc, props.id).trim();
    return text ? `${tag} ${text.length > 40 ? text.slice(0, 40) + '…' : text}` : tag;
  });
  const peers = () => peersOn(props.ctx.peers(), nodeSelection(props.id));
  const selected = () => props.ctx.selection() === nodeSelection(props.id);
  // Right opens a closed node, else goes to its first child; Left closes an open node, else goes
  // to its parent (WAI-ARIA tree). Up, Down, Home and End are the tree's (TreeEditor).
  const onKeyDown = (e: KeyboardEvent & { currentTarget: HTMLLIElement }) => {
    if (!(e.target instanceof Element) || e.target.closest('[role="treeitem"]') !== e.currentTarget) return;
    if (e.key === 'ArrowRight' && kids().length) {
      e.preventDefault();
      if (!open()) setOpen(true);
      else focusTreeItem(e.currentTarget.querySelector('[role="treeitem"]'), props.ctx);
    } else if (e.key === 'ArrowLeft') {
      e.preventDefault();
      if (open() && kids().length) setOpen(false);
      else focusTreeItem(e.currentTarget.parentElement?.closest('[role="treeitem"]') ?? null, props.ctx);
    } else if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      if (kids().length) setOpen(!open());
    }
  };
  return (
    <li
      role="treeitem"
      aria-expanded={kids().length ? open() : undefined}
      aria-selected={selected()}
      aria-label={label()}
      data-tree-node={props.id}
      // Roving tab stop: the selected element, or the root while nothing is selected.
      tabindex={selected() || (props.depth === 0 && !props.ctx.selection()?.startsWith('node:')) ? 0 : -1}
      onKeyDown={onKeyDown}
    >
      <div class="console-tree-row">
        <Show when={kids().length} fallback={<span class="console-tree-toggle" />}>
          <button
            class="console-tree-toggle"
            tabindex={-1}
            aria-label={open() ? 'Collapse' : 'Expand'}
            onClick={() => setOpen(!open())}
          >
            {open() ? '▾' : '▸'}
          </button>
        </Show>
        <button
          class={`console-tree-label${peers().length ? ' peer-selected' : ''}`}
          tabindex={-1}
          data-node-id={props.id}
          style={peerStyle(peers())}
          onClick={() => props.ctx.select(nodeSelection(props.id))}
        >
          {label()}
        </button>
        <PeerMarks peers={peers()} />
      </div>
      <Show when={open() && kids().length}>
        <ul role="group">
          <For each={kids()}>{(c) => <TreeNode ctx={props.ctx} id={c} depth={props.depth + 1} />}</For>
        </ul>
      </Show>
    </li>
  );
}

function ElementInspector(props: { ctx: EditorContext; id: NodeId }) {
  const { cd } = props.ctx;
  const doc = cd.doc;
  const attrs = createMemo(() => {
    cd.tick();
    return attributes(doc, props.id);
  });
  const leaf = createMemo(() => {
    cd.tick();
    return childElements(doc, props.id).length === 0;
  });
  const text = createMemo(() => {
    cd.tick();
    return getText(doc, props.id);
  });
  const isRoot = () => rootElement(doc) === props.id;
  let newName!: HTMLInputElement;
  let newValue!: HTMLInputElement;

  /** Index among the parent's children, counted without the node and the blank text before it (moveNode's convention). */
  const moveBy = (delta: -1 | 1) => {
    const parent = parentNode(doc, props.id);
    if (!parent) return;
    const siblings = childElements(doc, parent);
    const target = siblings[siblings.indexOf(props.id) + delta];
    if (!target) return;
    const all = childNodes(doc, parent);
    const before = all[all.indexOf(props.id) - 1];
    const skip = new Set([
      props.id,
      ...(before && nodeName(doc, before) === null && getText(doc, before).trim() === '' ? [before] : []),
    ]);
    const others = all.filter((c) => !skip.has(c));
    let at = others.indexOf(target) + (delta > 0 ? 1 : 0);
    // Going up, land before the blank text that precedes the target so indentation stays put.
    if (delta < 0) {
      const ws = others[at - 1];
      if (ws && nodeName(doc, ws) === null && getText(doc, ws).trim() === '') at -= 1;
    }
    cd.edit(() => moveNode(doc, props.id, parent, at));
  };

  return (
    <section class="card console-inspector" aria-label="Element">
      <h3>
        <code>&lt;{nodeName(doc, props.id)}&gt;</code>
      </h3>
      <p class="hint console-path">{nodePath(doc, props.id)}</p>
      <h4>Attributes</h4>
      <ul class="console-attrs">
        <For each={attrs()} fallback={<li class="hint">No attributes.</li>}>
          {(a) => (
            <li class="console-attr">
              <label class="field grow">
                <span class="label">{a.name}</span>
                <input
                  aria-label={`Attribute ${a.name}`}
                  readOnly={cd.readOnly()}
                  value={a.value}
                  onChange={(e) => {
                    const v = e.currentTarget.value;
                    cd.edit(() => setAttribute(doc, props.id, a.name, v));
                  }}
                />
              </label>
              <EditOnly>
                <button
                  class="button icon danger"
                  aria-label={`Remove attribute ${a.name}`}
                  onClick={() => cd.edit(() => removeAttribute(doc, props.id, a.name))}
                >
                  ×
                </button>
              </EditOnly>
            </li>
          )}
        </For>
      </ul>
      <EditOnly>
        <form
          class="console-inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            const n = newName.value.trim();
            if (n && cd.edit(() => setAttribute(doc, props.id, n, newValue.value))) {
              newName.value = '';
              newValue.value = '';
            }
          }}
        >
          <input ref={newName} aria-label="New attribute name" placeholder="Name" />
          <input ref={newValue} aria-label="New attribute value" placeholder="Value" />
          <button class="button" type="submit">
            Add attribute
          </button>
        </form>
      </EditOnly>
      <Show when={leaf()}>
        <label class="field">
          <span class="label">Text</span>
          <textarea
            aria-label="Element text"
            readOnly={cd.readOnly()}
            rows={2}
            value={text()}
            onChange={(e) => {
              const v = e.currentTarget.value;
              cd.edit(() => setText(doc, props.id, v));
            }}
          />
        </label>
      </Show>
      <EditOnly>
        <TextAction
          label="New child element name"
          placeholder="Element name"
          action="Add child"
          onSubmit={(n) => {
            let id = '';
            if (
              !cd.edit(() => {
                id = insertElement(doc, props.id, childNodes(doc, props.id).length, n);
              })
            )
              return false;
            props.ctx.select(nodeSelection(id));
            return true;
          }}
        />
        <Show when={!isRoot()}>
          <div class="row-actions console-left">
            <button class="button" onClick={() => moveBy(-1)}>
              Move up
            </button>
            <button class="button" onClick={() => moveBy(1)}>
              Move down
            </button>
            <button
              class="button danger"
              onClick={() => {
                const parent = parentNode(doc, props.id);
                if (cd.edit(() => removeNode(doc, props.id))) props.ctx.select(parent ? nodeSelection(parent) : null);
              }}
            >
              Remove element
            </button>
          </div>
        </Show>
      </EditOnly>
    </section>
  );
}

export function TreeEditor(props: { ctx: EditorContext }) {
  const { cd } = props.ctx;
  const doc = cd.doc;
  const root = createMemo(() => {
    cd.tick();
    return rootElement(doc);
  });
  const selected = createMemo(() => {
    cd.tick();
    const sel = props.ctx.selection();
    const id = sel?.startsWith('node:') ? sel.slice(5) : sel?.startsWith('key:') ? sel.slice(4) : null;
    return id && nodeExists(doc, id) && nodeName(doc, id) !== null ? id : null;
  });
  return (
    <div class="console-tree-view">
      <div class="console-tree-pane">
        <ul class="console-tree" role="tree" aria-label="XML elements" onKeyDown={(e) => onTreeKeyDown(e, props.ctx)}>
          <TreeNode ctx={props.ctx} id={root()} depth={0} />
        </ul>
        <Show
          when={selected()}
          fallback={<p class="hint">Select an element to {cd.readOnly() ? 'inspect' : 'edit'} it.</p>}
        >
          {(id) => <ElementInspector ctx={props.ctx} id={id()} />}
        </Show>
      </div>
      <RawXmlEditor ctx={props.ctx} />
    </div>
  );
}
