/**
 * Share a document: its link (copied, or handed to the device's share sheet where there is one,
 * e.g. an iPad) and a QR code for a colleague's device across the room. Opening the link on
 * another device fetches the document from the relay. Until accounts land, anyone with the
 * link can edit, and the panel says so.
 */
import { createSignal, Show } from 'solid-js';
import { QrCode } from './QrCode.tsx';

/** `readOnly`: shared read-only with this person, who passes on a link that only opens for people it is shared with. */
export function ShareControl(props: { url: string; name: string; readOnly?: boolean }) {
  const [open, setOpen] = createSignal(false);
  const [said, setSaid] = createSignal('');
  const canShare = typeof navigator !== 'undefined' && typeof navigator.share === 'function';
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(props.url);
      setSaid('Link copied.');
    } catch {
      setSaid('Copying is not allowed here: select the link and copy it.');
    }
  };
  const share = async () => {
    try {
      await navigator.share({ title: props.name, url: props.url });
    } catch {
      /* the person closed the share sheet */
    }
  };
  return (
    <div class="share">
      <button class="button" aria-expanded={open()} onClick={() => setOpen(!open())}>
        Share
      </button>
      <Show when={open()}>
        <section class="card share-panel" aria-label="Share">
          <Show
            when={!props.readOnly}
            fallback={
              <p class="hint">
                You can read this document, not edit it. The link opens it for people it is shared with.
              </p>
            }
          >
            <p class="share-warning">
              <strong>Anyone with the link can edit this document.</strong>
            </p>
          </Show>
          <input
            class="share-link"
            aria-label="Link to this document"
            readOnly
            value={props.url}
            onFocus={(e) => e.currentTarget.select()}
          />
          <div class="row-actions">
            <button class="button primary" onClick={copy}>
              Copy link
            </button>
            <Show when={canShare}>
              <button class="button" onClick={share}>
                Share…
              </button>
            </Show>
          </div>
          <p class="hint" role="status">
            {said()}
          </p>
          <QrCode text={props.url} label={`QR code of the link to ${props.name}`} />
        </section>
      </Show>
    </div>
  );
}
