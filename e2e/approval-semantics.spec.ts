import { expect, test, type Page } from '@playwright/test';
import { signedIn, submitTicket, type FlowNode } from './helpers';

interface TaskNode {
  key: string;
  text: string;
  status: string;
  color: string;
}
type StageNode = FlowNode & { tasks?: TaskNode[]; counter?: string };

/** The node data of the GoJS diagram inside the element with this test id. */
async function modelOf(page: Page, testId: string): Promise<StageNode[]> {
  const div = page.getByTestId(testId);
  await expect(div).toBeVisible();
  return div.evaluate((el) => {
    const go = (window as unknown as { go: { Diagram: { fromDiv(d: Element): { model: { nodeDataArray: unknown[] } } | null } } }).go;
    return (go.Diagram.fromDiv(el)?.model.nodeDataArray ?? []).map((n) => JSON.parse(JSON.stringify(n)) as StageNode);
  });
}

async function stage(page: Page, testId: string, name: string): Promise<StageNode | undefined> {
  return (await modelOf(page, testId)).find((n) => n.text.startsWith(name));
}

const expense = { 'Amount (CNY)': '320', 'Date spent': '2026-11-19', Category: 'travel' };

test('countersign: the requester sees each of the three approvals arrive in the stage node, then the director becomes active', async ({
  browser,
}) => {
  const alice = await signedIn(browser, 'alice');
  const url = await submitTicket(alice, 'Contract sign-off', 'Cloud hosting contract', {
    Counterparty: 'Acme Cloud',
    'Contract value (CNY)': '120000',
  });
  const countersign = () => stage(alice, 'approval-flow', 'Countersign');
  await expect.poll(async () => (await countersign())?.counter).toBe('0/3 agreed');
  expect((await countersign())!.tasks!.map((t) => t.status)).toEqual(['active', 'active', 'active']);
  const steps = alice.getByRole('list', { name: 'Approval steps' });
  await expect(steps.locator('[data-step-key="countersign"]')).toContainText('All must agree');

  const expected = ['1/3 agreed', '2/3 agreed'];
  for (const [i, who] of (['finance', 'qa', 'ops'] as const).entries()) {
    const approver = await signedIn(browser, who);
    await approver.goto(url);
    await approver.getByRole('button', { name: 'Approve' }).click();
    await expect(approver.getByRole('button', { name: 'Approve' })).toHaveCount(0);
    await expect(steps.locator(`[data-assignee="${who}@signoff.local"]`)).toHaveAttribute('data-task-status', 'approved');
    if (i < 2) {
      await expect.poll(async () => (await countersign())?.counter).toBe(expected[i]);
      const tasks = (await countersign())!.tasks!;
      expect(tasks.filter((t) => t.status === 'approved')).toHaveLength(i + 1);
      expect(tasks.find((t) => t.status === 'approved')!.color).toBe('#86efac');
    }
    await approver.context().close();
  }

  await expect.poll(async () => (await countersign())?.status).toBe('approved');
  expect((await countersign())!.counter).toBe('3/3 agreed');
  expect((await countersign())!.tasks!.map((t) => t.status)).toEqual(['approved', 'approved', 'approved']);
  await expect.poll(async () => (await stage(alice, 'approval-flow', 'Director signs'))?.status).toBe('active');
  await expect(steps.locator('[data-step-key="director"]')).toHaveAttribute('data-status', 'active');
});

test('return then resubmit: the requester sees the return live with its reason, edits the amount, and the manager decides again', async ({
  browser,
}) => {
  const alice = await signedIn(browser, 'alice');
  const bob = await signedIn(browser, 'bob');
  const url = await submitTicket(alice, 'Expense claim', 'Taxi to the airport', expense);
  await bob.goto(url);
  const bobSteps = bob.getByRole('list', { name: 'Approval steps' });
  await expect(bobSteps.locator('[data-step-key="manager"]')).toHaveAttribute('data-status', 'active');
  const firstRound = Number(await bobSteps.locator('[data-step-key="manager"]').getAttribute('data-round'));

  // Returning needs a comment, like rejecting.
  await bob.getByRole('button', { name: 'Return', exact: true }).click();
  await expect(bob.getByRole('alert')).toContainText('required to reject or return');
  await bob.getByLabel('Comment').fill('The receipt says 230, please fix the amount');
  await expect(bob.getByLabel('Return to')).toHaveValue('requester');
  await bob.getByRole('button', { name: 'Return', exact: true }).click();

  await expect(alice.getByTestId('ticket-status')).toHaveAttribute('data-status', 'returned');
  await expect(alice.getByTestId('return-comment')).toContainText('The receipt says 230, please fix the amount');
  await expect(alice.getByTestId('return-comment')).toContainText('Li Wei');
  await alice.getByLabel('Amount (CNY)').fill('230');
  await alice.getByRole('button', { name: 'Resubmit' }).click();
  await expect(alice.getByTestId('ticket-status')).toHaveAttribute('data-status', 'pending');
  await expect(alice.locator('.fields-list [data-field="amount"] dd')).toHaveText('230');

  await bob.getByRole('link', { name: /^To do/ }).click();
  await bob.getByRole('link', { name: 'Taxi to the airport' }).click();
  await expect(bobSteps.locator('[data-step-key="manager"]')).toHaveAttribute('data-status', 'active');
  const secondRound = Number(await bobSteps.locator('[data-step-key="manager"]').getAttribute('data-round'));
  expect(secondRound).toBeGreaterThan(firstRound);
  await expect(bob.getByRole('button', { name: 'Approve' })).toBeVisible();
});

