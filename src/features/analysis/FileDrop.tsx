/** A drop zone that is also a file picker (keyboard and touch: the "Choose a file" button). */
import { createSignal } from 'solid-js';

export const AUDIO_ACCEPT =
  'audio/*,.wav,.wave,.rf64,.bw64,.aif,.aiff,.aifc,.flac,.mp3,.m4a,.aac,.ogg,.opus,.oga,.webm';

/**
 * `compact` once a result is shown: one line, so the answer below it is on the first screen.
 * `onIntent`: the pointer, the focus or a drag reached the zone (a file may come next).
 */
export function FileDrop(props: {
  onFile: (file: File) => void;
  onIntent?: () => void;
  busy: boolean;
  compact?: boolean;
}) {
  const [over, setOver] = createSignal(false);
  let input!: HTMLInputElement;
  const take = (files: FileList | null | undefined) => {
    const file = files?.[0];
    if (file) props.onFile(file);
  };
  return (
    <div
      class="drop-zone card"
      classList={{ over: over(), compact: !!props.compact }}
      data-testid="drop-zone"
      onPointerEnter={() => props.onIntent?.()}
      onFocusIn={() => props.onIntent?.()}
      onDragEnter={() => props.onIntent?.()}
      onDragOver={(e) => {
        e.preventDefault();
        setOver(true);
      }}
      onDragLeave={() => setOver(false)}
      onDrop={(e) => {
        e.preventDefault();
        setOver(false);
        take(e.dataTransfer?.files);
      }}
    >
      <p>{props.compact ? 'Drop another file here, or' : 'Drop a WAV, AIFF, FLAC, MP3, AAC or Ogg file here, or'}</p>
      <button class="button primary" type="button" onClick={() => input.click()}>
        Choose a file
      </button>
      <input
        ref={input}
        class="analysis-visually-hidden"
        type="file"
        accept={AUDIO_ACCEPT}
        aria-label="Audio file"
        onChange={(e) => {
          take(e.currentTarget.files);
          e.currentTarget.value = '';
        }}
      />
      <p class="hint">Measured on this device; the audio is never uploaded.</p>
    </div>
  );
}
