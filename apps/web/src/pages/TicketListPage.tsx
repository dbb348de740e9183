import { useId, useState } from 'react';
import { Link } from 'react-router-dom';
import { COMMENT_MAX, type BulkDecisionResponse, type Box, type Decision } from '@signoff/contracts';
import { api, ApiError } from '../api';
import { AdminNav } from '../components/AdminNav';
import { ErrorMessage } from '../components/ErrorMessage';
import { TicketTable, type Selection } from '../components/TicketTable';
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
  // What was selected is kept as it was then (step and title), even if the row leaves the
  // live list meanwhile: sending it anyway reports why it was refused.
  const [selected, setSelected] = useState<ReadonlyMap<string, Picked>>(new Map());
  const selection: Selection = {
    selected: new Set(selected.keys()),
    toggle: (ticketId, on) =>
      setSelected((prev) => {
        const next = new Map(prev);
        const row = rows.status === 'ready' ? rows.data.find((r) => r.ticket.id === ticketId) : undefined;
        if (on && row?.activeStep) next.set(ticketId, { stepId: row.activeStep.id, title: row.ticket.title });
        else next.delete(ticketId);
        return next;
      }),
  };

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
          <TicketTable rows={rows.data} caption={t(`list.${box}.title`)} selection={box === 'todo' ? selection : undefined} />
        ))}
      {box === 'todo' && rows.status === 'ready' && (
        <BulkBar
          selected={selected}
          onDone={() => {
            setSelected(new Map());
            setReloads((n) => n + 1);
          }}
        />
      )}
    </section>
  );
}

/** Approve or reject the selected to-do tickets at once; each succeeds or fails on its own. */
interface Picked {
  stepId: string;
  title: string;
}

function BulkBar({ selected, onDone }: { selected: ReadonlyMap<string, Picked>; onDone: () => void }) {
  const { t } = useI18n();
  const id = useId();
  const [rejecting, setRejecting] = useState(false);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [summary, setSummary] = useState<{ decision: Decision; result: BulkDecisionResponse; titles: Map<string, string> } | null>(null);
  const items = [...selected].map(([ticketId, { stepId }]) => ({ ticketId, stepId }));

  async function send(decision: Decision) {
    setError(null);
    if (decision === 'reject' && !comment.trim()) {
      setError(t('decision.commentRequired'));
      return;
    }
    const titles = new Map([...selected].map(([ticketId, { title }]) => [ticketId, title]));
    setBusy(true);
    try {
      const result = await api.bulkDecide({ decision, items, ...(comment.trim() ? { comment: comment.trim() } : {}) });
      setSummary({ decision, result, titles });
      setRejecting(false);
      setComment('');
      onDone();
    } catch (caught) {
      setError(caught instanceof ApiError ? (caught.status === 0 ? t('error.network') : caught.message) : t('error.generic'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="bulk card" aria-label={t('bulk.actions')}>
      <p className="muted small">{t('bulk.selected', { count: items.length })}</p>
      <div className="decision__actions">
        <button type="button" className="btn btn--approve" disabled={busy || items.length === 0} onClick={() => void send('approve')}>
          {busy && !rejecting ? t('bulk.sending') : t('bulk.approve')}
        </button>
        <button type="button" className="btn btn--reject" disabled={busy || items.length === 0} onClick={() => setRejecting(true)}>
          {t('bulk.reject')}
        </button>
      </div>
      {rejecting && (
        <div className="confirm">
          <div className="field">
            <label htmlFor={`${id}-comment`}>{t('bulk.comment')}</label>
            <textarea id={`${id}-comment`} rows={2} maxLength={COMMENT_MAX} value={comment} onChange={(e) => setComment(e.target.value)} />
          </div>
          <div className="decision__actions">
            <button type="button" className="btn btn--reject" disabled={busy || items.length === 0} onClick={() => void send('reject')}>
              {busy ? t('bulk.sending') : t('bulk.confirmReject', { count: items.length })}
            </button>
            <button type="button" className="btn" onClick={() => setRejecting(false)}>
              {t('bulk.cancel')}
            </button>
          </div>
        </div>
      )}
      {error && (
        <p className="alert alert--error" role="alert">
          {error}
        </p>
      )}
      <div role="status" data-testid="bulk-summary">
        {summary && (
          <>
            <p>{t(`bulk.summary.${summary.decision}`, { ok: summary.result.succeeded, failed: summary.result.failed })}</p>
            {summary.result.failed > 0 && (
              <ul className="bulk__failures">
                {summary.result.results.map((r) =>
                  r.ok ? null : (
                    <li key={r.ticketId} data-ticket-id={r.ticketId}>
                      {t('bulk.failure', { title: summary.titles.get(r.ticketId) ?? r.ticketId, message: r.message })}
                    </li>
                  ),
                )}
              </ul>
            )}
          </>
        )}
      </div>
    </section>
  );
}