test('route preview: IT purchases over 5000 go to the IT lead and the budget committee; Sales skips the IT lead', async ({ browser }) => {
  const alice = await signedIn(browser, 'alice');
  await alice.getByRole('link', { name: 'New ticket' }).first().click();
  await alice.getByRole('radio', { name: /Purchase request/ }).check();
  await alice.getByLabel('Item').fill('Build servers');
  await alice.getByLabel('Amount (CNY)').fill('6000');
  await alice.getByLabel('Department').selectOption('IT');

  await expect.poll(async () => (await stage(alice, 'route-preview', 'IT lead review'))?.status).toBe('waiting');
  const budget = await stage(alice, 'route-preview', 'Budget committee');
  expect(budget?.status).not.toBe('skipped');
  expect(budget?.tasks?.map((t) => t.text)).toEqual(['Wang Fang', 'Zhao Min', 'Liu Yang']);
  const planned = alice.getByRole('list', { name: 'Planned stages' });
  await expect(planned.locator('[data-step-key="it-lead"]')).toContainText('Sun Hao');

  await alice.getByLabel('Department').selectOption('sales');
  await expect.poll(async () => (await stage(alice, 'route-preview', 'IT lead review'))?.status).toBe('skipped');
  expect((await stage(alice, 'route-preview', 'Budget committee'))?.status).not.toBe('skipped');
  await expect(planned.locator('[data-step-key="it-lead"]')).toHaveAttribute('data-status', 'skipped');
  await expect(planned.locator('[data-step-key="it-lead"]')).toContainText('Skipped');
  // Nothing was submitted.
  await expect(alice).toHaveURL(/\/new$/);
});

test('bulk approve from To do reports the ticket withdrawn meanwhile as failed, with its reason', async ({ browser }) => {
  const alice = await signedIn(browser, 'alice');
  const bob = await signedIn(browser, 'bob');
  await submitTicket(alice, 'Expense claim', 'Bulk: hotel in Hangzhou', expense);
  const withdrawnUrl = await submitTicket(alice, 'Expense claim', 'Bulk: conference ticket', { ...expense, Category: 'other' });

  await bob.getByRole('link', { name: /^To do/ }).click();
  await bob.getByRole('checkbox', { name: 'Select Bulk: hotel in Hangzhou' }).check();
  await bob.getByRole('checkbox', { name: 'Select Bulk: conference ticket' }).check();

  // Meanwhile alice withdraws the second one.
  await alice.goto(withdrawnUrl);
  await alice.getByRole('button', { name: 'Withdraw' }).click();
  await alice.getByLabel('Reason for withdrawing').fill('Conference cancelled');
  await alice.getByRole('button', { name: 'Yes, withdraw' }).click();
  await expect(alice.getByTestId('ticket-status')).toHaveAttribute('data-status', 'withdrawn');

  await bob.getByRole('button', { name: 'Approve selected' }).click();
  const summary = bob.getByRole('status').filter({ hasText: 'approved,' });
  await expect(summary).toContainText('1 approved, 1 failed');
  await expect(summary.locator('li')).toHaveCount(1);
  await expect(summary.locator('li')).toContainText(/^Bulk: conference ticket: .+/);
  // The list refreshed: neither ticket waits for bob any more.
  await expect(bob.getByRole('link', { name: 'Bulk: hotel in Hangzhou' })).toHaveCount(0);
  await expect(bob.getByRole('link', { name: 'Bulk: conference ticket' })).toHaveCount(0);
});
