/**
 * Light and dark themes. `auto` follows the system's `prefers-color-scheme`; the choice is kept in
 * localStorage. The resolved theme is set as `data-theme` on <html>, which the CSS variables key on.
 */
import { useEffect, useState } from 'preact/hooks';

export type ThemeChoice = 'auto' | 'light' | 'dark';
export type Theme = 'light' | 'dark';

const KEY = 'vigil.theme';
const media = window.matchMedia('(prefers-color-scheme: dark)');

function stored(): ThemeChoice {
  const v = window.localStorage.getItem(KEY);
  return v === 'light' || v === 'dark' ? v : 'auto';
}

function resolve(choice: ThemeChoice): Theme {
  return choice === 'auto' ? (media.matches ? 'dark' : 'light') : choice;
}

const NEXT: Record<ThemeChoice, ThemeChoice> = { auto: 'light', light: 'dark', dark: 'auto' };

/**
 * The theme choice, the theme it resolves to, and `cycle()` (auto → light → dark → auto). Keeps
 * <html data-theme> and localStorage in step, and follows system changes while on auto.
 */
export function useTheme(): [ThemeChoice, Theme, () => void] {
  const [choice, setChoice] = useState<ThemeChoice>(stored);
  const [theme, setTheme] = useState<Theme>(() => resolve(choice));
  useEffect(() => {
    if (choice === 'auto') window.localStorage.removeItem(KEY);
    else window.localStorage.setItem(KEY, choice);
    const apply = (): void => {
      const t = resolve(choice);
      document.documentElement.dataset.theme = t;
      setTheme(t);
    };
    apply();
    media.addEventListener('change', apply);
    return () => media.removeEventListener('change', apply);
  }, [choice]);
  // A functional update, so two quick clicks take two steps rather than repeat the first.
  const cycle = (): void => setChoice((c) => NEXT[c]);
  return [choice, theme, cycle];
}
