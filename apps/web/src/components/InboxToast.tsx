import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { useI18n } from '../i18n';
import { useSession } from '../session/context';

const TOAST_MS = 6000;

/**
 * "A new ticket is waiting for you", when the inbox count goes up live. The polite live
 * region is always in the page so the message is announced when it appears. It leaves
 * by itself after ~6 s (not while hovered or focused), or with its close button.
 */
export function InboxToast() {
  const { t } = useI18n();
  const { inboxNotice, dismissInboxNotice } = useSession();
  const [held, setHeld] = useState({ hover: false, focus: false });
  const paused = held.hover || held.focus;
  const noticeId = inboxNotice?.id;

  useEffect(() => {
    if (noticeId === undefined || paused) return;
    const timer = setTimeout(dismissInboxNotice, TOAST_MS);
    return () => clearTimeout(timer);
  }, [noticeId, paused, dismissInboxNotice]);

  return (
    <div className="toasts" role="status" aria-live="polite" aria-atomic="true">
      {inboxNotice && (
        <div
          key={inboxNotice.id}
          className="toast"
          data-testid="inbox-toast"
          onMouseEnter={() => setHeld((h) => ({ ...h, hover: true }))}
          onMouseLeave={() => setHeld((h) => ({ ...h, hover: false }))}
          onFocus={() => setHeld((h) => ({ ...h, focus: true }))}
          onBlur={(e) => {
            if (!e.currentTarget.contains(e.relatedTarget)) setHeld((h) => ({ ...h, focus: false }));
          }}
        >
          <span className="toast__icon" aria-hidden="true">
            ●
          </span>
          <p className="toast__text">{t('toast.newTicket')}</p>
          <Link to="/todo" className="toast__link" onClick={dismissInboxNotice}>
            {t('toast.open')}
          </Link>
          <button type="button" className="toast__close" aria-label={t('toast.dismiss')} onClick={dismissInboxNotice}>
            <span aria-hidden="true">×</span>
          </button>
        </div>
      )}
    </div>
  );
}
