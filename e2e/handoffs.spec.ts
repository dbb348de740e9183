import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { DEMO_PASSWORD, flowNodes, signedIn, submitTicket } from './helpers';

const expense = { 'Amount (CNY)': '150', 'Date spent': '2026-11-18', Category: 'meals' };
const unique = (title: string) => `${title} ${Date.now().toString(36)}`;

async function pick(page: Page, label: string, search: string, name: string) {
  await page.getByRole('combobox', { name: label }).fill(search);
  await page.getByRole('option', { name: new RegExp(name) }).click();
}

/** The manager stage's tasks as the requester's open diagram shows them. */
async function managerTasks(page: Page) {
  const node = (await flowNodes(page)).find((n) => n.text.startsWith('Manager approval')) as unknown as {
    tasks?: Array<{ text: string; status: string }>;
  };
  return (node.tasks ?? []).map((t) => `${t.text}: ${t.status}`);
}

test('a transferred task (转交) shows live as "on behalf of" on the requester’s diagram, and the new assignee decides it', async ({
  browser,
}) => {
  const requester = await signedIn(browser, 'alice');
  const url = await submitTicket(requester, 'Expense claim', unique('Transfer me'), expense);
  const manager = await signedIn(browser, 'bob');
  await manager.goto(url);
  await manager.getByText('Transfer or add a signer').click();
  await pick(manager, 'Transfer to', 'Zhao', 'Zhao Min');
  await manager.getByRole('button', { name: 'Transfer', exact: true }).click();

  await expect.poll(() => managerTasks(requester)).toEqual(['Li Wei: transferred', 'Zhao Min on behalf of Li Wei: active']);
  await expect(manager.getByTestId('decision-panel')).toHaveCount(0);

  const director = await signedIn(browser, 'director');
  await director.goto(url);
  await director.getByRole('button', { name: 'Approve' }).click();
  await expect.poll(() => managerTasks(requester)).toEqual(['Li Wei: transferred', 'Zhao Min on behalf of Li Wei: approved']);
  await expect(requester.getByRole('list', { name: 'Approval steps' }).locator('[data-step-key="finance"]')).toHaveAttribute(
    'data-status',
    'active',
  );
});

test('a signer added after me (加签) must also approve before the stage completes', async ({ browser }) => {
  const requester = await signedIn(browser, 'alice');
  const url = await submitTicket(requester, 'Expense claim', unique('Add a signer'), expense);
  const manager = await signedIn(browser, 'bob');
  await manager.goto(url);
  await manager.getByText('Transfer or add a signer').click();
  await pick(manager, 'Signer to add', 'Chen', 'Chen Jing');
  await manager.getByLabel('After me').check();
  await manager.getByRole('button', { name: 'Add signer' }).click();
  await expect.poll(() => managerTasks(requester)).toEqual(['Li Wei: active', 'Chen Jing (added by Li Wei): waiting']);

  await manager.getByRole('button', { name: 'Approve' }).click();
  await expect.poll(() => managerTasks(requester)).toEqual(['Li Wei: approved', 'Chen Jing (added by Li Wei): active']);
  const steps = requester.getByRole('list', { name: 'Approval steps' });
  await expect(steps.locator('[data-step-key="manager"]')).toHaveAttribute('data-status', 'active');

  const qa = await signedIn(browser, 'qa');
  await qa.goto(url);
  await qa.getByRole('button', { name: 'Approve' }).click();
  await expect(steps.locator('[data-step-key="manager"]')).toHaveAttribute('data-status', 'approved');
  await expect(steps.locator('[data-step-key="finance"]')).toHaveAttribute('data-status', 'active');
});

async function clearDelegation(request: APIRequestContext, who: string) {
  const login = await request.post('/api/auth/login', { data: { email: `${who}@signoff.local`, password: DEMO_PASSWORD } });
  const { token } = (await login.json()) as { token: string };
  await request.delete('/api/me/delegation', { headers: { authorization: `Bearer ${token}` } });
}

test('while the manager is out of office, a new ticket’s task goes to the delegate on his behalf', async ({ browser, request }) => {
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const manager = await signedIn(browser, 'bob');
  try {
    await manager.getByRole('link', { name: 'Out of office' }).click();
    await pick(manager, 'Delegate', 'Zhao', 'Zhao Min');
    await manager.getByLabel('From').fill(day(-1));
    await manager.getByLabel('To', { exact: true }).fill(day(1));
    await manager.getByRole('button', { name: 'Save delegation' }).click();
    await expect(manager.getByText(/Zhao Min takes your new tasks/)).toBeVisible();

    const requester = await signedIn(browser, 'alice');
    await submitTicket(requester, 'Expense claim', unique('While away'), expense);
    const manageStep = requester.getByRole('list', { name: 'Approval steps' }).locator('[data-step-key="manager"]');
    await expect(manageStep).toContainText('Zhao Min');
    await expect(manageStep).toContainText('Li Wei');
    expect((await flowNodes(requester)).find((n) => n.text.startsWith('Manager approval'))!.text).toContain('Zhao Min on behalf of Li Wei');
  } finally {
    await clearDelegation(request, 'bob');
  }
});
