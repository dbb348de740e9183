/**
 * Several instances as they are deployed: two `node apps/api/dist/main.js` processes on one
 * database, sharing Socket.IO rooms through the machine's Redis, with Debian's nginx in
 * front. The last test SIGKILLs the instance the clients are on while decisions keep
 * coming, and checks they end with exactly the database's event log.
 */
import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboxChangedDto, TicketDetailDto, TicketEventDto, TicketSummaryDto } from '@signoff/contracts';
import { createTestDatabase, dropTestDatabase } from './harness';
import {
  closeSockets,
  connected,
  connectSocket,
  killHard,
  login,
  request,
  requireCommand,
  startApi,
  startNginx,
  stopAll,
  TicketFollower,
  waitUntil,
  watch,
  startRedis,
  type ApiInstance,
  type Nginx,
  type RedisServer,
  type TypedClient,
} from './processes';

/** The machine's Redis when CI names one (TEST_REDIS_URL), else one of our own. */
let redis: RedisServer | null = null;

let databaseUrl = '';
let db: Client;
let a: ApiInstance;
let b: ApiInstance;
let lb: Nginx;
const tokens: Record<string, string> = {};

const release = (title: string) => ({
  templateKey: 'release',
  title,
  fields: { service: 'billing', version: '2.4.0', releaseDate: '2026-12-01', risk: 'low' },
});
/** Who decides each stage of the release template: code review, QA, ops. */
const DECIDERS = ['bob', 'qa', 'ops'];

beforeAll(async () => {
  requireCommand('nginx', 'apt-get install -y nginx');
  databaseUrl = await createTestDatabase();
  db = new Client({ connectionString: databaseUrl });
  await db.connect();
  if (!process.env.TEST_REDIS_URL) redis = await startRedis();
  const env = { DATABASE_URL: databaseUrl, REDIS_URL: process.env.TEST_REDIS_URL ?? redis!.url };
  // Both migrate under the advisory lock; only the first seeds, and the second starts once it is healthy.
  a = await startApi({ ...env, SEED_DEMO: 'true' });
  b = await startApi({ ...env, SEED_DEMO: 'false' });
  lb = await startNginx([a.port, b.port]);
  for (const who of ['alice', 'bob', 'qa', 'ops']) tokens[who] = await login(a.baseUrl, who);
});

afterAll(async () => {
  closeSockets();
  await stopAll();
  await lb?.stop();
  await db?.end();
  if (databaseUrl) await dropTestDatabase(databaseUrl);
});

async function submit(baseUrl: string, title: string): Promise<TicketDetailDto> {
  const res = await request(baseUrl, 'POST', '/api/tickets', { token: tokens.alice, body: release(title) });
  expect(res.status).toBe(201);
  return res.body as TicketDetailDto;
}

const decide = (baseUrl: string, detail: TicketDetailDto, position: number) =>
  request(baseUrl, 'POST', `/api/tickets/${detail.ticket.id}/decisions`, {
    token: tokens[DECIDERS[position]],
    body: { stepId: detail.flow.steps[position].id, decision: 'approve' },
  });

