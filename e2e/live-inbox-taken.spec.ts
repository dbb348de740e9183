import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { DEMO_PASSWORD, signedIn } from './helpers';

async function tokenFor(request: APIRequestContext, who: string): Promise<string> {
  const res = await request.post('/api/auth/login', { data: { email: `${who}@signoff.local`, password: DEMO_PASSWORD } });
  return ((await res.json()) as { token: string }).token;
}
const auth = (token: string) => ({ authorization: `Bearer ${token}` });

async function openTodo(page: Page) {
  await page.getByRole('link', { name: /^To do/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'To do' })).toBeVisible();
}

test("a task another approver took on an any-stage (或签) leaves the other's open To do list and tab count", async ({
  browser,
  request,
}) => {
  const [alice, bob, finance] = [await tokenFor(request, 'alice'), await tokenFor(request, 'bob'), await tokenFor(request, 'finance')];
  const title = `Monitors ${Date.now().toString(36)}`;
  // Small and not IT: manager, then payment by any one of finance and the director.
  const created = await request.post('/api/tickets', {
    headers: auth(alice),
    data: { templateKey: 'purchase', title, fields: { item: '2 monitors', amount: 1800, department: 'sales', vendor: null } },
  });
  expect(created.status()).toBe(201);
  const detail = await created.json();
  const stepId = (key: string) => detail.flow.steps.find((s: { key: string }) => s.key === key).id;
  expect(
    (
      await request.post(`/api/tickets/${detail.ticket.id}/decisions`, {
        headers: auth(bob),
        data: { stepId: stepId('manager'), decision: 'approve' },
      })
    ).status(),
  ).toBe(200);

  const director = await signedIn(browser, 'director');
  await openTodo(director);
  await expect(director.getByRole('link', { name: title })).toBeVisible();
  await expect(director).toHaveTitle(/^\(\d+\)/);
  const countBefore = Number(/^\((\d+)\)/.exec(await director.title())![1]);

  const taken = await request.post(`/api/tickets/${detail.ticket.id}/decisions`, {
    headers: auth(finance),
    data: { stepId: stepId('payment'), decision: 'approve' },
  });
  expect(taken.status()).toBe(200);

  await expect(director.getByRole('link', { name: title })).toHaveCount(0);
  const countAfter = countBefore - 1;
  await expect(director).toHaveTitle(countAfter > 0 ? new RegExp(`^\\(${countAfter}\\)`) : /^(?!\()/);
});
