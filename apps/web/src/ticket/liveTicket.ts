/**
 * One ticket as the page shows it, kept in step with the database:
 *
 * - snapshots come only from REST responses (GET ticket, POST decision) or from events
 *   applied strictly in order: an event is applied only if `seq === lastSeq + 1`;
 *   `seq <= lastSeq` is already known; a gap triggers a refetch;
 * - a REST snapshot older than the one held is ignored (never go back in time);
 * - on every (re)connect the socket re-watches the ticket with `afterSeq = lastSeq`, so
 *   the server replays what was missed; until that replay (or the refetch standing in
 *   for it) has brought the snapshot up to the server's seq, `catchingUp` is true;
 * - `comment.added` events go through the same rule: they carry the unchanged snapshot
 *   (kept as the same objects, so nothing redraws) and feed the discussion;
 * - who else is watching (`presence:changed`) is ephemeral and kept beside the snapshot.
 *
 * It is a small external store (subscribe/getSnapshot) for `useSyncExternalStore`.
 */
import type { PresenceDto, TicketDetailDto, TicketEventDto, UserRef, WatchAck } from '@signoff/contracts';
import { api, ApiError } from '../api';
import type { AppSocket } from '../socket';

export interface LiveTicketState {
  detail: TicketDetailDto | null;
  /** The ticket's event log up to `detail.seq`, oldest first. */
  events: TicketEventDto[];
  /** The last load failed; `detail` (if any) is still the newest known state. */
  error: ApiError | null;
  /** A resync is running after a reconnect or a gap: the snapshot may be behind the server. */
  catchingUp: boolean;
  /** Distinct users watching this ticket right now, the caller included (as the server sends it). */
  viewers: UserRef[];
}

const WATCH_TIMEOUT_MS = 5000;
const REPLAY_GRACE_MS = 2000;

/** `next` if it differs from `previous` in content, else `previous` (keeps object identity). */
function same<T>(previous: T, next: T): T {
  return JSON.stringify(previous) === JSON.stringify(next) ? previous : next;
}

/** Runs `task` one at a time; calls made while it runs collapse into one more run. */
function coalesce(task: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null;
  let again = false;
  return () => {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await task();
      } while (again);
    })().finally(() => {
      running = null;
    });
    return running;
  };
}

export class LiveTicket {
  private state: LiveTicketState = { detail: null, events: [], error: null, catchingUp: false, viewers: [] };
  private readonly listeners = new Set<() => void>();
  private readonly timeline = new Map<number, TicketEventDto>();
  private stopped = false;
  private replayTimer: ReturnType<typeof setTimeout> | undefined;
  /** A watch was sent before: the next connect is a reconnect that must catch up. */
  private watchedBefore = false;
  /** Waiting for the ack of a re-watch after a reconnect. */
  private awaitingAck = false;
  /** The seq the server is known to have; caught up once `lastSeq` reaches it. */
  private target: number | null = null;
  /** A REST refetch standing in for a resync is running. */
  private resyncing = false;

  constructor(
    readonly ticketId: string,
    private readonly socket: AppSocket,
  ) {}

  subscribe = (listener: () => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  getSnapshot = (): LiveTicketState => this.state;

  /** Sequence number of the snapshot on screen; -1 before the first load. */
  get lastSeq(): number {
    return this.state.detail?.seq ?? -1;
  }

  start() {
    this.stopped = false;
    this.socket.on('ticket:event', this.onEvent);
    this.socket.on('connect', this.onConnect);
    this.socket.on('disconnect', this.onDisconnect);
    this.socket.on('presence:changed', this.onPresence);
    if (this.state.detail && this.socket.connected) this.watch();
    void this.refetch();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.replayTimer);
    this.socket.off('ticket:event', this.onEvent);
    this.socket.off('connect', this.onConnect);
    this.socket.off('disconnect', this.onDisconnect);
    this.socket.off('presence:changed', this.onPresence);
    if (this.socket.connected) this.socket.emit('ticket:unwatch', { ticketId: this.ticketId }, () => undefined);
  }

  /** Re-reads the ticket over REST (on a gap, a 409, or when unsure). */
  readonly refetch = coalesce(async () => {
    if (this.stopped) return;
    try {
      const detail = await api.ticket(this.ticketId);
      if (!this.stopped) this.applySnapshot(detail);
    } catch (error) {
      if (!this.stopped) this.set({ error: error instanceof ApiError ? error : new ApiError(0, String(error)) });
    }
  });

  /** A snapshot from a REST response: applied unless it is older than what is shown. */
  applySnapshot(detail: TicketDetailDto) {
    if (this.stopped || detail.ticket.id !== this.ticketId) return;
    const first = this.state.detail === null;
    if (!first && detail.seq < this.lastSeq) return;
    const current = this.state.detail;
    const next: TicketDetailDto = current
      ? { ...detail, ticket: same(current.ticket, detail.ticket), flow: same(current.flow, detail.flow) }
      : detail;
    this.set({ detail: next, error: null, events: this.timelineUpTo(detail.seq), catchingUp: this.computeCatchingUp(detail.seq) });
    if (first && this.socket.connected) this.watch();
    void this.syncEvents();
  }

