/**
 * One ordered event log, four transports: Socket.IO over WebSocket, Socket.IO's HTTP
 * long-polling, Server-Sent Events and plain polling all deliver the same events in the
 * same order. Plus the live extras: discussion, presence, admin figures, revocation.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PresenceDto, StatsDto, TicketDetailDto, TicketEventDto, WatchAck } from '@signoff/contracts';
import { connected, nextEvent, startTestApp, type TestApp, type TypedClient } from './harness';

let t: TestApp;
let alice: string;
let bob: string;
let qa: string;
let ops: string;

const release = {
  templateKey: 'release',
  title: 'Ship 3.0',
  fields: { service: 'search', version: '3.0.0', releaseDate: '2026-12-02', risk: 'medium' },
};
const submit = async (): Promise<TicketDetailDto> => (await t.request('POST', '/api/tickets', alice, release)).body;
const decide = (token: string, detail: TicketDetailDto, position: number) =>
  t.request('POST', `/api/tickets/${detail.ticket.id}/decisions`, token, { stepId: detail.flow.steps[position].id, decision: 'approve' });
const watch = (socket: TypedClient, ticketId: string, afterSeq?: number) =>
  new Promise<WatchAck>((resolve) => socket.emit('ticket:watch', { ticketId, ...(afterSeq === undefined ? {} : { afterSeq }) }, resolve));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitFor(predicate: () => boolean | Promise<boolean>, ms = 5_000) {
  const until = Date.now() + ms;
  while (!(await predicate())) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await sleep(25);
  }
}

interface SseFrame {
  id?: string;
  event?: string;
  data?: string;
  comment?: string;
}

/** A raw SSE reader (what `curl -N` sees), so the wire format itself is under test. */
function openSse(path: string, token: string, headers: Record<string, string> = {}) {
  const frames: SseFrame[] = [];
  let status = 0;
  let contentType = '';
  let buffer = '';
  const req = http.get(`${t.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}`, ...headers } }, (res) => {
    status = res.statusCode ?? 0;
    contentType = String(res.headers['content-type'] ?? '');
    res.setEncoding('utf8');
    res.on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const frame: SseFrame = {};
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) frame.comment = line.slice(1).trim();
          else {
            const [field, ...rest] = line.split(':');
            (frame as Record<string, string>)[field] = rest.join(':').trimStart();
          }
        }
        frames.push(frame);
      }
    });
  });
  req.on('error', () => undefined);
  const events = () => frames.filter((f) => f.event === 'ticket:event').map((f) => JSON.parse(f.data!) as TicketEventDto);
  return {
    frames,
    events,
    status: () => status,
    contentType: () => contentType,
    ended: () => req.destroyed || req.socket?.destroyed === true,
    close: () => req.destroy(),
  };
}

beforeAll(async () => {
  t = await startTestApp({ SSE_HEARTBEAT_MS: '200', REVALIDATE_INTERVAL_MS: '300' });
  [alice, bob, qa, ops] = await Promise.all(['alice', 'bob', 'qa', 'ops'].map((u) => t.login(u)));
});
afterAll(() => t?.close());

describe('every transport delivers the same events in the same order', () => {
  it('WebSocket, long-polling, SSE and plain polling agree with the database', async () => {
    const detail = await submit();
    const id = detail.ticket.id;
    const ws = t.socket(alice, { transports: ['websocket'] });
    const polling = t.socket(alice, { transports: ['polling'] });
    await Promise.all([connected(ws), connected(polling)]);
    expect(polling.io.engine.transport.name).toBe('polling');
    const seen = { ws: [] as number[], polling: [] as number[] };
    ws.on('ticket:event', (e) => seen.ws.push(e.seq));
    polling.on('ticket:event', (e) => seen.polling.push(e.seq));
    await Promise.all([watch(ws, id, 1), watch(polling, id, 1)]);
    const sse = openSse(`/api/tickets/${id}/events/stream`, alice, { 'last-event-id': '1' });
    await waitFor(() => sse.status() === 200);

    expect((await decide(bob, detail, 0)).status).toBe(200);
    expect((await t.request('POST', `/api/tickets/${id}/comments`, bob, { body: 'QA, over to you' })).status).toBe(201);
    expect((await decide(qa, detail, 1)).status).toBe(200);
    expect((await decide(ops, detail, 2)).status).toBe(200);

    const rows: Array<{ seq: number }> = await t.dataSource.query(
      'SELECT seq FROM ticket_events WHERE ticket_id = $1 AND seq > 1 ORDER BY seq',
      [id],
    );
    const expected = rows.map((r) => r.seq);
    expect(expected).toEqual([2, 3, 4, 5]);
    await waitFor(() => seen.ws.length >= 4 && seen.polling.length >= 4 && sse.events().length >= 4);
    await sleep(200);
    const plain = await t.request('GET', `/api/tickets/${id}/events?after=1`, alice);
    expect(seen.ws).toEqual(expected);
    expect(seen.polling).toEqual(expected);
    expect(sse.events().map((e) => e.seq)).toEqual(expected);
    expect(sse.frames.filter((f) => f.event).map((f) => f.id)).toEqual(expected.map(String));
    expect(plain.body.map((e: TicketEventDto) => e.seq)).toEqual(expected);
    expect(sse.events()[3].ticket.status).toBe('approved');
    sse.close();
  });
});

