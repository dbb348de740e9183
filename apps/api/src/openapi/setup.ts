/**
 * OpenAPI document of the REST API: JSON at GET /api/openapi.json, Swagger UI at /api/docs.
 * Both are plain HTTP routes outside Nest's guards, so they need no session.
 */
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { SESSION_COOKIE } from '../auth/auth.types';
import { BEARER_AUTH, COOKIE_AUTH } from './decorators';
import { componentSchemas } from './schemas';

const DESCRIPTION = `Signoff: real-time approval workflows. REST, JSON, under \`/api\`.

**Authentication.** \`POST /api/auth/login\` returns \`{user, token}\` and sets the httpOnly \`${SESSION_COOKIE}\` cookie.
Send either \`Authorization: Bearer <token>\` or the cookie. Every error body is \`{statusCode, error, message}\`.

**Socket.IO** (default path \`/socket.io\`, namespace \`/\`). The handshake is authenticated by the
\`${SESSION_COOKIE}\` cookie or \`auth: {token}\`; the Origin must be an allowed origin.

Client → server (with acknowledgement):
- \`ticket:watch {ticketId, afterSeq?}\` → ack \`{ok: true, seq}\` or \`{ok: false, error}\`. Joins the ticket's room;
  events after \`afterSeq\` are replayed in order first.
- \`ticket:unwatch {ticketId}\` → ack \`{ok: true}\` or \`{ok: false, error}\`.

Server → client:
- \`ticket:event\` — a \`TicketEvent\` \`{ticketId, seq, type, at, actor, comment, ticket, flow}\`, sent after commit to watchers.
  Apply it only if \`seq == lastSeq + 1\`; on a gap refetch \`GET /api/tickets/{id}\` or \`GET /api/tickets/{id}/events?after=lastSeq\`.
- \`inbox:changed {count}\` — the signed-in user's to-do count changed.

Event names and payload types are defined once in \`@signoff/contracts\` (\`events.ts\`).`;

export function setupOpenApi(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Signoff API')
    .setDescription(DESCRIPTION)
    .setVersion('0.1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'The `token` from POST /api/auth/login.' }, BEARER_AUTH)
    .addCookieAuth(
      SESSION_COOKIE,
      { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: 'httpOnly session cookie set by POST /api/auth/login.' },
      COOKIE_AUTH,
    )
    .build();
  config.components = { ...config.components, schemas: componentSchemas() };
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '').replace(/^./, (c) => c.toLowerCase())}_${method}`,
  });
  SwaggerModule.setup('docs', app, document, {
    useGlobalPrefix: true,
    jsonDocumentUrl: 'openapi.json',
    raw: ['json'],
    customSiteTitle: 'Signoff API',
  });
}