  /** An event from a REST response (e.g. POST comments): applied by the same seq rule. */
  applyEvent(event: TicketEventDto) {
    if (!this.stopped && event.ticketId === this.ticketId) this.receive(event);
  }

  private readonly onConnect = () => {
    // Before the first snapshot there is nothing to resume from; applySnapshot watches then.
    if (!this.state.detail) return;
    if (this.watchedBefore) {
      this.awaitingAck = true;
      this.updateCatchingUp();
    }
    this.watch();
  };

  private readonly onDisconnect = () => {
    // Nobody is known to be watching with us until the server says so again.
    if (this.state.viewers.length > 0) this.set({ viewers: [] });
  };

  private readonly onPresence = (presence: PresenceDto) => {
    if (presence.ticketId === this.ticketId) this.set({ viewers: presence.viewers });
  };

  /** Catches up through REST (when the replay cannot be used or does not arrive). */
  private async resync() {
    this.resyncing = true;
    this.updateCatchingUp();
    try {
      await this.refetch();
    } finally {
      this.resyncing = false;
      if (!this.stopped) this.updateCatchingUp();
    }
  }

  private computeCatchingUp(seq = this.lastSeq): boolean {
    if (this.target !== null && seq >= this.target) this.target = null;
    return this.awaitingAck || this.resyncing || this.target !== null;
  }

  private updateCatchingUp() {
    const catchingUp = this.computeCatchingUp();
    if (catchingUp !== this.state.catchingUp) this.set({ catchingUp });
  }

  private watch() {
    this.watchedBefore = true;
    const afterSeq = this.lastSeq;
    this.socket
      .timeout(WATCH_TIMEOUT_MS)
      .emit('ticket:watch', { ticketId: this.ticketId, afterSeq }, (err: Error | null, ack: WatchAck) => {
        if (this.stopped) return;
        this.awaitingAck = false;
        if (err || !ack.ok) {
          // Could not subscribe: fall back to the REST snapshot so nothing is missed.
          void this.resync();
          return;
        }
        if (ack.seq > this.lastSeq) {
          // The server replays the missing events; if they do not arrive, ask REST.
          this.target = Math.max(this.target ?? 0, ack.seq);
          clearTimeout(this.replayTimer);
          const expected = ack.seq;
          this.replayTimer = setTimeout(() => {
            if (!this.stopped && this.lastSeq < expected) void this.resync();
          }, REPLAY_GRACE_MS);
        }
        this.updateCatchingUp();
      });
  }

  private readonly onEvent = (event: TicketEventDto) => {
    if (event.ticketId === this.ticketId) this.receive(event);
  };

  private receive(event: TicketEventDto) {
    const current = this.state.detail;
    if (!current) return; // the first snapshot is still loading and will be newer
    if (event.seq <= current.seq) {
      // Already applied; it may still be missing from the timeline (e.g. after a POST).
      if (!this.timeline.has(event.seq)) {
        this.timeline.set(event.seq, event);
        this.set({ events: this.timelineUpTo(current.seq) });
      }
      return;
    }
    if (event.seq !== current.seq + 1) {
      // A gap: the server has at least this seq; catch up through REST.
      this.target = Math.max(this.target ?? 0, event.seq);
      void this.resync();
      return;
    }
    const stillActive = new Set(event.flow.steps.filter((s) => s.status === 'active').map((s) => s.id));
    const detail: TicketDetailDto = {
      // A comment carries the same snapshot: keep the objects so nothing is redrawn.
      ticket: same(current.ticket, event.ticket),
      flow: same(current.flow, event.flow),
      seq: event.seq,
      actionableStepIds: current.actionableStepIds.filter((id) => stillActive.has(id)),
    };
    this.timeline.set(event.seq, event);
    this.set({ detail, events: this.timelineUpTo(event.seq), catchingUp: this.computeCatchingUp(event.seq) });
    // A stage may have become active for this user: only the server knows who may act.
    const newlyActive = [...stillActive].some((id) => !current.flow.steps.find((s) => s.id === id && s.status === 'active'));
    if (newlyActive) void this.refetch();
  }

  /** Fills the timeline from the REST event log; newer events there are applied in order. */
  private readonly syncEvents = coalesce(async () => {
    const known = [...this.timeline.keys()];
    let after = 0;
    while (known.includes(after + 1)) after++;
    if (after >= this.lastSeq) return;
    try {
      const events = await api.ticketEvents(this.ticketId, after);
      if (this.stopped) return;
      const upTo = this.lastSeq;
      for (const event of events) {
        if (event.seq <= upTo) this.timeline.set(event.seq, event);
      }
      this.set({ events: this.timelineUpTo(this.lastSeq) });
      for (const event of events) if (event.seq > upTo) this.receive(event);
    } catch {
      // The timeline stays as it is; the next snapshot retries.
    }
  });

  private timelineUpTo(seq: number): TicketEventDto[] {
    return [...this.timeline.values()].filter((e) => e.seq <= seq).sort((a, b) => a.seq - b.seq);
  }

  private set(patch: Partial<LiveTicketState>) {
    this.state = { ...this.state, ...patch };
    for (const listener of this.listeners) listener();
  }
}
