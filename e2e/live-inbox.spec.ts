import { expect, test, type Page } from '@playwright/test';
import { signedIn, submitTicket } from './helpers';

const expense = { 'Amount (CNY)': '66.00', 'Date spent': '2026-11-21', Category: 'meals' };
const unique = (title: string) => `${title} ${Date.now().toString(36)}`;

/** Records full navigations of `page` (there must be none: everything arrives live). */
function trackNavigations(page: Page): string[] {
  const navigations: string[] = [];
  page.on('framenavigated', (frame) => frame === page.mainFrame() && navigations.push(frame.url()));
  return navigations;
}

async function openTodo(page: Page) {
  await page.getByRole('link', { name: /^To do/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'To do' })).toBeVisible();
}

test("a ticket alice submits appears in bob's open To do list without a reload", async ({ browser }) => {
  const requester = await signedIn(browser, 'alice');
  const approver = await signedIn(browser, 'bob');
  await openTodo(approver);
  const navigations = trackNavigations(approver);

  const title = unique('Taxi to the airport');
  await submitTicket(requester, 'Expense claim', title, expense);

  await expect(approver.getByRole('link', { name: title })).toBeVisible();
  expect(navigations).toEqual([]);
});

test('bob is told by a toast with a link to To do when a new ticket waits for him', async ({ browser }) => {
  const requester = await signedIn(browser, 'alice');
  const approver = await signedIn(browser, 'bob');
  await approver.getByRole('link', { name: 'My tickets' }).click();

  await submitTicket(requester, 'Expense claim', unique('Client lunch'), expense);

  const toast = approver.getByTestId('inbox-toast');
  await expect(toast).toContainText('A new ticket is waiting for you');
  await expect(approver.getByRole('status').filter({ hasText: 'A new ticket is waiting for you' })).toBeVisible();
  await toast.getByRole('link', { name: 'Open To do' }).click();
  await expect(approver).toHaveURL(/\/todo$/);
  await expect(toast).toHaveCount(0);
});

test('the new-ticket toast closes with its close button', async ({ browser }) => {
  const requester = await signedIn(browser, 'alice');
  const approver = await signedIn(browser, 'bob');

  await submitTicket(requester, 'Expense claim', unique('Parking'), expense);

  const toast = approver.getByTestId('inbox-toast');
  await expect(toast).toBeVisible();
  await toast.getByRole('button', { name: 'Dismiss notification' }).click();
  await expect(toast).toHaveCount(0);
});

test("the ticket appears in finance's open To do list when bob approves the first stage", async ({ browser }) => {
  const requester = await signedIn(browser, 'alice');
  const approver = await signedIn(browser, 'bob');
  const finance = await signedIn(browser, 'finance');
  await openTodo(finance);
  const navigations = trackNavigations(finance);

  const title = unique('Conference ticket');
  const url = await submitTicket(requester, 'Expense claim', title, expense);
  await expect(finance.getByRole('link', { name: title })).toHaveCount(0);

  await approver.goto(url);
  await approver.getByRole('button', { name: 'Approve' }).click();

  await expect(finance.getByRole('link', { name: title })).toBeVisible();
  await expect(finance.getByTestId('inbox-toast')).toContainText('A new ticket is waiting for you');
  expect(navigations).toEqual([]);
});

test("a ticket leaves bob's open To do list when he decides it in another tab", async ({ browser }) => {
  const requester = await signedIn(browser, 'alice');
  const approver = await signedIn(browser, 'bob');
  await openTodo(approver);
  const title = unique('Hotel in Hangzhou');
  const url = await submitTicket(requester, 'Expense claim', title, expense);
  await expect(approver.getByRole('link', { name: title })).toBeVisible();

  const otherTab = await approver.context().newPage();
  await otherTab.goto(url);
  await otherTab.getByRole('button', { name: 'Approve' }).click();
  await expect(otherTab.getByRole('button', { name: 'Approve' })).toHaveCount(0);

  await expect(approver.getByRole('link', { name: title })).toHaveCount(0);
});

test('the new-ticket toast goes away by itself after a few seconds', async ({ browser }) => {
  const requester = await signedIn(browser, 'alice');
  const approver = await signedIn(browser, 'bob');
  await approver.clock.install();

  await submitTicket(requester, 'Expense claim', unique('Umbrella'), expense);

  const toast = approver.getByTestId('inbox-toast');
  await expect(toast).toBeVisible();
  await approver.clock.fastForward(3000);
  await expect(toast).toBeVisible();
  await approver.clock.fastForward(4000);
  await expect(toast).toHaveCount(0);
});
