/** A button that picks a Pro Tools session text, with what went wrong reading it said below. */
import { Show } from 'solid-js';

export function SessionFileButton(props: {
  label: string;
  inputLabel: string;
  /** The file input, for callers that clear it after use. */
  ref?: (input: HTMLInputElement) => void;
  onFile: (file: File | undefined) => void;
  problem: string | null | undefined;
}) {
  return (
    <>
      <label class="button console-file-button">
        {props.label}
        <input
          ref={(el) => props.ref?.(el)}
          type="file"
          accept=".txt,text/plain"
          class="console-visually-hidden"
          aria-label={props.inputLabel}
          onChange={(e) => props.onFile(e.currentTarget.files?.[0])}
        />
      </label>
      <Show when={props.problem}>
        <p class="field-problem" role="alert">
          {props.problem}
        </p>
      </Show>
    </>
  );
}
