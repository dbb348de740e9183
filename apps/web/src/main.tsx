import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { api } from './api';
import { App } from './App';
import { setClientConfig } from './clientConfig';
import { I18nProvider } from './i18n';
import './styles.css';

async function boot() {
  // The GoJS licence key must be set before the first diagram is created.
  try {
    const config = await api.clientConfig();
    setClientConfig(config);
  } catch {
    // No key (or no server yet): GoJS runs unlicensed; the session check reports errors.
  }
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <I18nProvider>
        <App />
      </I18nProvider>
    </StrictMode>,
  );
}

void boot();
