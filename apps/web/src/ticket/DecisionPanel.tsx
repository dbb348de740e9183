import { useId, useState } from 'react';
import { COMMENT_MAX, decisionSchema, type Decision, type StepDto, type TicketDetailDto } from '@signoff/contracts';
import { api, ApiError } from '../api';
import { localizeValidationMessage, useI18n } from '../i18n';
import type { LiveTicket } from './liveTicket';

/** Comment + Approve / Reject for the first stage the caller may decide. */
/**
 * Errors that outlive the panel (a 409 refetch usually removes it) go to `onNotice`.
 */
export function DecisionPanel({
  store,
  detail,
  step,
  onNotice,
}: {
  store: LiveTicket;
  detail: TicketDetailDto;
  step: StepDto;
  onNotice: (message: string | null) => void;
}) {
  const { t, lt } = useI18n();
  const id = useId();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState<Decision | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function decide(decision: Decision) {
    setError(null);
    onNotice(null);
    const parsed = decisionSchema.safeParse({ stepId: step.id, decision, ...(comment.trim() ? { comment } : {}) });
    if (!parsed.success) {
      setError(localizeValidationMessage(parsed.error.issues[0]?.message ?? '', t));
      return;
    }
    setBusy(decision);
    try {
      const next = await api.decide(detail.ticket.id, parsed.data);
      setComment('');
      store.applySnapshot(next);
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 409) {
        onNotice(`${caught.message} — ${t('decision.conflict')}`);
        void store.refetch();
      } else if (caught instanceof ApiError) {
        const message = caught.status === 0 ? t('error.network') : caught.message;
        if (caught.status === 403 || caught.status === 404) {
          onNotice(message);
          void store.refetch();
        } else {
          setError(message);
        }
      } else {
        setError(t('error.generic'));
      }
    } finally {
      setBusy(null);
    }
  }

  return (
    <section className="card decision" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('decision.title')}</h2>
      <p className="muted">{t('decision.stage', { stage: lt(step.name) })}</p>
      <div className="field">
        <label htmlFor={`${id}-comment`}>{t('decision.comment')}</label>
        <textarea
          id={`${id}-comment`}
          rows={3}
          maxLength={COMMENT_MAX}
          value={comment}
          onChange={(e) => setComment(e.target.value)}
          aria-describedby={`${id}-hint${error ? ` ${id}-error` : ''}`}
        />
        <p className="field__hint" id={`${id}-hint`}>
          {t('decision.commentHint')}
        </p>
      </div>
      {error && (
        <p className="alert alert--error" role="alert" id={`${id}-error`}>
          {error}
        </p>
      )}
      <div className="decision__actions">
        <button type="button" className="btn btn--approve" disabled={busy !== null} onClick={() => void decide('approve')}>
          {busy === 'approve' ? t('decision.sending') : t('decision.approve')}
        </button>
        <button type="button" className="btn btn--reject" disabled={busy !== null} onClick={() => void decide('reject')}>
          {busy === 'reject' ? t('decision.sending') : t('decision.reject')}
        </button>
      </div>
    </section>
  );
}
