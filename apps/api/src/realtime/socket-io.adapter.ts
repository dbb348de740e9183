/**
 * Socket.IO server options that depend on configuration: the Origin check applies to
 * every engine request (WebSocket upgrade and long-polling alike), and with REDIS_URL
 * rooms are shared between instances through the Redis pub/sub adapter.
 */
import { Logger, type INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import { createAdapter } from '@socket.io/redis-adapter';
import type { IncomingMessage } from 'node:http';
import { createClient, type RedisClientType } from 'redis';
import type { Server, ServerOptions } from 'socket.io';

const REDIS_BOOT_WAIT_MS = 5_000;

export class SignoffSocketAdapter extends IoAdapter {
  private readonly log = new Logger('SocketIo');
  private redisClients: RedisClientType[] = [];
  private adapterConstructor: ReturnType<typeof createAdapter> | null = null;

  constructor(
    app: INestApplicationContext,
    private readonly allowedOrigins: string[],
  ) {
    super(app);
  }

  /** Browsers always send Origin; a request without one is a non-browser client, which must still authenticate. */
  isOriginAllowed(origin: string | undefined): boolean {
    return origin === undefined || this.allowedOrigins.includes(origin);
  }

  /**
   * Classic pub/sub rather than streams: events are already durable in ticket_events, so a
   * message Redis drops is recovered by the client's seq check and replay; pub/sub keeps
   * no state in Redis and adds no latency.
   */
  async connectToRedis(url: string): Promise<void> {
    const pub = createClient({ url, socket: { reconnectStrategy: (retries) => Math.min(retries * 200, 2_000) } }) as RedisClientType;
    const sub = pub.duplicate();
    for (const [name, client] of [
      ['pub', pub],
      ['sub', sub],
    ] as const) {
      client.on('error', (err: Error) => this.log.warn(`redis ${name}: ${err.message}`));
    }
    this.redisClients = [pub, sub];
    // The adapter fires PUBLISH without awaiting it. When Redis goes away, the commands in
    // flight reject, and an unhandled rejection would kill this instance; a lost message is
    // harmless (events are durable in ticket_events and clients resync by seq), so log it.
    const publish = pub.publish.bind(pub);
    Object.defineProperty(pub, 'publish', {
      value: (...args: Parameters<typeof publish>) =>
        publish(...args).catch((err: unknown) => {
          this.log.warn(`redis publish dropped: ${err instanceof Error ? err.message : String(err)}`);
          return 0;
        }),
    });
    // Redis down at boot must not stop the instance: local rooms work, and the clients
    // keep reconnecting in the background.
    const connecting = Promise.all([pub.connect(), sub.connect()]);
    const ready = await Promise.race([
      connecting.then(() => true),
      new Promise<false>((r) => setTimeout(() => r(false), REDIS_BOOT_WAIT_MS).unref()),
    ]);
    connecting.catch((err: unknown) => this.log.warn(`redis: ${String(err)}`));
    this.adapterConstructor = createAdapter(pub, sub);
    if (ready) this.log.log('rooms are shared through Redis');
    else this.log.warn(`Redis not reachable within ${REDIS_BOOT_WAIT_MS} ms; serving local rooms until it is`);
  }

  override createIOServer(port: number, options?: Partial<ServerOptions>): Server {
    const server = super.createIOServer(port, {
      ...options,
      cors: { origin: this.allowedOrigins, credentials: true },
      allowRequest: (req: IncomingMessage, callback) => {
        const allowed = this.isOriginAllowed(req.headers.origin);
        callback(allowed ? null : 'origin not allowed', allowed);
      },
    } as ServerOptions) as Server;
    if (this.adapterConstructor) server.adapter(this.adapterConstructor);
    return server;
  }

  override async dispose(): Promise<void> {
    await Promise.all(this.redisClients.map((c) => c.quit().catch(() => undefined)));
  }
}
