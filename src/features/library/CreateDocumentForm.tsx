/** Creates a document of a chosen kind; refuses an empty or over-long name with a message. */
import { createSignal, For, onMount, Show } from 'solid-js';
import { DOCUMENT_KINDS, KIND_LABELS, type DocumentKind } from '../../core/documents/kinds.ts';
import { nameProblem } from '../../core/documents/meta.ts';
import { useApp } from '../../app/app-context.ts';

export function CreateDocumentForm(props: { onDone: () => void }) {
  const { library, router, notices } = useApp();
  const [name, setName] = createSignal('');
  const [kind, setKind] = createSignal<DocumentKind>('console-config');
  const [problem, setProblem] = createSignal<string | null>(null);
  const [busy, setBusy] = createSignal(false);
  let input!: HTMLInputElement;
  onMount(() => input.focus());

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    const issue = nameProblem(name());
    setProblem(issue);
    if (issue) {
      input.focus();
      return;
    }
    setBusy(true);
    try {
      const id = await library.create({ kind: kind(), name: name() });
      props.onDone();
      router.navigate(`/doc/${id}`);
    } catch (error) {
      notices.error(error, 'Creating the document failed');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card create-form" onSubmit={submit} aria-label="New document">
      <label class="field grow">
        <span class="label">Name</span>
        <input
          ref={input}
          name="name"
          value={name()}
          aria-invalid={problem() ? 'true' : undefined}
          aria-describedby="create-name-problem"
          onInput={(e) => {
            setName(e.currentTarget.value);
            if (problem()) setProblem(nameProblem(e.currentTarget.value));
          }}
        />
      </label>
      <label class="field">
        <span class="label">Kind</span>
        <select name="kind" value={kind()} onChange={(e) => setKind(e.currentTarget.value as DocumentKind)}>
          <For each={DOCUMENT_KINDS}>{(k) => <option value={k}>{KIND_LABELS[k]}</option>}</For>
        </select>
      </label>
      <div class="form-actions">
        <button type="submit" class="button primary" disabled={busy()}>
          Create
        </button>
        <button type="button" class="button" onClick={() => props.onDone()}>
          Cancel
        </button>
      </div>
      <Show when={problem()}>
        <p id="create-name-problem" class="field-problem" role="alert">
          {problem()}
        </p>
      </Show>
    </form>
  );
}
