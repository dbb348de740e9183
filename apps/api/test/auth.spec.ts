import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, startTestApp, type TestApp } from './harness';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

describe('signing in', () => {
  it('returns the user and a token, and sets an httpOnly session cookie', async () => {
    const res = await fetch(`${t.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'Alice@Signoff.local', password: DEMO_PASSWORD }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { user: Record<string, unknown> };
    expect(body.user).toMatchObject({ email: 'alice@signoff.local', role: 'requester' });
    expect(body.user).not.toHaveProperty('passwordHash');
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/signoff_session=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const me = await fetch(`${t.baseUrl}/api/me`, { headers: { cookie: cookie.split(';')[0] } });
    expect(((await me.json()) as { email: string }).email).toBe('alice@signoff.local');
  });

  it('refuses a wrong password with 401 and the same message as an unknown email', async () => {
    const wrong = await t.request('POST', '/api/auth/login', undefined, { email: 'alice@signoff.local', password: 'nope-nope' });
    const unknown = await t.request('POST', '/api/auth/login', undefined, { email: 'nobody@signoff.local', password: 'nope-nope' });
    expect(wrong).toMatchObject({ status: 401, body: { statusCode: 401, error: 'Unauthorized' } });
    expect(unknown.body.message).toBe(wrong.body.message);
  });

  it('refuses a malformed login body with 400 naming the field', async () => {
    const res = await t.request('POST', '/api/auth/login', undefined, { email: 'not-an-email' });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('email');
    expect(res.body.message).toContain('password');
  });

  it('stores passwords as argon2id hashes', async () => {
    const [{ password_hash }] = await t.dataSource.query(`SELECT password_hash FROM users WHERE email = 'alice@signoff.local'`);
    expect(password_hash).toMatch(/^\$argon2id\$/);
  });

  it('ends the session on logout so the token stops working', async () => {
    const token = await t.login('bob');
    expect((await t.request('GET', '/api/me', token)).status).toBe(200);
    expect((await t.request('POST', '/api/auth/logout', token)).status).toBe(204);
    expect((await t.request('GET', '/api/me', token)).status).toBe(401);
  });

  it('refuses a disabled user’s existing session', async () => {
    const token = await t.login('carol');
    await t.dataSource.query(`UPDATE users SET active = false WHERE email = 'carol@signoff.local'`);
    expect((await t.request('GET', '/api/me', token)).status).toBe(401);
    await t.dataSource.query(`UPDATE users SET active = true WHERE email = 'carol@signoff.local'`);
  });

  it('keeps the admin user list for admins', async () => {
    expect((await t.request('GET', '/api/users', await t.login('alice'))).status).toBe(403);
    const res = await t.request('GET', '/api/users', await t.login('admin'));
    expect(res.status).toBe(200);
    expect(res.body.length).toBeGreaterThanOrEqual(7);
  });

  it('answers health without a session', async () => {
    expect(await t.request('GET', '/api/health')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });
});
