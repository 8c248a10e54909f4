/** Series colours: well apart for neighbours (golden-angle hues), stable for an index. */

export function seriesColor(index: number, dark: boolean): string {
  const hue = (index * 137.508 + 210) % 360;
  const light = dark ? 62 : 45;
  return `hsl(${hue.toFixed(1)}, 70%, ${light}%)`;
}
