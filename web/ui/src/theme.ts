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

/** The theme choice and its setter; keeps <html data-theme> in step, including system changes. */
export function useTheme(): [ThemeChoice, Theme, (c: ThemeChoice) => void] {
  const [choice, setChoice] = useState<ThemeChoice>(stored);
  const [theme, setTheme] = useState<Theme>(() => resolve(choice));
  useEffect(() => {
    const apply = (): void => {
      const t = resolve(choice);
      document.documentElement.dataset.theme = t;
      setTheme(t);
    };
    apply();
    media.addEventListener('change', apply);
    return () => media.removeEventListener('change', apply);
  }, [choice]);
  const set = (c: ThemeChoice): void => {
    if (c === 'auto') window.localStorage.removeItem(KEY);
    else window.localStorage.setItem(KEY, c);
    setChoice(c);
  };
  return [choice, theme, set];
}
