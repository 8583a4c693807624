/**
 * The layout editor: named layouts (tabs), a strip grid numbered as on the surface with blank
 * strips, as many as the room profile's surface has (S3: 16) and "Add strips" for more, up to
 * 256; a palette of tracks; layouts made from a Pro Tools session text; and the S3 bank-recall
 * table (A-F, Shift+A-F).
 *
 * Assigning, by mouse: drag a track onto a strip, or a strip onto another strip (the two swap).
 * By keyboard: arrow keys move between strips; Space or Enter picks up the strip's track and,
 * pressed again on another strip, drops it there (Escape cancels); Delete blanks a strip; with a
 * strip selected, activating a track in the palette puts it there and moves on to the next strip.
 *
 * Colours: the selected strip's colour is set or cleared with the swatches above the grid (one
 * undoable edit each). A colour is the strip's own attribute; when a track moves to another
 * strip (drag, Space, or placing a track that was on a strip), its colour moves with it.
 */
import { createEffect, createMemo, createSignal, For, on, onCleanup, Show, untrack } from 'solid-js';
import {
  addLayout,
  addPaletteTrack,
  carryStripColours,
  clearStrip,
  fieldConflicts,
  MAX_STRIP,
  moveStrip,
  placeTrack,
  readLayouts,
  removeLayoutTracked,
  renameLayout,
  describeRoomSurface,
  MODULE_STRIPS,
  resolveDoc,
  setStripColour,
  stripColour,
  type LayoutView,
  type RoomSurface,
} from '../../core/console/index.ts';
import { metaMap, readMeta } from '../../core/documents/meta.ts';
import { SessionToLayouts } from './SessionToLayouts.tsx';
import { CheckAgainstSession } from './CheckAgainstSession.tsx';
import { StripSheetButton } from './StripSheet.tsx';
import { MergeNotices } from './MergeNotices.tsx';
import { BankRecallTable } from './BankRecallTable.tsx';
import { TRACK_TYPE, TrackPalette } from './TrackPalette.tsx';
import { parseStripSelection, peersOn, stripSelection, type EditorContext } from './editor-context.ts';
import { PeerMarks, peerStyle } from './PeerMarks.tsx';
import { TextAction } from './TextAction.tsx';
import { StripColourPicker } from './StripColourPicker.tsx';
import { EditOnly } from '../shared/read-only.tsx';
import { bindFieldValue } from '../shared/bind-field-value.ts';
import { createStableOrder } from '../shared/create-stable-order.ts';

const COLUMNS = 8;
const STRIP_TYPE = 'application/x-mixdesk-strip';

