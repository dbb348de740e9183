/** Demo users and templates, written only into an empty database. */
import type { UserRecordInput } from '@signoff/contracts';
import { hashPassword } from '../auth/passwords';
import type { TemplatesRepository } from '../templates/templates.repository';
import type { UsersRepository } from '../users/users.repository';
import { DEMO_TEMPLATES } from './demo-templates';

export const DEMO_USERS: UserRecordInput[] = [
  { email: 'admin@signoff.local', name: 'Ada Admin', role: 'admin' },
  { email: 'bob@signoff.local', name: 'Li Wei', role: 'approver' },
  { email: 'alice@signoff.local', name: 'Alice Zhang', role: 'requester', managerEmail: 'bob@signoff.local' },
  { email: 'carol@signoff.local', name: 'Carol Sun', role: 'requester', managerEmail: 'bob@signoff.local' },
  { email: 'finance@signoff.local', name: 'Wang Fang', role: 'approver' },
  { email: 'qa@signoff.local', name: 'Chen Jing', role: 'approver' },
  { email: 'ops@signoff.local', name: 'Liu Yang', role: 'approver' },
  { email: 'director@signoff.local', name: 'Zhao Min', role: 'approver' },
  { email: 'itlead@signoff.local', name: 'Sun Hao', role: 'approver' },
];

export interface SeedResult {
  users: UserRecordInput[];
  templates: string[];
}

export async function seedDemo(users: UsersRepository, templates: TemplatesRepository, password: string): Promise<SeedResult> {
  const result: SeedResult = { users: [], templates: [] };
  if ((await users.count()) === 0) {
    const passwordHash = await hashPassword(password);
    await users.upsertMany(DEMO_USERS.map((u) => ({ ...u, passwordHash })));
    result.users = DEMO_USERS;
  }
  if ((await templates.listLatest()).length === 0) {
    for (const template of DEMO_TEMPLATES) await templates.publish(template);
    result.templates = DEMO_TEMPLATES.map((t) => t.key);
  }
  return result;
}
