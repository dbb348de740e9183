import { useId, useState, type FormEvent } from 'react';
import { COMMENT_MAX, TITLE_MAX, type TicketDetailDto, type TicketEventDto } from '@signoff/contracts';
import { api, ApiError } from '../api';
import { FieldInput } from '../components/FieldInput';
import { localizeValidationMessage, useI18n } from '../i18n';
import { buildTicketInput, type FormErrors, type RawValues } from '../ticketForm';
import { useTicketAction } from './DecisionPanel';
import type { LiveTicket } from './liveTicket';

/** The newest return of this ticket to its requester: who and why. */
function lastReturn(events: TicketEventDto[]) {
  return [...events].reverse().find((e) => e.type === 'ticket.returned') ?? null;
}

/** The requester's own actions: withdraw, urge, and resubmit after a return. */
export function RequesterPanel({
  store,
  detail,
  events,
  onNotice,
}: {
  store: LiveTicket;
  detail: TicketDetailDto;
  events: TicketEventDto[];
  onNotice: (message: string | null) => void;
}) {
  const { t } = useI18n();
  const id = useId();
  const run = useTicketAction(store, onNotice);
  const { ticket } = detail;
  const [confirming, setConfirming] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState<'withdraw' | 'urge' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [info, setInfo] = useState<string | null>(null);
  if (ticket.status !== 'pending' && ticket.status !== 'returned') return null;
  const returned = ticket.status === 'returned' ? lastReturn(events) : null;

  async function withdraw() {
    setBusy('withdraw');
    const ok = await run(() => api.withdraw(ticket.id, reason.trim() ? { comment: reason.trim() } : {}), setError);
    setBusy(null);
    if (ok) setConfirming(false);
  }

  async function urge() {
    setBusy('urge');
    setInfo(null);
    setError(null);
    try {
      await api.urge(ticket.id);
      setInfo(t('req.urged'));
    } catch (caught) {
      if (caught instanceof ApiError && caught.status === 429) setInfo(t('req.urgeTooSoon', { message: caught.message }));
      else if (caught instanceof ApiError) setError(caught.status === 0 ? t('error.network') : caught.message);
      else setError(t('error.generic'));
    } finally {
      setBusy(null);
    }
  }

  return (
    <section className="card requester-panel" aria-labelledby={`${id}-title`} data-testid="requester-panel">
      <h2 id={`${id}-title`}>{t('req.title')}</h2>
      {ticket.status === 'returned' && (
        <div className="alert alert--returned" role="note" data-testid="return-comment">
          <strong>{returned?.actor ? t('req.returned', { name: returned.actor.name }) : t('req.returnedNoName')}</strong>
          {returned?.comment && <blockquote className="timeline__comment">{returned.comment}</blockquote>}
        </div>
      )}
      {ticket.status === 'returned' && <ResubmitForm store={store} detail={detail} onNotice={onNotice} />}
      {error && (
        <p className="alert alert--error" role="alert">
          {error}
        </p>
      )}
      <p role="status" className="muted">
        {info}
      </p>
      <div className="decision__actions">
        {ticket.status === 'pending' && (
          <button type="button" className="btn" disabled={busy !== null} onClick={() => void urge()}>
            {busy === 'urge' ? t('req.sending') : t('req.urge')}
          </button>
        )}
        {!confirming && (
          <button type="button" className="btn btn--reject" disabled={busy !== null} onClick={() => setConfirming(true)}>
            {t('req.withdraw')}
          </button>
        )}
      </div>
      {confirming && (
        <div className="confirm" role="group" aria-labelledby={`${id}-confirm`}>
          <p id={`${id}-confirm`}>{t('req.withdrawConfirm')}</p>
          <div className="field">
            <label htmlFor={`${id}-reason`}>{t('req.withdrawReason')}</label>
            <textarea id={`${id}-reason`} rows={2} maxLength={COMMENT_MAX} value={reason} onChange={(e) => setReason(e.target.value)} />
          </div>
          <div className="decision__actions">
            <button type="button" className="btn btn--reject" disabled={busy !== null} onClick={() => void withdraw()}>
              {busy === 'withdraw' ? t('req.sending') : t('req.withdrawYes')}
            </button>
            <button type="button" className="btn" onClick={() => setConfirming(false)}>
              {t('req.cancel')}
            </button>
          </div>
        </div>
      )}
    </section>
  );
}

const toRaw = (detail: TicketDetailDto): RawValues =>
  Object.fromEntries(Object.entries(detail.ticket.fields).map(([k, v]) => [k, v === null || v === undefined ? '' : String(v)]));

function ResubmitForm({ store, detail, onNotice }: { store: LiveTicket; detail: TicketDetailDto; onNotice: (m: string | null) => void }) {
  const { t } = useI18n();
  const id = useId();
  const run = useTicketAction(store, onNotice);
  const { ticket } = detail;
  const [title, setTitle] = useState(ticket.title);
  const [values, setValues] = useState<RawValues>(() => toRaw(detail));
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<FormErrors>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const message = (key: string) => (errors[key] ? localizeValidationMessage(errors[key], t) : undefined);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    // Same checks as a new ticket (fieldValuesSchema), against the ticket's own field definitions.
    const template = { key: ticket.templateKey, fields: ticket.fieldDefs } as Parameters<typeof buildTicketInput>[0];
    const { input, errors: found } = buildTicketInput(template, title, values);
    setErrors(found);
    if (!input) return;
    setBusy(true);
    await run(
      () => api.resubmit(ticket.id, { title: input.title, fields: input.fields, ...(note.trim() ? { comment: note.trim() } : {}) }),
      setError,
    );
    setBusy(false);
  }

  return (
    <form className="form resubmit" onSubmit={(e) => void submit(e)} noValidate aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{t('req.resubmitTitle')}</h3>
      <div className="field">
        <label htmlFor={`${id}-ticket-title`}>{t('new.ticketTitle')}</label>
        <input
          id={`${id}-ticket-title`}
          name="title"
          type="text"
          maxLength={TITLE_MAX}
          value={title}
          onChange={(e) => setTitle(e.target.value)}
          aria-invalid={errors.title ? true : undefined}
          aria-describedby={errors.title ? `${id}-title-error` : undefined}
        />
        {errors.title && (
          <p className="field__error" id={`${id}-title-error`}>
            {message('title')}
          </p>
        )}
      </div>
      {ticket.fieldDefs.map((def) => (
        <FieldInput
          key={def.key}
          def={def}
          id={`${id}-f-${def.key}`}
          value={values[def.key] ?? ''}
          error={message(def.key)}
          onChange={(value) => setValues((prev) => ({ ...prev, [def.key]: value }))}
        />
      ))}
      <div className="field">
        <label htmlFor={`${id}-note`}>{t('req.resubmitNote')}</label>
        <textarea id={`${id}-note`} rows={2} maxLength={COMMENT_MAX} value={note} onChange={(e) => setNote(e.target.value)} />
      </div>
      {Object.keys(errors).length > 0 && (
        <p className="alert alert--error" role="alert">
          {t('new.fixErrors')}
        </p>
      )}
      {error && (
        <p className="alert alert--error" role="alert">
          {error}
        </p>
      )}
      <div className="form__actions">
        <button type="submit" className="btn btn--primary" disabled={busy}>
          {busy ? t('req.sending') : t('req.resubmit')}
        </button>
      </div>
    </form>
  );
}
