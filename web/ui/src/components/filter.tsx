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

/** Whether any of `texts` contains `needle`, ignoring case; an empty needle matches everything. */
export function matches(needle: string, ...texts: string[]): boolean {
  const n = needle.trim().toLowerCase();
  return n === '' || texts.some((t) => t.toLowerCase().includes(n));
}
