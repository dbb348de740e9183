import { useEffect, useId, useMemo, useState } from 'react';
import { TICKET_STATUSES, type StatsDto } from '@signoff/contracts';
import { api, ApiError } from '../api';
import { AdminNav } from '../components/AdminNav';
import { ErrorMessage } from '../components/ErrorMessage';
import { useI18n } from '../i18n';
import { LOCALE_TAGS } from '../i18n/dictionary';
import { useSession } from '../session/context';

/** The sliding window moves even when nothing happens: refetch once a minute. */
const REFRESH_MS = 60_000;

/** The newer of two figures (a slow GET must not overwrite a fresher push). */
const newer = (a: StatsDto | null, b: StatsDto) => (a && Date.parse(a.at) > Date.parse(b.at) ? a : b);

/**
 * Admin dashboard: tickets by status and decisions per minute. Loaded from
 * GET /api/admin/stats, then kept live by `stats:changed` (and re-read on reconnect).
 */
export function DashboardPage() {
  const { t, formatDateTime } = useI18n();
  const { socket } = useSession();
  const [stats, setStats] = useState<StatsDto | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    const load = () => {
      api.stats(controller.signal).then(
        (data) => {
          setStats((s) => newer(s, data));
          setError(null);
        },
        (caught: unknown) => {
          if (controller.signal.aborted) return;
          setError(caught instanceof ApiError ? caught : new ApiError(0, String(caught)));
        },
      );
    };
    const onStats = (data: StatsDto) => {
      setStats((s) => newer(s, data));
      setError(null);
    };
    socket.on('stats:changed', onStats);
    socket.on('connect', load);
    const timer = setInterval(load, REFRESH_MS);
    load();
    return () => {
      controller.abort();
      clearInterval(timer);
      socket.off('stats:changed', onStats);
      socket.off('connect', load);
    };
  }, [socket, reloads]);

  return (
    <section aria-labelledby="dashboard-title">
      <div className="page-head">
        <div>
          <h1 id="dashboard-title">{t('dashboard.title')}</h1>
          <p className="muted">{t('dashboard.intro')}</p>
        </div>
        {stats && (
          <p className="muted small">
            <time dateTime={stats.at}>{t('dashboard.updated', { time: formatDateTime(stats.at) })}</time>
          </p>
        )}
      </div>
      <AdminNav />
      {error && <ErrorMessage error={error} onRetry={() => setReloads((n) => n + 1)} />}
      {!stats && !error && (
        <p className="muted" role="status">
          {t('app.loading')}
        </p>
      )}
      {stats && (
        <div className="dashboard">
          <StatusFigures stats={stats} />
          <DecisionsChart points={stats.decisionsPerMinute} />
        </div>
      )}
    </section>
  );
}

function StatusFigures({ stats }: { stats: StatsDto }) {
  const { t } = useI18n();
  const id = useId();
  const total = TICKET_STATUSES.reduce((sum, s) => sum + (stats.ticketsByStatus[s] ?? 0), 0);
  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('dashboard.byStatus')}</h2>
      <dl className="figures">
        {TICKET_STATUSES.map((status) => (
          <div key={status} className={`figure figure--${status}`}>
            <dt>{t(`status.${status}`)}</dt>
            <dd data-testid={`stats-${status}`}>{stats.ticketsByStatus[status] ?? 0}</dd>
          </div>
        ))}
      </dl>
      {/* The same numbers as a proportion; they are already read out above. */}
      <div className="status-bar" aria-hidden="true">
        {TICKET_STATUSES.map((status) => {
          const count = stats.ticketsByStatus[status] ?? 0;
          return count > 0 ? (
            <span key={status} className={`status-bar__part status-bar__part--${status}`} style={{ flexGrow: count }} />
          ) : null;
        })}
      </div>
      <p className="muted small">{t('dashboard.total', { count: total })}</p>
    </section>
  );
}

const CHART_W = 300;
const CHART_H = 100;

function DecisionsChart({ points }: { points: StatsDto['decisionsPerMinute'] }) {
  const { t, locale } = useI18n();
  const id = useId();
  const time = useMemo(() => new Intl.DateTimeFormat(LOCALE_TAGS[locale], { hour: '2-digit', minute: '2-digit' }), [locale]);
  const minutes = points.length;
  const total = points.reduce((sum, p) => sum + p.count, 0);
  const peak = points.reduce((max, p) => Math.max(max, p.count), 0);
  const last = points.at(-1)?.count ?? 0;
  const scale = Math.max(peak, 1);
  const slot = minutes > 0 ? CHART_W / minutes : CHART_W;
  const label = t('dashboard.chartLabel', { minutes, total, peak, last });
  const fmt = (iso: string) => {
    const d = new Date(iso);
    return Number.isNaN(d.getTime()) ? iso : time.format(d);
  };

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('dashboard.decisions')}</h2>
      <p className="muted small">{t('dashboard.decisionsIntro', { minutes })}</p>
      <div className="chart">
        <span className="chart__peak muted small" aria-hidden="true">
          {t('dashboard.peak', { peak })}
        </span>
        <svg
          className="chart__svg"
          data-testid="decisions-chart"
          role="img"
          aria-label={label}
          viewBox={`0 0 ${CHART_W} ${CHART_H}`}
          preserveAspectRatio="none"
          data-total={total}
        >
          <line x1="0" y1={CHART_H - 0.5} x2={CHART_W} y2={CHART_H - 0.5} className="chart__axis" />
          {points.map((p, i) => {
            const h = p.count === 0 ? 0 : Math.max(2, (p.count / scale) * (CHART_H - 4));
            return (
              <rect
                key={p.minute}
                className="chart__bar"
                x={i * slot + slot * 0.15}
                y={CHART_H - h}
                width={slot * 0.7}
                height={h}
                data-count={p.count}
              />
            );
          })}
        </svg>
        {minutes > 0 && (
          <div className="chart__ticks muted small" aria-hidden="true">
            <span>{fmt(points[0]!.minute)}</span>
            <span>{fmt(points[minutes - 1]!.minute)}</span>
          </div>
        )}
      </div>
      <table className="visually-hidden">
        <caption>{t('dashboard.decisions')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('dashboard.col.minute')}</th>
            <th scope="col">{t('dashboard.col.count')}</th>
          </tr>
        </thead>
        <tbody>
          {points.map((p) => (
            <tr key={p.minute}>
              <th scope="row">
                <time dateTime={p.minute}>{fmt(p.minute)}</time>
              </th>
              <td>{p.count}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
