/** A search box for filtering a page's rows; the match is case-insensitive on plain text. */
export function FilterInput({
  value,
  onInput,
  label,
}: {
  value: string;
  onInput: (v: string) => void;
  label: string;
}) {
  return (
    <input
      type="search"
      class="filter"
      placeholder={label}
      aria-label={label}
      value={value}
      onInput={(e) => onInput(e.currentTarget.value)}
    />
  );
}
