/**
 * Turns a stage's approver rule into user ids. Needs the database, so it lives here and
 * hands plain ids to the pure engine. Nobody resolvable → the admins, so a ticket is
 * never left with no one able to act.
 */
import { Inject, Injectable } from '@nestjs/common';
import type { ApproverRule, UserDto } from '@signoff/contracts';
import { UsersRepository } from '../users/users.repository';

@Injectable()
export class ApproverResolver {
  constructor(@Inject(UsersRepository) private readonly users: UsersRepository) {}

  async resolve(rule: ApproverRule, requester: UserDto): Promise<string[]> {
    const resolved = await this.resolveRule(rule, requester);
    if (resolved.length > 0) return resolved;
    return (await this.users.findActiveByRole('admin')).map((u) => u.id);
  }

  private async resolveRule(rule: ApproverRule, requester: UserDto): Promise<string[]> {
    switch (rule.kind) {
      case 'user': {
        const user = await this.users.findByEmail(rule.email);
        return user?.active ? [user.id] : [];
      }
      case 'role':
        return (await this.users.findActiveByRole(rule.role)).map((u) => u.id);
      case 'manager': {
        if (!requester.managerId) return [];
        const manager = await this.users.findById(requester.managerId);
        return manager?.active ? [manager.id] : [];
      }
    }
  }
}
