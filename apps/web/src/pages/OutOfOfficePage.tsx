import { useId, useState, type FormEvent } from 'react';
import { delegationSchema, type DirectoryEntry } from '@signoff/contracts';
import { api, ApiError } from '../api';
import { ErrorMessage } from '../components/ErrorMessage';
import { UserPicker } from '../components/UserPicker';
import { localizeValidationMessage, useI18n } from '../i18n';
import { useSession } from '../session/context';
import { useResource } from '../useResource';

/** Out of office (外出代理): who takes your new tasks between two days. */
export function OutOfOfficePage() {
  const { t } = useI18n();
  const { user } = useSession();
  const id = useId();
  const [reloads, setReloads] = useState(0);
  const current = useResource(`delegation:${reloads}`, (signal) => api.delegation(signal));
  const [delegate, setDelegate] = useState<DirectoryEntry | null>(null);
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function save(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    setInfo(null);
    if (!delegate) {
      setError(t('decision.pickFirst'));
      return;
    }
    const parsed = delegationSchema.safeParse({ delegateId: delegate.id, from, to });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = String(issue?.path[0] ?? '');
      const label = field === 'from' ? t('ooo.from') : field === 'to' ? t('ooo.to') : t('ooo.delegate');
      setError(`${label}: ${localizeValidationMessage(issue?.message ?? '', t)}`);
      return;
    }
    setBusy(true);
    try {
      await api.setDelegation(parsed.data);
      setInfo(t('ooo.saved'));
      setReloads((n) => n + 1);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : t('error.generic'));
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    setError(null);
    setBusy(true);
    try {
      await api.clearDelegation();
      setInfo(t('ooo.removed'));
      setReloads((n) => n + 1);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : t('error.generic'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby={`${id}-title`} className="narrow">
      <div className="page-head">
        <div>
          <h1 id={`${id}-title`}>{t('ooo.title')}</h1>
          <p className="muted">{t('ooo.intro')}</p>
        </div>
      </div>
      {current.status === 'error' && <ErrorMessage error={current.error} onRetry={() => setReloads((n) => n + 1)} />}
      {current.status === 'ready' && (
        <div className="card" data-testid="current-delegation">
          {current.data ? (
            <>
              <p>{t('ooo.current', { name: current.data.delegate.name, from: current.data.from, to: current.data.to })}</p>
              <button type="button" className="btn btn--reject" disabled={busy} onClick={() => void remove()}>
                {t('ooo.remove')}
              </button>
            </>
          ) : (
            <p className="muted">{t('ooo.none')}</p>
          )}
        </div>
      )}
      <form className="form card" onSubmit={(e) => void save(e)} noValidate>
        <UserPicker label={t('ooo.delegate')} value={delegate} onChange={setDelegate} excludeIds={[user.id]} />
        <div className="field">
          <label htmlFor={`${id}-from`}>{t('ooo.from')}</label>
          <input id={`${id}-from`} type="date" value={from} onChange={(e) => setFrom(e.target.value)} aria-required />
        </div>
        <div className="field">
          <label htmlFor={`${id}-to`}>{t('ooo.to')}</label>
          <input id={`${id}-to`} type="date" value={to} onChange={(e) => setTo(e.target.value)} aria-required />
        </div>
        {error && (
          <p className="alert alert--error" role="alert">
            {error}
          </p>
        )}
        <p role="status" className="muted">
          {info}
        </p>
        <div className="form__actions">
          <button type="submit" className="btn btn--primary" disabled={busy}>
            {t('ooo.save')}
          </button>
        </div>
      </form>
    </section>
  );
}