describe('Server-Sent Events', () => {
  it('replays after Last-Event-ID, then streams live, with heartbeats', async () => {
    const detail = await submit();
    await decide(bob, detail, 0);
    const sse = openSse(`/api/tickets/${detail.ticket.id}/events/stream`, alice, { 'last-event-id': '1' });
    await waitFor(() => sse.events().length === 1);
    expect(sse.contentType()).toMatch(/^text\/event-stream/);
    expect(sse.events()[0]).toMatchObject({ seq: 2, type: 'step.approved' });
    await decide(qa, detail, 1);
    await waitFor(() => sse.events().length === 2);
    expect(sse.events()[1].seq).toBe(3);
    await waitFor(() => sse.frames.some((f) => f.comment === 'heartbeat'));
    sse.close();
  });

  it('starts from ?after= when there is no Last-Event-ID, and from the beginning without either', async () => {
    const detail = await submit();
    await decide(bob, detail, 0);
    const fromStart = openSse(`/api/tickets/${detail.ticket.id}/events/stream`, alice);
    const fromTwo = openSse(`/api/tickets/${detail.ticket.id}/events/stream?after=2`, alice);
    await waitFor(() => fromStart.events().length === 2);
    await decide(qa, detail, 1);
    await waitFor(() => fromTwo.events().length === 1 && fromStart.events().length === 3);
    expect(fromTwo.events().map((e) => e.seq)).toEqual([3]);
    expect(fromStart.events().map((e) => e.seq)).toEqual([1, 2, 3]);
    fromStart.close();
    fromTwo.close();
  });

  it('refuses a bad Last-Event-ID with 400, a stranger with 403 and no session with 401, as JSON', async () => {
    const detail = await submit();
    const path = `/api/tickets/${detail.ticket.id}/events/stream`;
    expect(await t.request('GET', path, alice, undefined, { 'last-event-id': 'abc' })).toMatchObject({
      status: 400,
      body: { message: expect.stringContaining('Last-Event-ID') },
    });
    expect((await t.request('GET', path, await t.login('carol'))).status).toBe(403);
    expect((await t.request('GET', path)).status).toBe(401);
  });
});

describe('the discussion', () => {
  it('appends a comment as the next event, delivered live to watchers', async () => {
    const detail = await submit();
    const socket = t.socket(alice);
    await connected(socket);
    await watch(socket, detail.ticket.id);
    const live = nextEvent<TicketEventDto>(socket, 'ticket:event');
    const res = await t.request('POST', `/api/tickets/${detail.ticket.id}/comments`, bob, {
      body: '  Looks good, one question about the rollback  ',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      seq: 2,
      type: 'comment.added',
      comment: 'Looks good, one question about the rollback',
      actor: { email: 'bob@signoff.local' },
    });
    expect(await live).toMatchObject({ seq: 2, type: 'comment.added' });
  });

  it('refuses an empty comment with 400 and a stranger with 403, writing nothing', async () => {
    const detail = await submit();
    expect(await t.request('POST', `/api/tickets/${detail.ticket.id}/comments`, alice, { body: '   ' })).toMatchObject({
      status: 400,
      body: { message: expect.stringContaining('body') },
    });
    expect((await t.request('POST', `/api/tickets/${detail.ticket.id}/comments`, await t.login('carol'), { body: 'hi' })).status).toBe(403);
    const [{ n }] = await t.dataSource.query('SELECT count(*)::int AS n FROM ticket_events WHERE ticket_id = $1', [detail.ticket.id]);
    expect(n).toBe(1);
  });
});

