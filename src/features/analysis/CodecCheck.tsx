/**
 * "Codec check…" under a report's normalisation preview: the platform's delivery codec applied
 * to the mix and decoded back, in the codec worker with progress and cancel, and one sentence
 * ("After Apple Music's AAC 256 kbit/s: +0.6 dBTP (was -0.3 dBTP), 12 overs at 1:12 and 2:40;
 * …; lower the ceiling to -1.5 dBTP."). The report keeps the figures of the newest check per
 * platform (codec-history.ts), never the audio, so the mix is chosen again for a new check.
 * Where this browser cannot encode the codec, it says so before a file is chosen, and names
 * the terminal command that can.
 */
import { createResource, createSignal, Match, onCleanup, Show, Switch } from 'solid-js';
import type * as Y from 'yjs';
import type { CodecJobOutcome } from '../../core/analysis/codec-contract.ts';
import { CODEC_LABEL, type CodecCheckRecord } from '../../core/codec/codec-check.ts';
import { findTarget } from '../../core/diagnostics/delivery-targets.ts';
import { makeCodecClient, type CodecRun } from '../../platform/analysis/codec-client.ts';
import { addCodecCheck, codecChecks, latestCodecCheck } from './codec-history.ts';

type State =
  | { status: 'idle' }
  | { status: 'running'; percent: number; run: CodecRun }
  | { status: 'failed'; message: string }
  | { status: 'cancelled' };

let shared: ReturnType<typeof makeCodecClient> | null = null;
/** One codec worker for the page, started on first use. */
const client = () => (shared ??= makeCodecClient());

export function CodecCheck(props: {
  doc: Y.Doc;
  platformId: string;
  sampleRate: number;
  channels: number;
  readOnly: boolean;
}) {
  const platform = () => {
    const t = findTarget(props.platformId);
    return t && t.kind === 'streaming' ? t : null;
  };
  const [open, setOpen] = createSignal(false);
  const [state, setState] = createSignal<State>({ status: 'idle' });
  const [fresh, setFresh] = createSignal<CodecCheckRecord | null>(null);
  const [saved, setSaved] = createSignal(latestCodecCheck(props.doc, props.platformId));
  const list = codecChecks(props.doc);
  const refresh = () => setSaved(latestCodecCheck(props.doc, props.platformId));
  list.observe(refresh);
  onCleanup(() => {
    list.unobserve(refresh);
    const s = state();
    if (s.status === 'running') s.run.cancel();
  });
  const [reason] = createResource(
    () => (open() ? { id: props.platformId, rate: props.sampleRate, ch: props.channels } : null),
    (k) => client().unavailable(k.id, k.rate, Math.min(2, k.ch)),
  );
  // The result on screen: this session's check, else the report's newest one for the platform.
  const shown = () => {
    const f = fresh();
    return f && f.platformId === props.platformId ? f : (saved() ?? latestCodecCheck(props.doc, props.platformId));
  };

  const start = (file: File) => {
    const id = props.platformId;
    const run = client().check(file, file.name, id, (percent) => {
      const s = state();
      if (s.status === 'running') setState({ ...s, percent });
    });
    setState({ status: 'running', percent: 0, run });
    void run.outcome.then(
      (o: CodecJobOutcome) => {
        if (o.ok) {
          if (!props.readOnly) addCodecCheck(props.doc, o.record);
          setFresh(o.record);
          setState({ status: 'idle' });
        } else setState(o.reason === 'cancelled' ? { status: 'cancelled' } : { status: 'failed', message: o.message });
      },
      (e: unknown) => setState({ status: 'failed', message: e instanceof Error ? e.message : String(e) }),
    );
  };

  return (
    <Show when={platform()}>
      {(p) => (
        <div class="codec-check" aria-label="Codec check">
          <Show when={shown()}>
            {(r) => (
              <p class="preview" data-codec-result={r().after.oversAbove0 > 0 ? 'overs' : 'clean'} role="status">
                {r().sentence}{' '}
                <span class="hint codec-meta">
                  Checked {new Date(r().checkedAt).toLocaleString()} on {r().inputName} with {r().encoder}.
                </span>
              </p>
            )}
          </Show>
          <button class="button" type="button" aria-expanded={open()} onClick={() => setOpen(!open())}>
            Codec check…
          </button>
          <Show when={open()}>
            <Show
              when={reason.state === 'ready' && reason() === null}
              fallback={
                <Show when={reason.state === 'ready' && reason()}>
                  {(why) => (
                    <p class="hint" data-codec-unavailable>
                      Codec check not available in this browser: {why()}. In a terminal with ffmpeg:{' '}
                      <code>mixdesk codec-check MIX --platform {p().id}</code>.
                    </p>
                  )}
                </Show>
              }
            >
              <p class="hint">
                Encodes the mix as {p().name} delivers it ({CODEC_LABEL[p().codec.codec]} {p().codec.bitrateKbps}{' '}
                kbit/s, this browser's encoder), decodes it back and measures both. Choose the mix again: the report
                keeps the figures, not the audio.
              </p>
              <label class="field grow">
                <span class="label">Mix</span>
                <input
                  type="file"
                  accept=".wav,.wave,.rf64,.bw64,.aif,.aiff,.aifc,.flac"
                  aria-label="Mix to check"
                  disabled={state().status === 'running'}
                  onChange={(e) => {
                    const f = e.currentTarget.files?.[0];
                    if (f) start(f);
                  }}
                />
              </label>
            </Show>
            <Switch>
              <Match when={state().status === 'running' && (state() as Extract<State, { status: 'running' }>)}>
                {(s) => (
                  <div class="analysis-progress" aria-label="Codec check progress">
                    <p>
                      Encoding and decoding… <span data-codec-progress>{s().percent} %</span>
                    </p>
                    <progress max="100" value={s().percent} aria-label="Codec check progress" />
                    <button class="button" type="button" onClick={() => s().run.cancel()}>
                      Cancel codec check
                    </button>
                  </div>
                )}
              </Match>
              <Match when={state().status === 'failed' && (state() as Extract<State, { status: 'failed' }>)}>
                {(s) => (
                  <p class="problem" role="alert">
                    {s().message}
                  </p>
                )}
              </Match>
              <Match when={state().status === 'cancelled'}>
                <p class="hint" role="status" data-codec-cancelled>
                  Codec check cancelled.
                </p>
              </Match>
            </Switch>
          </Show>
        </div>
      )}
    </Show>
  );
}
