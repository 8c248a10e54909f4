import { createContext } from 'preact';
import type { Theme } from './theme.js';

/** The resolved theme, for what CSS cannot reach (uPlot draws on a canvas). */
export const ThemeContext = createContext<Theme>('light');
