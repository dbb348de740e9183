import { expect, test, type Page } from '@playwright/test';
import { signedIn, submitTicket } from './helpers';

const expense = { 'Amount (CNY)': '42.00', 'Date spent': '2026-11-23', Category: 'other' };
const unique = (title: string) => `${title} ${Date.now().toString(36)}`;

async function openDashboard(page: Page) {
  await page.getByRole('link', { name: 'Admin' }).click();
  await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Dashboard' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  await expect(page.getByTestId('stats-pending')).toBeVisible();
}

const figure = async (page: Page, status: 'pending' | 'approved' | 'rejected') =>
  Number(await page.getByTestId(`stats-${status}`).textContent());
const decisionsCharted = async (page: Page) => Number(await page.getByTestId('decisions-chart').getAttribute('data-total'));

test('the dashboard shows pending going down and approved going up live when a ticket is approved', async ({ browser }) => {
  const admin = await signedIn(browser, 'admin');
  const requester = await signedIn(browser, 'alice');
  const manager = await signedIn(browser, 'bob');
  const finance = await signedIn(browser, 'finance');
  await openDashboard(admin);

  const pendingBefore = await figure(admin, 'pending');
  const url = await submitTicket(requester, 'Expense claim', unique('Printer paper'), expense);
  await expect.poll(() => figure(admin, 'pending')).toBe(pendingBefore + 1);
  const approvedBefore = await figure(admin, 'approved');

  await manager.goto(url);
  await manager.getByRole('button', { name: 'Approve' }).click();
  await finance.goto(url);
  await finance.getByRole('button', { name: 'Approve' }).click();

  await expect.poll(() => figure(admin, 'pending')).toBe(pendingBefore);
  await expect.poll(() => figure(admin, 'approved')).toBe(approvedBefore + 1);
});

test('the decisions chart counts a decision made this minute, and says so in its accessible name', async ({ browser }) => {
  const admin = await signedIn(browser, 'admin');
  const requester = await signedIn(browser, 'alice');
  const manager = await signedIn(browser, 'bob');
  await openDashboard(admin);
  const chart = admin.getByTestId('decisions-chart');
  await expect(chart).toHaveAttribute('role', 'img');
  await expect(chart).toHaveAttribute('aria-label', /^Decisions per minute over the last \d+ minutes/);
  const before = await decisionsCharted(admin);

  const url = await submitTicket(requester, 'Expense claim', unique('Stamps'), expense);
  await manager.goto(url);
  await manager.getByLabel('Comment', { exact: true }).fill('no receipt');
  await manager.getByRole('button', { name: 'Reject' }).click();

  await expect.poll(() => decisionsCharted(admin)).toBe(before + 1);
  await expect(chart).toHaveAttribute('aria-label', new RegExp(`: ${before + 1} in total`));
  await expect(admin.getByRole('table', { name: 'Decisions per minute' })).toBeAttached();
});
