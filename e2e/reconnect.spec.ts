import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { DEMO_PASSWORD, signedIn, stageStatuses, submitTicket } from './helpers';

const expense = { 'Amount (CNY)': '320', 'Date spent': '2026-11-19', Category: 'travel' };

async function tokenFor(request: APIRequestContext, who: string): Promise<string> {
  const res = await request.post('/api/auth/login', { data: { email: `${who}@signoff.local`, password: DEMO_PASSWORD } });
  return ((await res.json()) as { token: string }).token;
}

async function approveActiveStep(request: APIRequestContext, ticketId: string, token: string) {
  const detail = await (await request.get(`/api/tickets/${ticketId}`, { headers: { authorization: `Bearer ${token}` } })).json();
  const step = detail.flow.steps.find((s: { status: string }) => s.status === 'active');
  const res = await request.post(`/api/tickets/${ticketId}/decisions`, {
    headers: { authorization: `Bearer ${token}` },
    data: { stepId: step.id, decision: 'approve', comment: 'while you were away' },
  });
  expect(res.status()).toBe(200);
}

const connection = (page: Page) => page.getByTestId('connection-state');

for (const [label, offlineMs] of [
  ['10 seconds', 10_000],
  ['5 minutes', 300_000],
] as const) {
  test(`a page offline for ${label} while two decisions commit shows the final state within 2 seconds of reconnecting`, async ({
    browser,
    request,
  }) => {
    test.setTimeout(offlineMs + 90_000);
    const requester = await signedIn(browser, 'alice');
    const url = await submitTicket(requester, 'Expense claim', `Offline ${Date.now()}`, expense);
    const ticketId = url.split('/').pop()!;
    await expect(connection(requester)).toHaveAttribute('data-state', 'live');
    await expect.poll(() => stageStatuses(requester)).toEqual(['active', 'waiting']);

    await requester.context().setOffline(true);
    await expect(connection(requester)).not.toHaveAttribute('data-state', 'live');
    const offlineSince = Date.now();
    await approveActiveStep(request, ticketId, await tokenFor(request, 'bob'));
    await approveActiveStep(request, ticketId, await tokenFor(request, 'finance'));
    await requester.waitForTimeout(Math.max(0, offlineMs - (Date.now() - offlineSince)));
    // Nothing could arrive while offline: the page still shows what it had.
    expect(await stageStatuses(requester)).toEqual(['active', 'waiting']);

    await requester.context().setOffline(false);
    await expect(connection(requester)).toHaveAttribute('data-state', 'live', { timeout: 15_000 });
    const liveAt = Date.now();
    await expect.poll(() => stageStatuses(requester), { timeout: 2_000 }).toEqual(['approved', 'approved']);
    await expect(requester.getByTestId('ticket-status')).toHaveAttribute('data-status', 'approved');
    expect(Date.now() - liveAt).toBeLessThan(2_000);
    const steps = requester.getByRole('list', { name: 'Approval steps' });
    await expect(steps.locator('[data-step-key="finance"]')).toHaveAttribute('data-status', 'approved');
  });
}
