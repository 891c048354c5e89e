/** The staff console (decision 0035): a Preact app at /console/ calling only the HTTP API. */
import { render } from 'preact';
import { App } from './app.js';
import './styles/console.css';

render(<App />, document.getElementById('app')!);
