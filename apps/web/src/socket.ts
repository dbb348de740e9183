/**
 * The one Socket.IO connection of the app, typed with the event map from contracts.
 * It is opened after sign-in (the handshake carries the session cookie) and closed on
 * sign-out. Its state (live / reconnecting / offline) is observable for the shell.
 */
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@signoff/contracts';

export type AppSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type ConnectionState = 'live' | 'reconnecting' | 'offline';

let socket: AppSocket | null = null;
let detachWindowListeners: (() => void) | null = null;
let state: ConnectionState = 'offline';
const listeners = new Set<() => void>();

function setState(next: ConnectionState) {
  if (next === state) return;
  state = next;
  for (const listener of listeners) listener();
}

function computeState(s: AppSocket): ConnectionState {
  if (s.connected) return 'live';
  if (!navigator.onLine) return 'offline';
  // `active` means the manager will keep retrying on its own.
  return s.active ? 'reconnecting' : 'offline';
}

export function openSocket(): AppSocket {
  if (socket) return socket;
  const s: AppSocket = io({ withCredentials: true, autoConnect: false });
  const update = () => setState(computeState(s));
  s.on('connect', update);
  s.on('disconnect', update);
  s.on('connect_error', update);
  s.io.on('reconnect_attempt', update);
  s.io.on('reconnect_failed', update);
  window.addEventListener('online', update);
  window.addEventListener('offline', update);
  detachWindowListeners = () => {
    window.removeEventListener('online', update);
    window.removeEventListener('offline', update);
  };
  socket = s;
  s.connect();
  setState('reconnecting');
  return s;
}

export function closeSocket() {
  if (!socket) return;
  detachWindowListeners?.();
  detachWindowListeners = null;
  socket.removeAllListeners();
  socket.io.removeAllListeners();
  socket.disconnect();
  socket = null;
  setState('offline');
}

export const connectionStore = {
  subscribe(listener: () => void) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  getSnapshot: (): ConnectionState => state,
};
