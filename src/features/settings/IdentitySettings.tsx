/** Settings: the name and colour collaborators see, and whether this device syncs. */
import { createSignal, For } from 'solid-js';
import { loadIdentity, PRESENCE_COLOURS, saveIdentity, type Identity } from '../../platform/sync/presence.ts';
import { useApp } from '../../app/app-context.ts';

export function IdentitySettings() {
  const { sync, identity, setIdentity } = useApp();
  const [syncOn, setSyncOn] = createSignal(sync.enabled());
  const change = (patch: Partial<Identity>) => {
    const next = { ...identity(), ...patch };
    saveIdentity(next);
    setIdentity(loadIdentity());
  };
  return (
    <div class="card identity">
      <h2>Collaboration</h2>
      <label class="field">
        <span class="label">Your name, as others see it</span>
        <input
          name="presenceName"
          value={identity().name}
          maxLength={60}
          onChange={(e) => change({ name: e.currentTarget.value })}
        />
      </label>
      <fieldset class="colours">
        <legend class="label">Your colour</legend>
        <For each={PRESENCE_COLOURS}>
          {(colour) => (
            <label class="colour-choice" style={{ '--swatch': colour }}>
              <input
                type="radio"
                name="presenceColour"
                value={colour}
                checked={identity().colour === colour}
                onChange={() => change({ colour })}
                aria-label={`Colour ${colour}`}
              />
              <span class="swatch" aria-hidden="true" />
            </label>
          )}
        </For>
      </fieldset>
      <label class="switch">
        <input
          type="checkbox"
          name="syncEnabled"
          checked={syncOn()}
          onChange={(e) => {
            sync.setEnabled(e.currentTarget.checked);
            setSyncOn(e.currentTarget.checked);
          }}
        />
        <span>Sync documents with the Mixdesk server</span>
      </label>
    </div>
  );
}
