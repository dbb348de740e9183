/**
 * Socket.IO server options that depend on configuration: the Origin check applies to
 * every engine request (WebSocket upgrade and long-polling alike).
 */
import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { IncomingMessage } from 'node:http';
import type { Server, ServerOptions } from 'socket.io';

export class SignoffSocketAdapter extends IoAdapter {
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

  override createIOServer(port: number, options?: Partial<ServerOptions>): Server {
    return super.createIOServer(port, {
      ...options,
      cors: { origin: this.allowedOrigins, credentials: true },
      allowRequest: (req: IncomingMessage, callback) => {
        const allowed = this.isOriginAllowed(req.headers.origin);
        callback(allowed ? null : 'origin not allowed', allowed);
      },
    } as ServerOptions) as Server;
  }
}
