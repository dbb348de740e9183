import { parse as parseCookie } from 'cookie';
import { SESSION_COOKIE } from './auth.types';

/** The session token of an HTTP request or a socket handshake: bearer header first, then cookie. */
export function tokenFrom(headers: { authorization?: string; cookie?: string }, explicit?: unknown): string | undefined {
  if (typeof explicit === 'string' && explicit) return explicit;
  const bearer = /^Bearer\s+(\S+)$/i.exec(headers.authorization ?? '');
  if (bearer) return bearer[1];
  return headers.cookie ? parseCookie(headers.cookie)[SESSION_COOKIE] : undefined;
}
