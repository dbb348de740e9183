/**
 * Real processes for the multi-instance and fault tests: built API instances
 * (`node apps/api/dist/main.js`), nginx and redis-server, all on 127.0.0.1.
 *
 * Every child runs under `timeout --signal=KILL` in its own process group, so it stops by
 * itself even if the test runner dies, and killing the group takes its workers along.
 * `stopAll()` (call it in afterAll) and the process exit hook kill whatever is left.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents, TicketEventDto, WatchAck } from '@signoff/contracts';

export const ROOT = path.resolve(__dirname, '../../..');
const API_MAIN = path.join(ROOT, 'apps/api/dist/main.js');
/** Longest a child may live, whatever happens to the test run. */
const CHILD_TTL_SECONDS = 240;
const OUTPUT_LIMIT = 64_000;

export type TypedClient = Socket<ServerToClientEvents, ClientToServerEvents>;

export interface Child {
  name: string;
  process: ChildProcess;
  output(): string;
  exited(): boolean;
  /** Resolves once the process (group) has exited. */
  whenExited: Promise<void>;
}

const children = new Set<Child>();

function killGroup(child: Child, signal: NodeJS.Signals) {
  if (child.exited() || child.process.pid === undefined) return;
  try {
    process.kill(-child.process.pid, signal);
  } catch {
    /* already gone */
  }
}

process.once('exit', () => {
  for (const child of children) killGroup(child, 'SIGKILL');
});

