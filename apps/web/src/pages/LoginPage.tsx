import { useId, useState, type FormEvent } from 'react';
import { loginSchema, type UserDto } from '@signoff/contracts';
import { api, ApiError } from '../api';
import { localizeValidationMessage, useI18n } from '../i18n';
import { LanguageSwitch } from '../components/LanguageSwitch';

export function LoginPage({ onSignedIn }: { onSignedIn: (user: UserDto) => void }) {
  const { t } = useI18n();
  const id = useId();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [fieldErrors, setFieldErrors] = useState<{ email?: string; password?: string }>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    const parsed = loginSchema.safeParse({ email, password });
    if (!parsed.success) {
      const next: { email?: string; password?: string } = {};
      for (const issue of parsed.error.issues) {
        const key = issue.path[0];
        if ((key === 'email' || key === 'password') && !next[key]) next[key] = localizeValidationMessage(issue.message, t);
      }
      setFieldErrors(next);
      return;
    }
    setFieldErrors({});
    setBusy(true);
    try {
      const { user } = await api.login(parsed.data.email, parsed.data.password);
      onSignedIn(user);
    } catch (caught) {
      setError(caught instanceof ApiError && caught.status !== 0 ? caught.message : t('error.network'));
      setBusy(false);
    }
  }

  return (
    <div className="login">
      <div className="login__lang">
        <LanguageSwitch />
      </div>
      <main className="login__card" id="main">
        <div className="brand brand--large" aria-hidden="true">
          <span className="brand__mark">✓</span> {t('app.name')}
        </div>
        <h1 className="login__title">{t('login.title')}</h1>
        <p className="muted">{t('login.subtitle')}</p>
        <form onSubmit={submit} noValidate className="form">
          <div className="field">
            <label htmlFor={`${id}-email`}>{t('login.email')}</label>
            <input
              id={`${id}-email`}
              type="email"
              name="email"
              autoComplete="username"
              value={email}
              onChange={(e) => setEmail(e.target.value)}
              aria-invalid={fieldErrors.email ? true : undefined}
              aria-describedby={fieldErrors.email ? `${id}-email-error` : undefined}
              required
            />
            {fieldErrors.email && (
              <p className="field__error" id={`${id}-email-error`}>
                {fieldErrors.email}
              </p>
            )}
          </div>
          <div className="field">
            <label htmlFor={`${id}-password`}>{t('login.password')}</label>
            <input
              id={`${id}-password`}
              type="password"
              name="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
              aria-invalid={fieldErrors.password ? true : undefined}
              aria-describedby={fieldErrors.password ? `${id}-password-error` : undefined}
              required
            />
            {fieldErrors.password && (
              <p className="field__error" id={`${id}-password-error`}>
                {fieldErrors.password}
              </p>
            )}
          </div>
          {error && (
            <p className="alert alert--error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="btn btn--primary btn--block" disabled={busy}>
            {busy ? t('login.submitting') : t('login.submit')}
          </button>
        </form>
      </main>
    </div>
  );
}
