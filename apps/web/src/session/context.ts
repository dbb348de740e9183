import { createContext, useContext } from 'react';
import type { UserDto } from '@signoff/contracts';
import type { AppSocket } from '../socket';

export interface Session {
  user: UserDto;
  socket: AppSocket;
  /** Number of tickets waiting for this user's decision (nav badge, document title). */
  inboxCount: number | null;
  signOut: () => Promise<void>;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession must be used inside a signed-in <SessionProvider>');
  return value;
}