/** Spawns `command` under a hard time limit, in its own process group, capturing its output. */
export function spawnChild(name: string, command: string, args: string[], env: Record<string, string> = {}, cwd = ROOT): Child {
  const proc = spawn('timeout', ['--signal=KILL', String(CHILD_TTL_SECONDS), command, ...args], {
    cwd,
    env: { ...process.env, ...env },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const append = (d: Buffer) => {
    output = (output + d.toString()).slice(-OUTPUT_LIMIT);
  };
  proc.stdout!.on('data', append);
  proc.stderr!.on('data', append);
  let exited = false;
  const whenExited = new Promise<void>((resolve) =>
    proc.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const child: Child = { name, process: proc, output: () => output, exited: () => exited, whenExited };
  children.add(child);
  void whenExited.then(() => children.delete(child));
  return child;
}

/** SIGKILL: the process gets no chance to close anything (a crash, a pulled plug). */
export async function killHard(child: Child): Promise<void> {
  killGroup(child, 'SIGKILL');
  await child.whenExited;
}

/** SIGTERM, then SIGKILL if it has not gone within `ms`. */
export async function stop(child: Child, ms = 5_000): Promise<void> {
  killGroup(child, 'SIGTERM');
  const timer = setTimeout(() => killGroup(child, 'SIGKILL'), ms);
  await child.whenExited;
  clearTimeout(timer);
}

/** Kills every child still running. Call it in afterAll; safe to call twice. */
export async function stopAll(): Promise<void> {
  await Promise.all([...children].map((c) => killHard(c)));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const portIsFree = (port: number) =>
  new Promise<boolean>((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });

/**
 * A random free loopback port in [from, to). The ranges the tests use (36000–47999) sit
 * below Linux's ephemeral range (32768+ is shared, so we also check it is free) and away
 * from the other specs' ranges (34000–35000, 55000–60000).
 */
export async function freePort(from: number, to: number): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = from + Math.floor(Math.random() * (to - from));
    if (await portIsFree(port)) return port;
  }
  throw new Error(`no free port in ${from}–${to}`);
}

export const PORT_RANGES = {
  api: [36_000, 39_000],
  nginx: [39_000, 41_000],
  redis: [41_000, 43_000],
  postgres: [43_000, 45_000],
} as const;

export async function waitUntil(what: string, predicate: () => Promise<boolean> | boolean, ms = 15_000, every = 100): Promise<void> {
  const until = Date.now() + ms;
  for (;;) {
    if (await predicate()) return;
    if (Date.now() > until) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(every);
  }
}

// ---------------------------------------------------------------------------------------
// The API

export interface ApiInstance {
  child: Child;
  port: number;
  baseUrl: string;
}

export async function startApi(env: Record<string, string>, options: { port?: number } = {}): Promise<ApiInstance> {
  if (!existsSync(API_MAIN)) throw new Error(`${API_MAIN} is missing: run "npm run build:api" first`);
  const port = options.port ?? (await freePort(...PORT_RANGES.api));
  const child = spawnChild(`api:${port}`, process.execPath, [API_MAIN], {
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    LOGIN_RATE_LIMIT: '1000',
    ...env,
  });
  const instance = { child, port, baseUrl: `http://127.0.0.1:${port}` };
  await waitForHealth(instance);
  return instance;
}

/** Waits until `GET /api/health` answers 200; fails early, with the output, if the process dies. */
export async function waitForHealth(instance: { child: Child; baseUrl: string }, ms = 60_000): Promise<void> {
  try {
    await waitUntil(
      `${instance.child.name} health`,
      async () => {
        if (instance.child.exited()) throw new Error(`${instance.child.name} exited`);
        return (await fetch(`${instance.baseUrl}/api/health`).catch(() => null))?.status === 200;
      },
      ms,
      200,
    );
  } catch (err) {
    throw new Error(`${String(err)}\n--- output of ${instance.child.name} ---\n${instance.child.output()}`, { cause: err });
  }
}

// ---------------------------------------------------------------------------------------
// redis-server

export interface RedisServer {
  child: Child;
  port: number;
  url: string;
}

export async function startRedis(port?: number): Promise<RedisServer> {
  const chosen = port ?? (await freePort(...PORT_RANGES.redis));
  const child = spawnChild(`redis:${chosen}`, 'redis-server', [
    '--port',
    String(chosen),
    '--bind',
    '127.0.0.1',
    '--save',
    '',
    '--appendonly',
    'no',
  ]);
  await waitUntil(`${child.name} listening`, async () => {
    if (child.exited()) throw new Error(`${child.name} exited:\n${child.output()}`);
    return !(await portIsFree(chosen));
  });
  return { child, port: chosen, url: `redis://127.0.0.1:${chosen}` };
}

// ---------------------------------------------------------------------------------------
// nginx

export interface Nginx {
  child: Child;
  port: number;
  baseUrl: string;
  dir: string;
  stop(): Promise<void>;
}

export function requireCommand(command: string, hint: string) {
  if (spawnSync('sh', ['-c', `command -v ${command}`]).status !== 0) throw new Error(`${command} is not installed (${hint})`);
}

/**
 * The test's own nginx in front of `upstreams`. The location block matches
 * deploy/nginx.conf; `X-Signoff-Upstream` tells the test which instance served a request.
 */
export async function startNginx(upstreams: number[]): Promise<Nginx> {
  requireCommand('nginx', 'apt-get install -y nginx');
  const port = await freePort(...PORT_RANGES.nginx);
  const dir = await mkdtemp(path.join(tmpdir(), 'signoff-nginx-'));
  const conf = path.join(dir, 'nginx.conf');
  const asRoot = process.getuid?.() === 0;
  await writeFile(
    conf,
    `${asRoot ? 'user root;\n' : ''}worker_processes 1;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;

  # Sticky by browser session, falling back to the client address: every request of one
  # Engine.IO session (long-polling GET/POST, WebSocket upgrade) carries the same cookie,
  # so it reaches the instance that holds the session. "consistent" moves only the
  # sessions of an instance that fails; nginx then tries the next server, which is the
  # failover this test exercises. (ip_hash would send every 127.0.0.1 client to one
  # instance, and every client behind one NAT too.)
  map $cookie_signoff_session $signoff_affinity {
    ''      $remote_addr;
    default $cookie_signoff_session;
  }
  upstream signoff {
    hash $signoff_affinity consistent;
${upstreams.map((p) => `    server 127.0.0.1:${p} max_fails=1 fail_timeout=30s;`).join('\n')}
  }
  map $http_upgrade $connection_upgrade {
    default upgrade;
    ''      close;
  }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://signoff;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_connect_timeout 2s;
      proxy_read_timeout 75s;
      proxy_buffering off;
      add_header X-Signoff-Upstream $upstream_addr always;
    }
  }
}
`,
  );
  const child = spawnChild(`nginx:${port}`, 'nginx', ['-c', conf, '-p', dir, '-g', `daemon off; pid ${dir}/nginx.pid; error_log stderr;`]);
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitUntil(`${child.name} listening`, async () => {
    if (child.exited()) throw new Error(`${child.name} exited:\n${child.output()}`);
    return (await fetch(`${baseUrl}/api/health`).catch(() => null))?.status === 200;
  });
  return {
    child,
    port,
    baseUrl,
    dir,
    async stop() {
      await killHard(child);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------
// HTTP and Socket.IO clients

export interface Reply {
  status: number;
  body: any;
  headers: Headers;
}

export async function request(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const res = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    /* not JSON */
  }
  return { status: res.status, body, headers: res.headers };
}

export async function login(baseUrl: string, who: string, password = 'signoff-demo'): Promise<string> {
  const res = await request(baseUrl, 'POST', '/api/auth/login', { body: { email: `${who}@signoff.local`, password } });
  if (res.status !== 200) throw new Error(`login ${who} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token as string;
}

const clients = new Set<TypedClient>();

/**
 * A socket.io-client that authenticates with the session cookie (as a browser does, and
 * so nginx can keep it sticky). Reconnection is on unless told otherwise.
 */
export function connectSocket(
  baseUrl: string,
  token: string,
  options: { transports?: Array<'websocket' | 'polling'>; reconnection?: boolean; reconnectionDelay?: number } = {},
): TypedClient {
  const socket: TypedClient = io(baseUrl, {
    transports: options.transports ?? ['websocket'],
    extraHeaders: { cookie: `signoff_session=${token}` },
    reconnection: options.reconnection ?? true,
    reconnectionDelay: options.reconnectionDelay ?? 200,
    reconnectionDelayMax: Math.max(1_000, options.reconnectionDelay ?? 0),
    timeout: 5_000,
    forceNew: true,
  });
  clients.add(socket);
  return socket;
}

export function closeSockets() {
  for (const s of clients) s.disconnect();
  clients.clear();
}

export function connected(socket: TypedClient, ms = 10_000): Promise<void> {
  if (socket.connected) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('socket did not connect')), ms);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export function watch(socket: TypedClient, ticketId: string, afterSeq?: number, ms = 5_000): Promise<WatchAck> {
  return socket.timeout(ms).emitWithAck('ticket:watch', { ticketId, ...(afterSeq === undefined ? {} : { afterSeq }) }) as Promise<WatchAck>;
}

/**
 * What a client keeps of one ticket, by the rule every client follows: apply an event only
 * if its seq is lastSeq + 1, drop what it already has, and on a gap (or a reconnect) ask
 * for the events after lastSeq. `applied` is therefore the client's view of the log.
 */
export class TicketFollower {
  readonly applied: TicketEventDto[] = [];
  readonly received: number[] = [];
  lastSeq = 0;
  gaps = 0;
  reconnects = 0;
  private started = false;
  private pending = false;
  private resyncing: Promise<void> | null = null;

  constructor(
    readonly socket: TypedClient,
    readonly ticketId: string,
  ) {
    socket.on('ticket:event', (event) => {
      if (event.ticketId !== this.ticketId) return;
      this.received.push(event.seq);
      if (event.seq <= this.lastSeq) return;
      if (event.seq > this.lastSeq + 1) {
        this.gaps++;
        void this.resync();
        return;
      }
      this.applied.push(event);
      this.lastSeq = event.seq;
    });
    // Socket.IO forgets rooms with the connection: after a reconnect, watch again from lastSeq.
    socket.on('connect', () => {
      if (!this.started) return;
      this.reconnects++;
      void this.resync();
    });
  }

  /** The first watch: everything after `afterSeq` (0 = the whole log) is replayed. */
  async start(afterSeq = 0): Promise<WatchAck> {
    this.started = true;
    this.lastSeq = afterSeq;
    return watch(this.socket, this.ticketId, afterSeq);
  }

  /**
   * Watches again with afterSeq = lastSeq until the server acknowledges; a gap seen while
   * that is under way asks for one more round, so the last event is never left out.
   */
  resync(): Promise<void> {
    this.pending = true;
    this.resyncing ??= (async () => {
      try {
        while (this.pending) {
          this.pending = false;
          for (let attempt = 0; attempt < 100; attempt++) {
            const ack = await watch(this.socket, this.ticketId, this.lastSeq).catch(() => null);
            if (ack?.ok) break;
            await sleep(100);
          }
        }
      } finally {
        this.resyncing = null;
      }
    })();
    return this.resyncing;
  }

  /** Resolves once no resync is under way. */
  async settled(): Promise<void> {
    while (this.resyncing) await this.resyncing;
  }

  seqs(): number[] {
    return this.applied.map((e) => e.seq);
  }
}

export async function removeDir(dir: string | undefined) {
  if (dir) await rm(dir, { recursive: true, force: true });
}
