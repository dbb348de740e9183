/**
 * Turns a stage's approver rule into user ids. Needs the directory, so it lives here and
 * hands plain ids to the pure engine (which applies fallbacks, requester and dedupe rules).
 */
import { BadRequestException, Inject, Injectable } from '@nestjs/common';
import type { ApproverRule, UserDto } from '@signoff/contracts';
import { UsersRepository } from '../users/users.repository';

@Injectable()
export class ApproverResolver {
  constructor(@Inject(UsersRepository) private readonly users: UsersRepository) {}

  /** `picks`: user ids the requester chose for this stage (rule `requesterPick`). */
  async resolve(rule: ApproverRule | undefined, requester: UserDto, picks: string[] | undefined, stageKey: string): Promise<string[]> {
    if (!rule) return [];
    switch (rule.kind) {
      case 'user': {
        const user = await this.users.findByEmail(rule.email);
        return user?.active ? [user.id] : [];
      }
      case 'users':
        return this.activeIdsByEmail(rule.emails);
      case 'role':
        return (await this.users.findActiveByRole(rule.role)).map((u) => u.id);
      case 'manager':
        return this.managerChain(requester, 1);
      case 'managerChain':
        return this.managerChain(requester, rule.levels);
      case 'requesterPick': {
        const chosen = [...new Set(picks ?? [])];
        if (chosen.length === 0) throw new BadRequestException(`approvers.${stageKey}: choose who approves this stage.`);
        if (rule.max !== undefined && chosen.length > rule.max)
          throw new BadRequestException(`approvers.${stageKey}: choose at most ${rule.max}.`);
        const found = (await this.users.findByIds(chosen)).filter((u) => u.active);
        if (found.length !== chosen.length) throw new BadRequestException(`approvers.${stageKey}: unknown or disabled user.`);
        return chosen;
      }
    }
  }

  /** The requester's manager, their manager, … (`levels` people at most; inactive ones are passed over). */
  private async managerChain(requester: UserDto, levels: number): Promise<string[]> {
    const chain: string[] = [];
    const seen = new Set([requester.id]);
    let nextId = requester.managerId;
    while (nextId && chain.length < levels && !seen.has(nextId)) {
      seen.add(nextId);
      const manager = await this.users.findById(nextId);
      if (!manager) break;
      if (manager.active) chain.push(manager.id);
      nextId = manager.managerId;
    }
    return chain;
  }

  async activeAdmins(): Promise<string[]> {
    return (await this.users.findActiveByRole('admin')).map((u) => u.id);
  }

  /** Active users by email, in the order given (a sequential stage takes turns in the template's order). */
  async activeIdsByEmail(emails: string[]): Promise<string[]> {
    const byEmail = new Map((await this.users.findByEmails(emails)).map((u) => [u.email.toLowerCase(), u]));
    return emails.flatMap((e) => {
      const user = byEmail.get(e.toLowerCase());
      return user?.active ? [user.id] : [];
    });
  }

  /** The manager of a user, if active (escalation goes up one level at a time). */
  async managerOf(userId: string): Promise<string | null> {
    const user = await this.users.findById(userId);
    if (!user?.managerId) return null;
    const manager = await this.users.findById(user.managerId);
    return manager?.active ? manager.id : null;
  }
}
