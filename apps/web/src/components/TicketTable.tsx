import { Link } from 'react-router-dom';
import type { TicketSummaryDto } from '@signoff/contracts';
import { useI18n } from '../i18n';
import { TicketStatusBadge } from './StatusBadge';

/** Tickets as a table on wide screens and as stacked cards on phones (CSS only). */
export function TicketTable({ rows, caption }: { rows: TicketSummaryDto[]; caption: string }) {
  const { t, lt, formatDateTime } = useI18n();
  return (
    <table className="table table--tickets">
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
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
