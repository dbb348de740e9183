import { expect, type Browser, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'signoff-demo';

/** A signed-in page in its own browser context (its own cookies), like a separate person. */
export async function signedIn(browser: Browser, who: string): Promise<Page> {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto('/');
  await page.getByLabel('Email').fill(`${who}@signoff.local`);
  await page.getByLabel('Password').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  return page;
}

export interface FlowNode {
  key: string;
  parent?: string;
  text: string;
  status: string;
  color: string;
  link_text: string;
}

/** The GoJS model's node data, read through the diagram's div. */
export async function flowNodes(page: Page): Promise<FlowNode[]> {
  const div = page.getByTestId('approval-flow');
  await expect(div).toBeVisible();
  return div.evaluate((el) => {
    const go = (window as unknown as { go: { Diagram: { fromDiv(d: Element): { model: { nodeDataArray: unknown[] } } | null } } }).go;
    const diagram = go.Diagram.fromDiv(el);
    return (diagram?.model.nodeDataArray ?? []).map((n) => ({ ...(n as FlowNode) }));
  });
}

/** Status of each stage node, in flow order (start and end nodes left out). */
export async function stageStatuses(page: Page): Promise<string[]> {
  const nodes = await flowNodes(page);
  return nodes.filter((n) => n.key !== 'start' && n.key !== 'end').map((n) => n.status);
}

export async function submitTicket(page: Page, template: string, title: string, fields: Record<string, string>): Promise<string> {
  await page.getByRole('link', { name: 'New ticket' }).first().click();
  await page.getByRole('radio', { name: new RegExp(template) }).check();
  await page.getByLabel('Title').fill(title);
  for (const [label, value] of Object.entries(fields)) {
    const field = page.getByLabel(label, { exact: false });
    if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(value);
    else await field.fill(value);
  }
  await page.getByRole('button', { name: 'Submit for approval' }).click();
  await expect(page).toHaveURL(/\/tickets\/[0-9a-f-]{36}$/);
  return page.url();
}
