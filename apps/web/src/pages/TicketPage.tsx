import { lazy, Suspense, useMemo, useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import { flowToTreeModel, type TicketDetailDto, type TicketEventDto } from '@signoff/contracts';
import { ErrorMessage } from '../components/ErrorMessage';
import { TicketStatusBadge } from '../components/StatusBadge';
import { useI18n } from '../i18n';
import { useSession } from '../session/context';
import { DecisionPanel } from '../ticket/DecisionPanel';
import { Discussion } from '../ticket/Discussion';
import { Presence } from '../ticket/Presence';
import { RequesterPanel } from '../ticket/RequesterPanel';
import { StepsList } from '../ticket/StepsList';
import { TicketFields } from '../ticket/TicketFields';
import { Timeline } from '../ticket/Timeline';
import type { LiveTicket } from '../ticket/liveTicket';
import { useLiveTicket } from '../ticket/useLiveTicket';

/** Retries a failed chunk load (e.g. the network dropped) once the browser is online again. */
function retrying<T>(load: () => Promise<T>, attempts = 3): Promise<T> {
  return load().catch((error: unknown) => {
    if (attempts <= 1) throw error;
    return new Promise<T>((resolve, reject) => {
      const retry = () => retrying(load, attempts - 1).then(resolve, reject);
      if (navigator.onLine) setTimeout(retry, 1000);
      else window.addEventListener('online', retry, { once: true });
    });
  });
}

// GoJS is most of the bundle: load it with the first ticket page, not at sign-in.
const FlowDiagram = lazy(() => retrying(() => import('../flow/FlowDiagram')).then((m) => ({ default: m.FlowDiagram })));

export function TicketPage() {
  const { id = '' } = useParams();
  // A new id means a new store, a new watch and a new diagram.
  return <LiveTicketView key={id} ticketId={id} />;
}

function LiveTicketView({ ticketId }: { ticketId: string }) {
  const { t } = useI18n();
  const { user } = useSession();
  const { store, state } = useLiveTicket(ticketId);
  const [notice, setNotice] = useState<string | null>(null);

  if (!state.detail) {
    if (state.error) {
      if (state.error.status === 404 || state.error.status === 400) {
        return (
          <div className="empty" role="alert">
            <p>{t('ticket.notFound')}</p>
            <Link to="/todo">{t('notFound.home')}</Link>
          </div>
        );
      }
      return <ErrorMessage error={state.error} onRetry={() => void store.refetch()} />;
    }
    return (
      <p className="muted" role="status">
        {t('app.loading')}
      </p>
    );
  }

  return (
    <TicketView
      detail={state.detail}
      events={state.events}
      presence={<Presence viewers={state.viewers} selfId={user.id} />}
      discussion={<Discussion store={store} events={state.events} />}
    >
      {state.catchingUp && (
        <p className="alert alert--info" role="status" data-testid="catching-up" title={t('ticket.outdated')}>
          {t('ticket.catchingUp')}
        </p>
      )}
      {notice && (
        <p className="alert alert--warn" role="alert">
          {notice}
        </p>
      )}
      {state.error && <ErrorMessage error={state.error} onRetry={() => void store.refetch()} />}
      <DecisionSlot detail={state.detail} onNotice={setNotice} store={store} />
      {state.detail.ticket.requester.id === user.id && (
        <RequesterPanel store={store} detail={state.detail} events={state.events} onNotice={setNotice} />
      )}
    </TicketView>
  );
}

function DecisionSlot({ detail, store, onNotice }: { detail: TicketDetailDto; store: LiveTicket; onNotice: (m: string | null) => void }) {
  const step = [...detail.flow.steps].sort((a, b) => a.position - b.position).find((s) => detail.actionableStepIds.includes(s.id));
  if (!step) return null;
  return <DecisionPanel key={step.id} store={store} detail={detail} step={step} onNotice={onNotice} />;
}

function TicketView({
  detail,
  events,
  presence,
  discussion,
  children,
}: {
  detail: TicketDetailDto;
  events: TicketEventDto[];
  presence: ReactNode;
  discussion: ReactNode;
  children: ReactNode;
}) {
  const { t, lt, locale, formatDateTime } = useI18n();
  const { ticket, flow } = detail;
  const nodes = useMemo(() => flowToTreeModel(ticket, flow, locale), [ticket, flow, locale]);

  return (
    <article className="ticket" data-ticket-id={ticket.id} data-seq={detail.seq}>
      <header className="ticket__head">
        <div className="ticket__crumbs">
          <Link to="/mine">← {t('ticket.back')}</Link>
          <span className="muted">{lt(ticket.templateName)}</span>
        </div>
        <div className="ticket__title-row">
          <h1 className="ticket__title">{ticket.title}</h1>
          <TicketStatusBadge status={ticket.status} testId="ticket-status" />
        </div>
        {presence}
        <p className="muted small">
          {t('ticket.requestedBy', { name: ticket.requester.name })} · {t('ticket.created', { time: formatDateTime(ticket.createdAt) })} ·{' '}
          {t('ticket.updated', { time: formatDateTime(ticket.updatedAt) })}
        </p>
      </header>

      {children}

      <section className="card" aria-labelledby="flow-title">
        <h2 id="flow-title">{t('ticket.flow')}</h2>
        <div className="flow">
          <Suspense fallback={<div className="flow__diagram" aria-busy="true" />}>
            <FlowDiagram nodes={nodes} label={t('ticket.flowDiagram')} />
          </Suspense>
          <StepsList steps={flow.steps} />
        </div>
      </section>

      <div className="ticket__columns">
        <section className="card" aria-labelledby="fields-title">
          <h2 id="fields-title">{t('ticket.fields')}</h2>
          <TicketFields defs={ticket.fieldDefs} values={ticket.fields} />
        </section>
        <section className="card" aria-labelledby="timeline-title">
          <h2 id="timeline-title">{t('ticket.timeline')}</h2>
          <Timeline events={events} />
        </section>
      </div>

      {discussion}
    </article>
  );
}
