import { Link } from 'react-router-dom';
import type { TicketSummaryDto } from '@signoff/contracts';
import { useI18n } from '../i18n';
import { TicketStatusBadge } from './StatusBadge';

/** Tickets as a table on wide screens and as stacked cards on phones (CSS only). */
export interface Selection {
  selected: ReadonlySet<string>;
  toggle: (ticketId: string, on: boolean) => void;
}

export function TicketTable({ rows, caption, selection }: { rows: TicketSummaryDto[]; caption: string; selection?: Selection }) {
  const { t, lt, formatDateTime } = useI18n();
  return (
    <table className="table table--tickets">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          {selection && (
            <th scope="col" className="table__check">
              <span className="visually-hidden">{t('bulk.actions')}</span>
            </th>
          )}
          <th scope="col">{t('list.col.title')}</th>
          <th scope="col">{t('list.col.template')}</th>
          <th scope="col">{t('list.col.status')}</th>
          <th scope="col">{t('list.col.stage')}</th>
          <th scope="col">{t('list.col.requester')}</th>
          <th scope="col">{t('list.col.updated')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ ticket, activeStep }) => (
          <tr key={ticket.id} data-ticket-id={ticket.id}>
            {selection && (
              <td className="table__check">
                <input
                  type="checkbox"
                  aria-label={t('bulk.select', { title: ticket.title })}
                  checked={selection.selected.has(ticket.id)}
                  disabled={!activeStep}
                  onChange={(e) => selection.toggle(ticket.id, e.target.checked)}
                />
              </td>
            )}
            <td data-label={t('list.col.title')} className="table__title">
              <Link to={`/tickets/${ticket.id}`}>{ticket.title}</Link>
            </td>
            <td data-label={t('list.col.template')}>{lt(ticket.templateName)}</td>
            <td data-label={t('list.col.status')}>
              <TicketStatusBadge status={ticket.status} />
            </td>
            <td data-label={t('list.col.stage')}>{activeStep ? lt(activeStep.name) : t('list.noStage')}</td>
            <td data-label={t('list.col.requester')}>{ticket.requester.name}</td>
            <td data-label={t('list.col.updated')}>
              <time dateTime={ticket.updatedAt}>{formatDateTime(ticket.updatedAt)}</time>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
