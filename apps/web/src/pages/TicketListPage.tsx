import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { Box } from '@signoff/contracts';
import { api } from '../api';
import { AdminNav } from '../components/AdminNav';
import { ErrorMessage } from '../components/ErrorMessage';
import { TicketTable } from '../components/TicketTable';
import { useI18n } from '../i18n';
import { useSession } from '../session/context';
import { useResource } from '../useResource';

/** To do (box=todo), My tickets (box=mine) and, for admins, All tickets (box=all). */
export function TicketListPage({ box }: { box: Box }) {
  const { t } = useI18n();
  const { inboxVersion } = useSession();
  const [reloads, setReloads] = useState(0);
  // The to-do list refetches on every `inbox:changed` (a task taken by someone else
  // leaves, a new one arrives) even when the count stays the same.
  const key = `${box}:${reloads}:${box === 'todo' ? inboxVersion : ''}`;
  const rows = useResource(key, (signal) => api.tickets(box, signal));

  return (
    <section aria-labelledby="list-title">
      <div className="page-head">
        <div>
          <h1 id="list-title">{t(`list.${box}.title`)}</h1>
          <p className="muted">{t(`list.${box}.intro`)}</p>
        </div>
        <div className="page-head__actions">
          <button type="button" className="btn" onClick={() => setReloads((n) => n + 1)}>
            {t('list.refresh')}
          </button>
          {box === 'mine' && (
            <Link to="/new" className="btn btn--primary">
              {t('list.newTicket')}
            </Link>
          )}
        </div>
      </div>
      {box === 'all' && <AdminNav />}
      {rows.status === 'loading' && (
        <p className="muted" role="status">
          {t('app.loading')}
        </p>
      )}
      {rows.status === 'error' && <ErrorMessage error={rows.error} onRetry={() => setReloads((n) => n + 1)} />}
      {rows.status === 'ready' &&
        (rows.data.length === 0 ? (
          <div className="empty">
            <p>{t(`list.${box}.empty`)}</p>
          </div>
        ) : (
          <TicketTable rows={rows.data} caption={t(`list.${box}.title`)} />
        ))}
    </section>
  );
}