function nextEvent<T>(socket: TypedClient, event: 'ticket:event' | 'inbox:changed', ms = 5_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${ms} ms`)), ms);
    (socket as unknown as { once(e: string, f: (p: T) => void): void }).once(event, (payload) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });
}

async function databaseLog(ticketId: string): Promise<Array<{ seq: number; type: string }>> {
  const { rows } = await db.query<{ seq: number; type: string }>('SELECT seq, type FROM ticket_events WHERE ticket_id = $1 ORDER BY seq', [
    ticketId,
  ]);
  return rows;
}

/** Which instance nginx sends this session's requests to (same affinity key as its sockets). */
async function upstreamOf(token: string): Promise<string> {
  const res = await request(lb.baseUrl, 'GET', '/api/health', { headers: { cookie: `signoff_session=${token}` } });
  expect(res.status).toBe(200);
  // After a failover nginx may list the dead peer it tried first: the last one answered.
  return res.headers.get('x-signoff-upstream')!.split(',').pop()!.trim();
}

/**
 * Decides one stage through nginx, as a person would who retries after an error: a 502 or
 * a dropped connection may or may not have committed, so it looks before trying again.
 */
async function decideThroughFailover(detail: TicketDetailDto, position: number): Promise<void> {
  for (let attempt = 0; attempt < 40; attempt++) {
    const res = await decide(lb.baseUrl, detail, position).catch(() => null);
    if (res?.status === 200) return;
    const now = await request(lb.baseUrl, 'GET', `/api/tickets/${detail.ticket.id}`, { token: tokens.alice }).catch(() => null);
    if (now?.status === 200 && (now.body as TicketDetailDto).flow.steps[position].status === 'approved') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`could not decide stage ${position} of ${detail.ticket.id}`);
}

describe('two instances sharing rooms through Redis', () => {
  it('delivers a decision made through instance A to a watcher connected to instance B', async () => {
    const detail = await submit(a.baseUrl, 'Cross-instance');
    const watcher = connectSocket(b.baseUrl, tokens.alice, { reconnection: false });
    await connected(watcher);
    expect(await watch(watcher, detail.ticket.id)).toEqual({ ok: true, seq: 1 });
    const event = nextEvent<TicketEventDto>(watcher, 'ticket:event');
    expect((await decide(a.baseUrl, detail, 0)).status).toBe(200);
    expect(await event).toMatchObject({ ticketId: detail.ticket.id, seq: 2, type: 'step.approved', actor: { email: 'bob@signoff.local' } });
  });

  it('tells the next approver connected to instance B their new to-do count after a decision through A', async () => {
    const detail = await submit(a.baseUrl, 'Inbox across instances');
    const qa = connectSocket(b.baseUrl, tokens.qa, { reconnection: false });
    await connected(qa);
    const inbox = nextEvent<InboxChangedDto>(qa, 'inbox:changed');
    expect((await decide(a.baseUrl, detail, 0)).status).toBe(200);
    const { count } = await inbox;
    const todo = (await request(b.baseUrl, 'GET', '/api/tickets?box=todo', { token: tokens.qa })).body as TicketSummaryDto[];
    expect(count).toBe(todo.length);
    expect(todo.map((t) => t.ticket.id)).toContain(detail.ticket.id);
  });
});

describe('behind nginx', () => {
  it('delivers a decision made through nginx to long-polling and WebSocket clients connected through nginx', async () => {
    const detail = await submit(lb.baseUrl, 'Through the balancer');
    const polling = connectSocket(lb.baseUrl, tokens.alice, { transports: ['polling'], reconnection: false });
    const websocket = connectSocket(lb.baseUrl, tokens.alice, { transports: ['websocket'], reconnection: false });
    await Promise.all([connected(polling), connected(websocket)]);
    for (const s of [polling, websocket]) expect(await watch(s, detail.ticket.id)).toEqual({ ok: true, seq: 1 });
    const events = [nextEvent<TicketEventDto>(polling, 'ticket:event'), nextEvent<TicketEventDto>(websocket, 'ticket:event')];
    expect((await decide(lb.baseUrl, detail, 0)).status).toBe(200);
    for (const e of await Promise.all(events)) expect(e).toMatchObject({ seq: 2, type: 'step.approved' });
  });

  it('moves clients to the surviving instance when theirs is SIGKILLed mid-stream, ending with exactly the database’s events', async () => {
    const tickets: TicketDetailDto[] = [];
    for (let i = 0; i < 6; i++) tickets.push(await submit(lb.baseUrl, `Failover ${i}`));
    // A reconnection delay of 0.5–1.5 s leaves room for decisions the clients can only get by replay.
    const sockets = {
      polling: connectSocket(lb.baseUrl, tokens.alice, { transports: ['polling'], reconnectionDelay: 1_000 }),
      websocket: connectSocket(lb.baseUrl, tokens.alice, { transports: ['websocket'], reconnectionDelay: 1_000 }),
    };
    await Promise.all(Object.values(sockets).map((s) => connected(s)));
    const followers = Object.entries(sockets).flatMap(([transport, socket]) =>
      tickets.map((t) => ({ transport, follower: new TicketFollower(socket, t.ticket.id) })),
    );
    for (const { follower } of followers) expect(await follower.start(0)).toEqual({ ok: true, seq: 1 });

    const before = await upstreamOf(tokens.alice);
    const [victim, survivor] = before === `127.0.0.1:${a.port}` ? [a, b] : [b, a];
    expect(before).toBe(`127.0.0.1:${victim.port}`);

    // 18 decisions, one after another through nginx; the clients' instance dies after the 5th.
    const awayDuring = { polling: 0, websocket: 0 };
    let made = 0;
    for (const detail of tickets) {
      for (let position = 0; position < DECIDERS.length; position++) {
        const away = Object.entries(sockets).filter(([, s]) => !s.connected);
        await decideThroughFailover(detail, position);
        // Committed while that client was disconnected throughout: only the replay can bring it.
        for (const [transport, s] of away) if (!s.connected) awayDuring[transport as keyof typeof awayDuring]++;
        if (++made === 5) {
          await killHard(victim.child);
          await waitUntil('both clients notice', () => Object.values(sockets).every((s) => !s.connected), 5_000, 10);
        }
        await new Promise((r) => setTimeout(r, 60));
      }
    }

    const finalSeq = 1 + DECIDERS.length;
    await waitUntil('every client caught up', () => followers.every(({ follower }) => follower.lastSeq === finalSeq), 20_000);
    await Promise.all(followers.map(({ follower }) => follower.settled()));

    expect(await upstreamOf(tokens.alice)).toBe(`127.0.0.1:${survivor.port}`);
    for (const socket of Object.values(sockets)) expect(socket.connected).toBe(true);
    for (const { transport, follower } of followers) {
      const log = await databaseLog(follower.ticketId);
      expect(log.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
      // No gaps, no duplicates, in order: the client's log is the database's.
      expect({ transport, applied: follower.applied.map((e) => ({ seq: e.seq, type: e.type })) }).toEqual({ transport, applied: log });
      expect(follower.applied.at(-1)!.ticket.status).toBe('approved');
      expect(follower.reconnects).toBeGreaterThanOrEqual(1);
    }
    expect(awayDuring.polling).toBeGreaterThanOrEqual(1);
    expect(awayDuring.websocket).toBeGreaterThanOrEqual(1);
  });
});
