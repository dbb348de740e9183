import { createContext, useContext } from 'react';
import type { UserDto } from '@signoff/contracts';
import type { AppSocket } from '../socket';

export interface Session {
  user: UserDto;
  socket: AppSocket;
  /** Number of tickets waiting for this user's decision (nav badge, document title). */
  inboxCount: number | null;
  /** Bumped on every `inbox:changed` and reconnect: the to-do list refetches on it. */
  inboxVersion: number;
  /** Set (with a new id) when the inbox count went up live; the shell shows a toast. */
  inboxNotice: { id: number } | null;
  dismissInboxNotice: () => void;
  signOut: () => Promise<void>;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside a signed-in <SessionProvider>');
  return value;
}
