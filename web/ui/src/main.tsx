/** Entry point: mounts the console into #root. */
import { render } from 'preact';
import { App } from './app.js';
import './styles.css';

render(<App />, document.getElementById('root')!);
