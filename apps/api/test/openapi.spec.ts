import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './harness';

let t: TestApp;
let doc: any;
beforeAll(async () => {
  t = await startTestApp();
  const res = await t.request('GET', '/api/openapi.json');
  expect(res.status).toBe(200);
  doc = res.body;
});
afterAll(() => t?.close());

const ROUTES = [
  ['post', '/api/auth/login'],
  ['post', '/api/auth/logout'],
  ['get', '/api/me'],
  ['get', '/api/health'],
  ['get', '/api/client-config'],
  ['get', '/api/templates'],
  ['get', '/api/tickets'],
  ['post', '/api/tickets'],
  ['get', '/api/tickets/{id}'],
  ['post', '/api/tickets/{id}/decisions'],
  ['get', '/api/tickets/{id}/events'],
  ['get', '/api/tickets/{id}/events/stream'],
  ['post', '/api/tickets/{id}/comments'],
  ['post', '/api/tickets/bulk-decisions'],
  ['post', '/api/tickets/{id}/urge'],
  ['post', '/api/tickets/{id}/return'],
  ['post', '/api/tickets/{id}/resubmit'],
  ['post', '/api/tickets/{id}/withdraw'],
  ['post', '/api/tickets/{id}/transfer'],
  ['post', '/api/tickets/{id}/signers'],
  ['post', '/api/templates/{key}/preview'],
  ['post', '/api/templates'],
  ['get', '/api/templates/{key}'],
  ['get', '/api/templates/{key}/versions'],
  ['get', '/api/users/directory'],
  ['get', '/api/me/delegation'],
  ['put', '/api/me/delegation'],
  ['delete', '/api/me/delegation'],
  ['get', '/api/users'],
  ['get', '/api/admin/stats'],
] as const;

/** Follows a local `#/components/schemas/X` reference. */
const resolve = (schema: any) => (schema?.$ref ? doc.components.schemas[schema.$ref.split('/').pop()] : schema);

describe('OpenAPI document', () => {
  it('is served as JSON without a session', () => {
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info.title).toBe('Signoff API');
  });

  it('lists every REST route with its method', () => {
    const listed = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item as object).map((method) => `${method} ${path}`));
    expect(listed.sort()).toEqual(ROUTES.map(([method, path]) => `${method} ${path}`).sort());
  });

  it('derives the decision body from the zod schema: decision is approve|reject, stepId is required', () => {
    const body = resolve(doc.paths['/api/tickets/{id}/decisions'].post.requestBody.content['application/json'].schema);
    expect(body.properties.decision.enum).toEqual(['approve', 'reject']);
    expect(body.required).toContain('stepId');
    expect(body.required).not.toContain('comment');
    expect(body.additionalProperties).toBe(false);
  });

  it('documents the decision outcomes with the error body shape', () => {
    const responses = doc.paths['/api/tickets/{id}/decisions'].post.responses;
    expect(Object.keys(responses).sort()).toEqual(['200', '400', '401', '403', '404', '409']);
    const error = resolve(responses['409'].content['application/json'].schema);
    expect(error.required).toEqual(['statusCode', 'error', 'message']);
  });

  it('derives query parameters from the zod query schemas', () => {
    const [box] = doc.paths['/api/tickets'].get.parameters;
    expect(box).toMatchObject({
      name: 'box',
      in: 'query',
      required: false,
      schema: { enum: ['mine', 'todo', 'cc', 'all'], default: 'mine' },
    });
    const params = doc.paths['/api/tickets/{id}/events'].get.parameters;
    expect(params).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'id', in: 'path', required: true }),
        expect.objectContaining({ name: 'after', in: 'query', required: false }),
      ]),
    );
  });

  it('declares bearer and cookie auth, required by private routes only', () => {
    expect(doc.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.securitySchemes.session).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'signoff_session' });
    expect(doc.paths['/api/tickets/{id}'].get.security).toEqual([{ bearer: [] }, { session: [] }]);
    expect(doc.paths['/api/auth/login'].post.security).toBeUndefined();
    expect(doc.paths['/api/health'].get.security).toBeUndefined();
  });

  it('resolves every $ref to a component', () => {
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(0);
    expect(refs.filter((name) => !doc.components.schemas[name])).toEqual([]);
  });

  it('describes the Socket.IO contract', () => {
    for (const event of ['ticket:watch', 'ticket:unwatch', 'ticket:event', 'inbox:changed']) expect(doc.info.description).toContain(event);
  });

  it('serves Swagger UI and its assets without a session', async () => {
    const page = await fetch(`${t.baseUrl}/api/docs`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('swagger-ui');
    const assets = [...html.matchAll(/(?:src|href)="([^"]+\.(?:js|css))"/g)].map((m) => new URL(m[1], `${t.baseUrl}/api/docs`).href);
    expect(assets).toContain(`${t.baseUrl}/api/docs/swagger-ui-bundle.js`);
    for (const asset of assets) expect((await fetch(asset)).status, asset).toBe(200);
  });
});
