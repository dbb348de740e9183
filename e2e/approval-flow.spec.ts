import { expect, test } from '@playwright/test';
import { flowNodes, signedIn, stageStatuses, submitTicket } from './helpers';

const expense = { 'Amount (CNY)': '188.50', 'Date spent': '2026-11-20', Category: 'travel' };

test('the requester sees stage 1 approved and stage 2 active live, while a third viewer watches too', async ({ browser }) => {
  const requester = await signedIn(browser, 'alice');
  const approver = await signedIn(browser, 'bob');
  const viewer = await signedIn(browser, 'finance');

  const url = await submitTicket(requester, 'Expense claim', 'Flight to Shanghai', expense);
  await expect.poll(() => stageStatuses(requester)).toEqual(['active', 'waiting']);
  await expect(requester.getByTestId('ticket-status')).toHaveAttribute('data-status', 'pending');
  const navigations: string[] = [];
  requester.on('framenavigated', (frame) => frame === requester.mainFrame() && navigations.push(frame.url()));
  await requester.evaluate(() => ((window as unknown as { marker: number }).marker = 42));

  // The approver finds it in To do.
  await approver.getByRole('link', { name: /^To do/ }).click();
  await approver.getByRole('link', { name: 'Flight to Shanghai' }).click();
  await expect(approver).toHaveURL(url);
  await viewer.goto(url);
  await expect.poll(() => stageStatuses(viewer)).toEqual(['active', 'waiting']);

  await approver.getByLabel('Comment').fill('ok for this trip');
  await approver.getByRole('button', { name: 'Approve' }).click();

  // The requester's open page changes without a reload: GoJS model, step list, timeline.
  await expect.poll(() => stageStatuses(requester)).toEqual(['approved', 'active']);
  const nodes = await flowNodes(requester);
  const financeNode = nodes.find((n) => n.text.startsWith('Finance review'))!;
  expect(financeNode.link_text).toMatch(/^approved by Li Wei \d{2}:\d{2}$/);
  expect(financeNode.color).toBe('#fde68a');
  const steps = requester.getByRole('list', { name: 'Approval steps' });
  await expect(steps.locator('[data-step-key="manager"]')).toHaveAttribute('data-status', 'approved');
  await expect(steps.locator('[data-step-key="finance"]')).toHaveAttribute('data-status', 'active');
  await expect(requester.getByRole('list', { name: 'Timeline' })).toContainText('Li Wei');
  expect(await requester.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
  expect(navigations).toEqual([]);

  // The third viewer saw it too.
  await expect.poll(() => stageStatuses(viewer)).toEqual(['approved', 'active']);

  // Finance approves the last stage: the ticket completes for everyone.
  await viewer.getByRole('button', { name: 'Approve' }).click();
  await expect(requester.getByTestId('ticket-status')).toHaveAttribute('data-status', 'approved');
  await expect.poll(() => stageStatuses(requester)).toEqual(['approved', 'approved']);
  expect((await flowNodes(requester)).find((n) => n.key === 'end')!.status).toBe('approved');
});

test('a rejection reaches the requester live with its reason, and later stages are skipped', async ({ browser }) => {
  const requester = await signedIn(browser, 'alice');
  const approver = await signedIn(browser, 'bob');
  const viewer = await signedIn(browser, 'admin');

  const url = await submitTicket(requester, 'Expense claim', 'Team dinner', { ...expense, Category: 'meals' });
  await approver.goto(url);
  await viewer.goto(url);
  await expect.poll(() => stageStatuses(viewer)).toEqual(['active', 'waiting']);

  await approver.getByLabel('Comment').fill('over budget');
  await approver.getByRole('button', { name: 'Reject' }).click();

  await expect(requester.getByTestId('ticket-status')).toHaveAttribute('data-status', 'rejected');
  await expect.poll(() => stageStatuses(requester)).toEqual(['rejected', 'skipped']);
  const financeNode = (await flowNodes(requester)).find((n) => n.text.startsWith('Finance review'))!;
  expect(financeNode.link_text).toBe('rejected: over budget');
  await expect(requester.getByRole('list', { name: 'Approval steps' }).locator('[data-step-key="manager"]')).toHaveAttribute(
    'data-status',
    'rejected',
  );
  await expect.poll(() => stageStatuses(viewer)).toEqual(['rejected', 'skipped']);
  await expect(approver.getByRole('button', { name: 'Approve' })).toHaveCount(0);
});

test('the form explains what is wrong before anything is sent', async ({ browser }) => {
  const requester = await signedIn(browser, 'alice');
  await requester.getByRole('link', { name: 'New ticket' }).first().click();
  await requester.getByRole('radio', { name: /Expense claim/ }).check();
  await requester.getByLabel('Amount (CNY)').fill('-5');
  await requester.getByRole('button', { name: 'Submit for approval' }).click();
  await expect(requester.getByRole('alert').first()).toBeVisible();
  await expect(requester.getByLabel('Title')).toHaveAttribute('aria-invalid', 'true');
  await expect(requester.getByLabel('Amount (CNY)')).toHaveAttribute('aria-invalid', 'true');
  await expect(requester).toHaveURL(/\/new/);
});

test('the interface switches to Simplified Chinese and back', async ({ browser }) => {
  const page = await signedIn(browser, 'alice');
  await page.getByRole('button', { name: '简体中文' }).click();
  await expect(page.getByRole('link', { name: /^我的/ }).first()).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', /zh/);
  await page.getByRole('button', { name: 'English' }).click();
  await expect(page.getByRole('link', { name: 'My tickets' })).toBeVisible();
});