describe('presence', () => {
  it('tells viewers who else is watching, and when they leave', async () => {
    const detail = await submit();
    const mine = t.socket(alice);
    await connected(mine);
    await watch(mine, detail.ticket.id);
    const theirs = t.socket(bob);
    await connected(theirs);
    const joined = nextEvent<PresenceDto>(mine, 'presence:changed');
    await watch(theirs, detail.ticket.id);
    expect((await joined).viewers.map((v) => v.email).sort()).toEqual(['alice@signoff.local', 'bob@signoff.local']);
    const left = nextEvent<PresenceDto>(mine, 'presence:changed');
    theirs.disconnect();
    expect((await left).viewers.map((v) => v.email)).toEqual(['alice@signoff.local']);
  });
});

describe('the admin dashboard', () => {
  it('pushes new figures to admins after a decision', async () => {
    const admin = await t.login('admin');
    const before: StatsDto = (await t.request('GET', '/api/admin/stats', admin)).body;
    const socket = t.socket(admin);
    await connected(socket);
    const detail = await submit();
    await sleep(400); // let the submission's push go by
    const pushed = nextEvent<StatsDto>(socket, 'stats:changed');
    await decide(bob, detail, 0);
    const after = await pushed;
    expect(after.ticketsByStatus.pending).toBe(before.ticketsByStatus.pending + 1);
    const sum = (s: StatsDto) => s.decisionsPerMinute.reduce((n, m) => n + m.count, 0);
    expect(sum(after)).toBe(sum(before) + 1);
    expect(after.decisionsPerMinute).toHaveLength(30);
    expect((await t.request('GET', '/api/admin/stats', alice)).status).toBe(403);
  });
});

describe('revocation', () => {
  it('disconnects the sockets and ends the SSE streams of a session on logout', async () => {
    const token = await t.login('alice');
    const detail = await submit();
    const socket = t.socket(token);
    await connected(socket);
    await watch(socket, detail.ticket.id);
    const sse = openSse(`/api/tickets/${detail.ticket.id}/events/stream`, token);
    await waitFor(() => sse.events().length === 1);
    const gone = new Promise((resolve) => socket.once('disconnect', resolve));
    await t.request('POST', '/api/auth/logout', token);
    await gone;
    await waitFor(() => sse.ended());
  });

  it('disconnects a disabled user within 5 seconds, even when disabled outside this process', async () => {
    const token = await t.login('carol');
    const socket = t.socket(token);
    await connected(socket);
    const gone = new Promise((resolve) => socket.once('disconnect', resolve));
    const started = Date.now();
    await t.dataSource.query(`UPDATE users SET active = false WHERE email = 'carol@signoff.local'`);
    await gone;
    expect(Date.now() - started).toBeLessThan(5_000);
    await t.dataSource.query(`UPDATE users SET active = true WHERE email = 'carol@signoff.local'`);
  });

  it('takes a socket out of a ticket’s room when its user is no longer an approver there', async () => {
    const detail = await submit();
    const socket = t.socket(ops);
    await connected(socket);
    expect((await watch(socket, detail.ticket.id)).ok).toBe(true);
    const seen: TicketEventDto[] = [];
    socket.on('ticket:event', (e) => seen.push(e));
    // ops holds tasks in the code-review stage (role) and the ops stage (named): take both away.
    await t.dataSource.query(
      `DELETE FROM ticket_tasks WHERE ticket_id = $1 AND assignee_id = (SELECT id FROM users WHERE email = 'ops@signoff.local')`,
      [detail.ticket.id],
    );
    await sleep(1_000); // several sweeps at 300 ms
    const requester = t.socket(alice);
    await connected(requester);
    await watch(requester, detail.ticket.id);
    const delivered = nextEvent<TicketEventDto>(requester, 'ticket:event');
    await decide(bob, detail, 0);
    expect((await delivered).seq).toBe(2); // the event went out…
    await sleep(200);
    expect(seen).toEqual([]); // …but not to the socket that lost access
  });
});
