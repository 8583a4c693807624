/** One text field and a button that acts on its value (add a layout, a track, a step...); Enter works too. */
export function TextAction(props: {
  label: string;
  placeholder?: string;
  action: string;
  allowEmpty?: boolean;
  onSubmit: (value: string) => boolean | void;
}) {
  let input!: HTMLInputElement;
  return (
    <form
      class="console-inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        const value = input.value.trim();
        if (!value && !props.allowEmpty) return;
        if (props.onSubmit(value) !== false) input.value = '';
      }}
    >
      <input ref={input} aria-label={props.label} placeholder={props.placeholder ?? props.label} />
      <button class="button" type="submit">
        {props.action}
      </button>
    </form>
  );
}