export function LayoutEditor(props: { ctx: EditorContext }) {
  const { cd } = props.ctx;
  const doc = cd.doc;
  const layouts = createMemo(() => {
    cd.tick();
    return readLayouts(doc);
  });
  const [activeId, setActiveId] = createSignal<string | null>(null);
  const active = createMemo<LayoutView | null>(
    () => layouts().find((l) => l.id === activeId()) ?? layouts()[0] ?? null,
  );
  const [held, setHeld] = createSignal<number | null>(null);
  // The room profile lives in the document's metadata, next to the layouts.
  const [room, setRoom] = createSignal<RoomSurface | null>(readMeta(doc)?.room ?? null);
  const [docName, setDocName] = createSignal(readMeta(doc)?.name ?? '');
  const onMeta = () => {
    setRoom(readMeta(doc)?.room ?? null);
    setDocName(readMeta(doc)?.name ?? '');
  };
  metaMap(doc).observe(onMeta);
  onCleanup(() => metaMap(doc).unobserve(onMeta));
  /** Strips shown beyond the room's (or the default 32 when no room says), from "Add strips". */
  const [added, setAdded] = createSignal(0);
  const shown = () => (room()?.strips ?? 32) + added();
  // Strips added to the view belong to the layout they were added to.
  createEffect(
    on(
      () => active()?.id,
      () => setAdded(0),
      { defer: true },
    ),
  );
  const [needStrip, setNeedStrip] = createSignal(false);
  let grid!: HTMLDivElement;

  // A strip selected elsewhere (a warning, a collaborator's link) brings its layout forward.
  // Only a new selection does: choosing another layout's tab with a strip selected stays there.
  createEffect(
    on(
      () => props.ctx.selection(),
      (selection) => {
        const sel = parseStripSelection(selection);
        if (sel && sel.layout !== untrack(activeId) && untrack(layouts).some((l) => l.id === sel.layout))
          setActiveId(sel.layout);
      },
    ),
  );

  const trackAt = createMemo(() => {
    const map = new Map<number, string | null>();
    for (const s of active()?.strips ?? []) if (Number.isInteger(s.slot) && !map.has(s.slot)) map.set(s.slot, s.track);
    return map;
  });
  const colourAt = createMemo(() => {
    const map = new Map<number, string>();
    for (const s of active()?.strips ?? [])
      if (Number.isInteger(s.slot) && !map.has(s.slot) && s.colour) map.set(s.slot, s.colour);
    return map;
  });
  const slots = createMemo(() => {
    const highest = Math.max(0, ...[...trackAt().keys()].filter((s) => s <= MAX_STRIP));
    const n = Math.min(MAX_STRIP, Math.max(shown(), Math.ceil(highest / COLUMNS) * COLUMNS));
    return Array.from({ length: n }, (_, i) => i + 1);
  });
  const resolved = createMemo(() => {
    cd.tick();
    return resolveDoc(doc);
  });
  // The palette: every track of every layout, on a strip or not (a track that lost its strip in
  // a merge is here, never gone). Its buttons stay where they are while the page is open: a
  // collaborator placing a track must not move the one being clicked.
  const tracks = createStableOrder(() => {
    const seen = new Set<string>();
    for (const l of layouts()) for (const s of l.strips) if (s.track) seen.add(s.track);
    for (const t of resolved().tracks) if (t.name) seen.add(t.name);
    return [...seen];
  });
  const ed = () => ({ who: props.ctx.author(), now: Date.now() });
  const usedHere = createMemo(() => new Set([...trackAt().values()].filter((t): t is string => !!t)));
  const selectedSlot = createMemo(() => {
    const sel = parseStripSelection(props.ctx.selection());
    return sel && sel.layout === active()?.id ? sel.slot : null;
  });

  const selectSlot = (slot: number, focus = false) => {
    const layout = active();
    if (!layout) return;
    props.ctx.select(stripSelection(layout.id, slot));
    if (slot > slots().length) setAdded(Math.ceil(slot / COLUMNS) * COLUMNS - (room()?.strips ?? 32));
    if (focus) queueMicrotask(() => grid.querySelector<HTMLElement>(`[data-slot="${slot}"]`)?.focus());
  };

  /**
   * Puts a track on a strip; the track leaves the strip it was on in this layout, and its colour
   * goes with it. Blanking a strip keeps its colour (clear that with "No colour").
   */
  const assign = (slot: number, track: string | null) => {
    const layout = active();
    if (!layout) return;
    const from = track === null ? undefined : [...trackAt()].find(([s, t]) => t === track && s !== slot)?.[0];
    cd.edit(() => {
      if (track === null) clearStrip(doc, layout.id, slot, ed());
      else placeTrack(doc, layout.id, slot, track, ed());
      if (from !== undefined) carryStripColours(doc, layout.id, [[from, slot]], ed());
    });
  };
  /** Moves a strip's track to another strip; what was there goes the other way, colours too. */
  const move = (from: number, to: number) => {
    const layout = active();
    if (!layout || from === to) return;
    cd.edit(() => {
      moveStrip(doc, layout.id, from, to, ed());
      carryStripColours(
        doc,
        layout.id,
        [
          [from, to],
          [to, from],
        ],
        ed(),
      );
    });
  };
  /** Same-strip colour edits that lost to a later one (field-merge.ts), offered to take back. */
  const colourConflicts = createMemo(() => {
    cd.tick();
    const slot = selectedSlot();
    const strip = slot === null ? undefined : active()?.strips.find((s) => s.slot === slot);
    return strip ? fieldConflicts(doc, strip.id).filter((c) => c.field === 'colour') : [];
  });
  const colourSelected = (colour: string | null) => {
    const layout = active();
    const slot = selectedSlot();
    if (!layout || slot === null || cd.readOnly() || (colourAt().get(slot) ?? null) === colour) return;
    cd.edit(() => setStripColour(doc, layout.id, slot, colour, ed()));
  };

  const onStripKey = (e: KeyboardEvent, slot: number) => {
    const last = MAX_STRIP;
    // Up and down follow the grid as drawn (8 columns, 4 on narrow screens).
    const columns = getComputedStyle(grid).gridTemplateColumns.split(' ').length || COLUMNS;
    const go = (to: number) => {
      e.preventDefault();
      selectSlot(Math.max(1, Math.min(last, to)), true);
    };
    switch (e.key) {
      case 'ArrowRight':
        return go(slot + 1);
      case 'ArrowLeft':
        return go(slot - 1);
      case 'ArrowDown':
        return go(slot + columns);
      case 'ArrowUp':
        return go(slot - columns);
      case 'Home':
        return go(1);
      case 'End':
        return go(slots().length);
      case 'Escape':
        setHeld(null);
        return;
    }
    // Arrows, Home and End read; the keys below edit.
    if (cd.readOnly()) return;
    switch (e.key) {
      case 'Delete':
      case 'Backspace':
        e.preventDefault();
        assign(slot, null);
        return;
      case ' ':
      case 'Enter': {
        e.preventDefault();
        const from = held();
        if (from === null) {
          if (trackAt().get(slot)) setHeld(slot);
          selectSlot(slot);
        } else {
          move(from, slot);
          setHeld(null);
          selectSlot(slot);
        }
        return;
      }
    }
  };
  const onStripClick = (slot: number) => {
    const from = held();
    if (from !== null) {
      move(from, slot);
      setHeld(null);
    }
    selectSlot(slot);
  };
  const onDrop = (e: DragEvent, slot: number) => {
    e.preventDefault();
    if (cd.readOnly()) return;
    const track = e.dataTransfer?.getData(TRACK_TYPE);
    const strip = e.dataTransfer?.getData(STRIP_TYPE);
    if (track) assign(slot, track);
    else if (strip) move(Number(strip), slot);
    selectSlot(slot);
  };
  const accepts = (e: DragEvent) => {
    if (cd.readOnly()) return; // not a drop target: the browser shows "no drop"
    const types = [...(e.dataTransfer?.types ?? [])];
    if (types.includes(TRACK_TYPE) || types.includes(STRIP_TYPE)) e.preventDefault();
  };
  const pickTrack = (track: string) => {
    if (cd.readOnly()) return;
    const slot = selectedSlot();
    setNeedStrip(slot === null);
    if (slot === null) return;
    assign(slot, track);
    selectSlot(Math.min(MAX_STRIP, slot + 1));
  };

  const addNamedLayout = (name: string) => {
    let id = '';
    if (
      !cd.edit(() => {
        id = addLayout(doc, { name, strips: [] });
      })
    )
      return false;
    setActiveId(id);
    return true;
  };

  return (
    <div class="console-layouts">
      <div class="console-tabs" role="tablist" aria-label="Layouts">
        <For each={layouts()}>
          {(l) => (
            <button class="button" role="tab" aria-selected={active()?.id === l.id} onClick={() => setActiveId(l.id)}>
              {l.name || '(unnamed)'}
            </button>
          )}
        </For>
        <EditOnly>
          <TextAction label="New layout name" action="Add layout" onSubmit={addNamedLayout} />
        </EditOnly>
      </div>
      <EditOnly>
        <SessionToLayouts cd={cd} room={room()} onCreated={(id) => setActiveId(id)} />
        <Show when={active()}>{(layout) => <CheckAgainstSession cd={cd} layout={layout().id} ed={ed} />}</Show>
      </EditOnly>
      <MergeNotices cd={cd} />
      <Show when={active()} fallback={<p class="hint">This document has no layout yet. Add one above.</p>}>
        {(layout) => (
          <>
            <div class="toolbar">
              <label class="field">
                <span class="label">Layout name</span>
                <input
                  aria-label="Layout name"
                  readOnly={cd.readOnly()}
                  ref={(el) => bindFieldValue(el, () => layout().name)}
                  onChange={(e) => {
                    const v = e.currentTarget.value.trim();
                    if (v) cd.edit(() => renameLayout(doc, layout().id, v));
                  }}
                />
              </label>
              <Show when={layout().surface}>
                <span class="tag">{layout().surface}</span>
              </Show>
              <span class="hint" data-testid="room-surface">
                {room() ? `Room profile: ${describeRoomSurface(room()!)}` : 'No surface in the room profile'}
              </span>
              <StripSheetButton cd={cd} layout={layout()} documentName={docName()} />
              <EditOnly>
                <button
                  class="button danger"
                  onClick={() => {
                    if (confirm(`Remove the layout "${layout().name}"?`))
                      cd.edit(() => removeLayoutTracked(doc, layout().id, ed()));
                  }}
                >
                  Remove layout
                </button>
              </EditOnly>
            </div>
            <p class="hint" id="strip-help">
              <Show when={!cd.readOnly()} fallback="Arrow keys move between strips.">
                Drag a track onto a strip, or a strip onto another. Keyboard: arrows move, Space picks up and drops,
                Delete blanks; with a strip selected, choose a track to place it.
              </Show>
            </p>
            <TrackPalette
              tracks={tracks()}
              used={usedHere()}
              readOnly={cd.readOnly()}
              onPick={pickTrack}
              onAdd={(name) => {
                if (!tracks().includes(name)) cd.edit(() => addPaletteTrack(doc, layout().id, name, ed()));
              }}
            />
            <Show when={needStrip() && selectedSlot() === null}>
              <p class="console-held" role="status">
                Select a strip first, then choose its track.
              </p>
            </Show>
            <Show when={held() !== null}>
              <p class="console-held" role="status">
                Moving strip {held()} ({trackAt().get(held()!)}): choose where to drop it, Escape cancels.
              </p>
            </Show>
            <EditOnly>
              <StripColourPicker
                slot={selectedSlot()}
                track={selectedSlot() === null ? null : (trackAt().get(selectedSlot()!) ?? null)}
                colour={selectedSlot() === null ? null : (colourAt().get(selectedSlot()!) ?? null)}
                conflicts={colourConflicts()}
                onPick={colourSelected}
              />
            </EditOnly>
            <div class="console-strips" ref={grid} role="group" aria-label="Strips" aria-describedby="strip-help">
              <For each={slots()}>
                {(slot) => {
                  const id = () => stripSelection(layout().id, slot);
                  const peers = () => peersOn(props.ctx.peers(), id());
                  const track = () => trackAt().get(slot) ?? null;
                  const colour = () => stripColour(colourAt().get(slot));
                  return (
                    <button
                      class={`console-strip${track() ? '' : ' blank'}${held() === slot ? ' held' : ''}${peers().length ? ' peer-selected' : ''}${colour() ? ' coloured' : ''}`}
                      data-slot={slot}
                      data-colour={colour()?.value}
                      aria-pressed={selectedSlot() === slot}
                      tabIndex={(selectedSlot() ?? 1) === slot ? 0 : -1}
                      aria-label={`Strip ${slot}: ${track() ?? 'blank'}${colour() ? `, ${colour()!.name}` : ''}`}
                      style={{ ...peerStyle(peers()), ...(colour() ? { '--strip-colour': colour()!.css } : {}) }}
                      draggable={!!track() && !cd.readOnly()}
                      onDragStart={(e) => {
                        e.dataTransfer!.setData(STRIP_TYPE, String(slot));
                        e.dataTransfer!.effectAllowed = 'move';
                      }}
                      onDragOver={accepts}
                      onDrop={(e) => onDrop(e, slot)}
                      onClick={() => onStripClick(slot)}
                      onKeyDown={(e) => onStripKey(e, slot)}
                    >
                      <span class="console-strip-number">{slot}</span>
                      <span class="console-strip-track">{track() ?? '—'}</span>
                      <PeerMarks peers={peers()} />
                    </button>
                  );
                }}
              </For>
            </div>
            <Show when={slots().length < MAX_STRIP}>
              <button
                class="button"
                onClick={() => setAdded(Math.min(MAX_STRIP, slots().length + MODULE_STRIPS) - (room()?.strips ?? 32))}
              >
                Add strips
              </button>
            </Show>
          </>
        )}
      </Show>
      <BankRecallTable cd={cd} layouts={layouts()} />
    </div>
  );
}
