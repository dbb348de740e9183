import { useEffect, useState, useSyncExternalStore } from 'react';
import { useSession } from '../session/context';
import { LiveTicket, type LiveTicketState } from './liveTicket';

/** Watches one ticket for as long as the calling component is mounted. */
export function useLiveTicket(ticketId: string): { store: LiveTicket; state: LiveTicketState } {
  const { socket } = useSession();
  // The caller is keyed by ticket id, so one store per mount is enough.
  const [store] = useState(() => new LiveTicket(ticketId, socket));
  useEffect(() => {
    store.start();
    return () => store.stop();
  }, [store]);
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot);
  return { store, state };
}
