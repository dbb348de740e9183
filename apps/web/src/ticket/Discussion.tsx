import { useId, useState, type FormEvent } from 'react';
import { COMMENT_MAX, commentSchema, type TicketEventDto } from '@signoff/contracts';
import { api, ApiError } from '../api';
import { localizeValidationMessage, useI18n } from '../i18n';
import type { LiveTicket } from './liveTicket';

/**
 * The ticket's messages (`comment.added` events, in seq order) and a form to add one.
 * A sent message is shown from its event, applied by the store's seq rule like any
 * other: the POST's answer and the socket's copy are the same event, shown once.
 */
export function Discussion({ store, events }: { store: LiveTicket; events: TicketEventDto[] }) {
  const { t, formatDateTime } = useI18n();
  const id = useId();
  const [body, setBody] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const messages = events.filter((e) => e.type === 'comment.added');

  async function send(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const parsed = commentSchema.safeParse({ body });
    if (!parsed.success) {
      setError(`${t('discussion.message')} ${localizeValidationMessage(parsed.error.issues[0]?.message ?? '', t)}`);
      return;
    }
    setBusy(true);
    try {
      const event = await api.comment(store.ticketId, parsed.data.body);
      setBody('');
      store.applyEvent(event);
    } catch (caught) {
      if (caught instanceof ApiError) setError(caught.status === 0 ? t('error.network') : caught.message);
      else setError(t('error.generic'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card discussion" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('discussion.title')}</h2>
      {messages.length === 0 ? (
        <p className="muted">{t('discussion.empty')}</p>
      ) : (
        <ol className="discussion__list" aria-labelledby={`${id}-title`}>
          {messages.map((m) => (
            <li key={m.seq} className="discussion__item" data-seq={m.seq}>
              <div className="discussion__meta">
                <span className="discussion__author">{m.actor?.name ?? t('event.someone')}</span>
                <time className="discussion__time" dateTime={m.at}>
                  {formatDateTime(m.at)}
                </time>
              </div>
              <p className="discussion__body">{m.comment}</p>
            </li>
          ))}
        </ol>
      )}
      <form className="discussion__form" onSubmit={(e) => void send(e)} noValidate>
        <div className="field">
          <label htmlFor={`${id}-message`}>{t('discussion.message')}</label>
          <textarea
            id={`${id}-message`}
            rows={2}
            maxLength={COMMENT_MAX}
            value={body}
            onChange={(e) => setBody(e.target.value)}
            onKeyDown={(e) => {
              // Ctrl/⌘+Enter sends, plain Enter stays a new line.
              if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) e.currentTarget.form?.requestSubmit();
            }}
            aria-invalid={error ? true : undefined}
            aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
          />
          <p className="field__hint" id={`${id}-hint`}>
            {t('discussion.hint')}
          </p>
        </div>
        {error && (
          <p className="alert alert--error" role="alert" id={`${id}-error`}>
            {error}
          </p>
        )}
        <div className="discussion__actions">
          <button type="submit" className="btn btn--primary" disabled={busy}>
            {busy ? t('discussion.sending') : t('discussion.send')}
          </button>
        </div>
      </form>
    </section>
  );
}
