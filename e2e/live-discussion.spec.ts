import { expect, test } from '@playwright/test';
import { signedIn, stageStatuses, submitTicket } from './helpers';

const expense = { 'Amount (CNY)': '320.00', 'Date spent': '2026-11-22', Category: 'equipment' };
const unique = (title: string) => `${title} ${Date.now().toString(36)}`;

test("a message bob sends appears live in alice's discussion, once, with his name", async ({ browser }) => {
  const requester = await signedIn(browser, 'alice');
  const approver = await signedIn(browser, 'bob');
  const url = await submitTicket(requester, 'Expense claim', unique('Keyboard'), expense);
  await approver.goto(url);

  await approver.getByLabel('Message').fill('Which model is it?');
  await approver.getByRole('button', { name: 'Send' }).click();

  const messages = requester.getByRole('list', { name: 'Discussion' }).getByRole('listitem');
  await expect(messages).toHaveCount(1);
  await expect(messages.first()).toContainText('Li Wei');
  await expect(messages.first()).toContainText('Which model is it?');
  // The sender sees it once too: the POST answer and the live event are the same seq.
  await expect(approver.getByRole('list', { name: 'Discussion' }).getByRole('listitem')).toHaveCount(1);
  await expect(approver.getByLabel('Message')).toHaveValue('');
});

test('messages show in the order they were sent', async ({ browser }) => {
  const requester = await signedIn(browser, 'alice');
  const approver = await signedIn(browser, 'bob');
  const url = await submitTicket(requester, 'Expense claim', unique('Monitor'), expense);
  await approver.goto(url);

  await approver.getByLabel('Message').fill('Is this the 27 inch one?');
  await approver.getByRole('button', { name: 'Send' }).click();
  await expect(requester.getByRole('list', { name: 'Discussion' })).toContainText('27 inch');
  await requester.getByLabel('Message').fill('Yes, for the design team.');
  await requester.getByRole('button', { name: 'Send' }).click();

  const messages = approver.getByRole('list', { name: 'Discussion' }).getByRole('listitem');
  await expect(messages).toHaveText([/Li Wei.*Is this the 27 inch one\?/s, /Alice Zhang.*Yes, for the design team\./s]);
});

test('a message changes neither the status, the flow nor the decision form', async ({ browser }) => {
  const requester = await signedIn(browser, 'alice');
  const approver = await signedIn(browser, 'bob');
  const url = await submitTicket(requester, 'Expense claim', unique('Headset'), expense);
  await approver.goto(url);
  await approver.getByLabel('Comment').fill('draft reason');

  await requester.getByLabel('Message').fill('Needed for calls with Shenzhen.');
  await requester.getByRole('button', { name: 'Send' }).click();

  await expect(approver.getByRole('list', { name: 'Discussion' })).toContainText('Shenzhen');
  expect(await stageStatuses(approver)).toEqual(['active', 'waiting']);
  await expect(approver.getByTestId('ticket-status')).toHaveAttribute('data-status', 'pending');
  await expect(approver.getByLabel('Comment')).toHaveValue('draft reason');
  await expect(approver.getByRole('button', { name: 'Approve' })).toBeEnabled();
  await expect(approver.getByRole('list', { name: 'Timeline' }).getByRole('listitem')).toHaveCount(1);
});

test('an empty message is refused before anything is sent', async ({ browser }) => {
  const requester = await signedIn(browser, 'alice');
  await submitTicket(requester, 'Expense claim', unique('Mouse'), expense);
  await requester.getByRole('button', { name: 'Send' }).click();
  await expect(requester.getByRole('alert')).toContainText('Message');
  await expect(requester.getByLabel('Message')).toHaveAttribute('aria-invalid', 'true');
});

test('alice sees that Li Wei is viewing her ticket while he has it open, and no longer once he leaves', async ({ browser }) => {
  const requester = await signedIn(browser, 'alice');
  const approver = await signedIn(browser, 'bob');
  const url = await submitTicket(requester, 'Expense claim', unique('Desk lamp'), expense);
  const presence = requester.getByTestId('presence');
  await expect(presence).toHaveText('');

  await approver.goto(url);
  await expect(presence).toHaveText('Li Wei is viewing');
  await expect(approver.getByTestId('presence')).toHaveText('Alice Zhang is viewing');

  await approver.getByRole('link', { name: 'My tickets' }).click();
  await expect(presence).toHaveText('');
});

test('presence counts the other viewers beyond the first', async ({ browser }) => {
  const requester = await signedIn(browser, 'alice');
  const url = await submitTicket(requester, 'Expense claim', unique('Chair'), expense);
  for (const who of ['bob', 'finance', 'admin']) await (await signedIn(browser, who)).goto(url);

  await expect(requester.getByTestId('presence')).toHaveText(/^(Li Wei|Wang Fang|Ada Admin) and 2 others are viewing$/);
});

test('a ticket page that lost its connection shows it, then shows it is catching up and applies the decision made meanwhile', async ({
  browser,
}) => {
  const requester = await signedIn(browser, 'alice');
  const approver = await signedIn(browser, 'bob');
  const url = await submitTicket(requester, 'Expense claim', unique('Train to Suzhou'), expense);
  const connection = requester.getByTestId('connection-state');
  await expect(connection).toHaveAttribute('data-state', 'live');
  await expect.poll(() => stageStatuses(requester)).toEqual(['active', 'waiting']);

  await requester.context().setOffline(true);
  await expect(connection).not.toHaveAttribute('data-state', 'live');
  await approver.goto(url);
  await approver.getByRole('button', { name: 'Approve' }).click();
  await expect(approver.getByRole('button', { name: 'Approve' })).toHaveCount(0);
  expect(await stageStatuses(requester)).toEqual(['active', 'waiting']);

  // "Catching up…" is on screen only while the replay runs: record that it appeared.
  await requester.evaluate(() => {
    const w = window as unknown as { sawCatchingUp: boolean };
    w.sawCatchingUp = false;
    new MutationObserver(() => {
      if (document.querySelector('[data-testid="catching-up"]')) w.sawCatchingUp = true;
    }).observe(document.body, { subtree: true, childList: true });
  });
  await requester.context().setOffline(false);
  await expect(connection).toHaveAttribute('data-state', 'live', { timeout: 30_000 });
  await expect.poll(() => stageStatuses(requester)).toEqual(['approved', 'active']);
  await expect(requester.getByTestId('catching-up')).toHaveCount(0);
  expect(await requester.evaluate(() => (window as unknown as { sawCatchingUp: boolean }).sawCatchingUp)).toBe(true);
});
