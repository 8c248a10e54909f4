/** Whether any of `texts` contains `needle`, ignoring case; an empty needle matches everything. */
export function matches(needle: string, ...texts: string[]): boolean {
  const n = needle.trim().toLowerCase();
  return n === '' || texts.some((t) => t.toLowerCase().includes(n));
}

/** A label set as `name="value"` strings, the text a label filter searches. */
export function labelTexts(labels: Record<string, string>): string[] {
  return Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
}
