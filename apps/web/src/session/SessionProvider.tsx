import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { UserDto } from '@signoff/contracts';
import { api, ApiError, setUnauthorizedListener } from '../api';
import { useI18n } from '../i18n';
import { closeSocket, openSocket, type AppSocket } from '../socket';
import { LoginPage } from '../pages/LoginPage';
import { SessionContext, type Session } from './context';

type Boot =
  | { phase: 'loading' }
  | { phase: 'error'; message: string | null }
  | { phase: 'signedOut' }
  | { phase: 'signedIn'; user: UserDto; socket: AppSocket };

/** Decides between the login page and the app, and owns the socket of a signed-in user. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const [boot, setBoot] = useState<Boot>({ phase: 'loading' });
  const [inboxCount, setInboxCount] = useState<number | null>(null);
  const [inboxVersion, setInboxVersion] = useState(0);
  const [inboxNotice, setInboxNotice] = useState<{ id: number } | null>(null);
  const knownCount = useRef<number | null>(null);
  const [attempt, setAttempt] = useState(0);

  const enter = useCallback((user: UserDto) => {
    setBoot({ phase: 'signedIn', user, socket: openSocket() });
  }, []);

  const leave = useCallback(() => {
    closeSocket();
    knownCount.current = null;
    setInboxCount(null);
    setInboxNotice(null);
    setBoot({ phase: 'signedOut' });
  }, []);

  useEffect(() => {
    let cancelled = false;
    api.me().then(
      (user) => {
        if (!cancelled) enter(user);
      },
      (error: unknown) => {
        if (cancelled) return;
        if (error instanceof ApiError && error.status === 401) setBoot({ phase: 'signedOut' });
        else setBoot({ phase: 'error', message: error instanceof ApiError && error.status !== 0 ? error.message : null });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [attempt, enter]);

  useEffect(() => {
    setUnauthorizedListener(leave);
    return () => setUnauthorizedListener(null);
  }, [leave]);

  // Inbox count: fetched on sign-in and after every (re)connect, pushed by `inbox:changed`.
  // A pushed count higher than the one known raises a notice (the shell's toast).
  const socket = boot.phase === 'signedIn' ? boot.socket : null;
  useEffect(() => {
    if (!socket) return;
    let cancelled = false;
    let connectedBefore = socket.connected;
    const setCount = (count: number) => {
      knownCount.current = count;
      setInboxCount(count);
    };
    const refresh = () => {
      api.tickets('todo').then(
        (rows) => {
          if (!cancelled) setCount(rows.length);
        },
        () => undefined,
      );
    };
    const onConnect = () => {
      refresh();
      // After a reconnect the list may have missed pushes: let it refetch too.
      if (connectedBefore) setInboxVersion((v) => v + 1);
      connectedBefore = true;
    };
    const onInbox = ({ count }: { count: number }) => {
      const previous = knownCount.current;
      setCount(count);
      setInboxVersion((v) => v + 1);
      if (previous !== null && count > previous) setInboxNotice((n) => ({ id: (n?.id ?? 0) + 1 }));
    };
    socket.on('inbox:changed', onInbox);
    socket.on('connect', onConnect);
    refresh();
    return () => {
      cancelled = true;
      socket.off('inbox:changed', onInbox);
      socket.off('connect', onConnect);
    };
  }, [socket]);

  const dismissInboxNotice = useCallback(() => setInboxNotice(null), []);

  useEffect(() => {
    document.title = inboxCount ? `(${inboxCount}) ${t('app.name')}` : t('app.name');
  }, [inboxCount, t]);

  const signOut = useCallback(async () => {
    try {
      await api.logout();
    } finally {
      leave();
    }
  }, [leave]);

  const session = useMemo<Session | null>(
    () =>
      boot.phase === 'signedIn'
        ? { user: boot.user, socket: boot.socket, inboxCount, inboxVersion, inboxNotice, dismissInboxNotice, signOut }
        : null,
    [boot, inboxCount, inboxVersion, inboxNotice, dismissInboxNotice, signOut],
  );

  if (boot.phase === 'loading') {
    return (
      <div className="boot" role="status">
        {t('app.loading')}
      </div>
    );
  }
  if (boot.phase === 'error') {
    return (
      <div className="boot">
        <p role="alert">{boot.message ?? t('error.network')}</p>
        <button
          type="button"
          className="btn"
          onClick={() => {
            setBoot({ phase: 'loading' });
            setAttempt((n) => n + 1);
          }}
        >
          {t('error.retry')}
        </button>
      </div>
    );
  }
  if (!session) return <LoginPage onSignedIn={enter} />;
  return <SessionContext value={session}>{children}</SessionContext>;
}
