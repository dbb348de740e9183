import { useState } from 'react';
import { api } from '../api';
import { AdminNav } from '../components/AdminNav';
import { ErrorMessage } from '../components/ErrorMessage';
import { useI18n } from '../i18n';
import { useResource } from '../useResource';

/** Read-only user directory; users are managed with `npm run cli -- users:…`. */
export function AdminPage() {
  const { t } = useI18n();
  const [reloads, setReloads] = useState(0);
  const users = useResource(`users:${reloads}`, (signal) => api.users(signal));

  return (
    <section aria-labelledby="admin-title">
      <div className="page-head">
        <div>
          <h1 id="admin-title">{t('admin.title')}</h1>
          <p className="muted">
            {t('admin.cliNote', { command: '' })}
            <code>npm run cli -- users:…</code>
          </p>
        </div>
      </div>
      <AdminNav />
      <h2>{t('admin.users')}</h2>
      {users.status === 'loading' && (
        <p className="muted" role="status">
          {t('app.loading')}
        </p>
      )}
      {users.status === 'error' && <ErrorMessage error={users.error} onRetry={() => setReloads((n) => n + 1)} />}
      {users.status === 'ready' &&
        (users.data.length === 0 ? (
          <p className="empty">{t('admin.noUsers')}</p>
        ) : (
          <table className="table table--users">
            <caption className="visually-hidden">{t('admin.users')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('admin.col.name')}</th>
                <th scope="col">{t('admin.col.email')}</th>
                <th scope="col">{t('admin.col.role')}</th>
                <th scope="col">{t('admin.col.active')}</th>
              </tr>
            </thead>
            <tbody>
              {users.data.map((user) => (
                <tr key={user.id} data-user-email={user.email}>
                  <td data-label={t('admin.col.name')}>{user.name}</td>
                  <td data-label={t('admin.col.email')}>{user.email}</td>
                  <td data-label={t('admin.col.role')}>
                    <span className={`badge badge--role-${user.role}`}>{t(`role.${user.role}`)}</span>
                  </td>
                  <td data-label={t('admin.col.active')}>
                    <span className={`badge ${user.active ? 'badge--approved' : 'badge--step-skipped'}`}>
                      {user.active ? t('admin.active') : t('admin.inactive')}
                    </span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ))}
    </section>
  );
}
