import { useId, useState } from 'react';
import { COMMENT_MAX, decisionSchema, type DirectoryEntry, type StepDto, type TicketDetailDto } from '@signoff/contracts';
import { api, ApiError } from '../api';
import { UserPicker } from '../components/UserPicker';
import { localizeValidationMessage, useI18n } from '../i18n';
import type { LiveTicket } from './liveTicket';

type Action = 'approve' | 'reject' | 'return' | 'transfer' | 'signer';

/** The server's 409/403/404 go to `onNotice` (they outlive the panel) and the ticket is refetched. */
export function useTicketAction(store: LiveTicket, onNotice: (message: string | null) => void) {
  const { t } = useI18n();
  return async function run(send: () => Promise<TicketDetailDto | unknown>, setError: (m: string | null) => void): Promise<boolean> {
    setError(null);
    onNotice(null);
    try {
      const next = await send();
      if (next && typeof next === 'object' && 'ticket' in next && 'flow' in next) store.applySnapshot(next as TicketDetailDto);
      else void store.refetch();
      return true;
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
      return false;
    }
  };
}

/**
 * What an approver can do on the first stage they may decide: approve, reject or return
 * (both need a comment, as the server says), transfer the task, or add a signer.
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
  const run = useTicketAction(store, onNotice);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState<Action | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [returnTo, setReturnTo] = useState('requester');
  const [transferTo, setTransferTo] = useState<DirectoryEntry | null>(null);
  const [signer, setSigner] = useState<DirectoryEntry | null>(null);
  const [position, setPosition] = useState<'before' | 'after'>('after');
  const ticketId = detail.ticket.id;
  const trimmed = comment.trim();
  const earlier = [...detail.flow.steps]
    .filter((s) => s.position < step.position && s.status === 'approved')
    .sort((a, b) => a.position - b.position);
  const onStep = new Set(step.tasks.map((task) => task.assignee.id));

  async function act(action: Action, send: () => Promise<unknown>) {
    setBusy(action);
    const ok = await run(send, setError);
    setBusy(null);
    if (ok) setComment('');
    return ok;
  }

  function decide(decision: 'approve' | 'reject') {
    setError(null);
    if (decision === 'reject' && !trimmed) {
      setError(t('decision.commentRequired'));
      return;
    }
    const parsed = decisionSchema.safeParse({ stepId: step.id, decision, ...(trimmed ? { comment } : {}) });
    if (!parsed.success) {
      setError(localizeValidationMessage(parsed.error.issues[0]?.message ?? '', t));
      return;
    }
    void act(decision, () => api.decide(ticketId, parsed.data));
  }

  function sendBack() {
    setError(null);
    if (!trimmed) {
      setError(t('decision.commentRequired'));
      return;
    }
    void act('return', () => api.returnTicket(ticketId, { stepId: step.id, to: returnTo, comment: trimmed }));
  }

  function transfer() {
    if (!transferTo) {
      setError(t('decision.pickFirst'));
      return;
    }
    void act('transfer', () =>
      api.transfer(ticketId, { stepId: step.id, toUserId: transferTo.id, ...(trimmed ? { comment: trimmed } : {}) }),
    ).then((ok) => ok && setTransferTo(null));
  }

  function addSigner() {
    if (!signer) {
      setError(t('decision.pickFirst'));
      return;
    }
    void act('signer', () =>
      api.addSigner(ticketId, { stepId: step.id, userId: signer.id, position, ...(trimmed ? { comment: trimmed } : {}) }),
    ).then((ok) => ok && setSigner(null));
  }

  const label = (action: Action, text: string) => (busy === action ? t('decision.sending') : text);

  return (
    <section className="card decision" aria-labelledby={`${id}-title`} data-testid="decision-panel">
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
          aria-invalid={error === t('decision.commentRequired') ? true : undefined}
        />
        <p className="field__hint" id={`${id}-hint`}>
          {t('decision.commentRequiredHint')}
        </p>
      </div>
      {error && (
        <p className="alert alert--error" role="alert" id={`${id}-error`}>
          {error}
        </p>
      )}
      <div className="decision__actions">
        <button type="button" className="btn btn--approve" disabled={busy !== null} onClick={() => decide('approve')}>
          {label('approve', t('decision.approve'))}
        </button>
        <button type="button" className="btn btn--reject" disabled={busy !== null} onClick={() => decide('reject')}>
          {label('reject', t('decision.reject'))}
        </button>
      </div>
      <div className="decision__return">
        <div className="field">
          <label htmlFor={`${id}-return-to`}>{t('decision.returnTo')}</label>
          <select id={`${id}-return-to`} value={returnTo} onChange={(e) => setReturnTo(e.target.value)}>
            <option value="requester">{t('decision.returnToRequester', { name: detail.ticket.requester.name })}</option>
            {earlier.map((s) => (
              <option key={s.id} value={s.id}>
                {t('decision.returnToStage', { stage: lt(s.name) })}
              </option>
            ))}
          </select>
        </div>
        <button type="button" className="btn" disabled={busy !== null} onClick={sendBack}>
          {label('return', t('decision.return'))}
        </button>
      </div>
      <details className="decision__more">
        <summary>{t('decision.more')}</summary>
        <div className="decision__group">
          <UserPicker label={t('decision.transferTo')} value={transferTo} onChange={setTransferTo} excludeIds={[...onStep]} />
          <button type="button" className="btn" disabled={busy !== null} onClick={transfer}>
            {label('transfer', t('decision.transfer'))}
          </button>
        </div>
        <div className="decision__group">
          <UserPicker label={t('decision.signer')} value={signer} onChange={setSigner} excludeIds={[...onStep]} />
          <fieldset className="decision__position">
            <legend>{t('decision.position')}</legend>
            {(['before', 'after'] as const).map((p) => (
              <label key={p}>
                <input type="radio" name={`${id}-position`} value={p} checked={position === p} onChange={() => setPosition(p)} />{' '}
                {t(`decision.${p}`)}
              </label>
            ))}
          </fieldset>
          <button type="button" className="btn" disabled={busy !== null} onClick={addSigner}>
            {label('signer', t('decision.addSigner'))}
          </button>
        </div>
      </details>
    </section>
  );
}
