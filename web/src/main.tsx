import { render } from 'preact';
import { App } from './app';
import { i18nReady, storedLocale } from './i18n';
import './styles.css';

document.documentElement.lang = storedLocale();
void i18nReady.then(() => render(<App />, document.getElementById('app')!));
