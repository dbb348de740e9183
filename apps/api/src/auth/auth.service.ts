import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import type { LoginInput, LoginResponse, UserDto } from '@signoff/contracts';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { toUserDto, UsersRepository } from '../users/users.repository';
import { verifyPassword } from './passwords';
import { SessionsRepository } from './sessions.repository';

/** Session tokens are random; only their SHA-256 is stored, so a database leak leaks no session. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

@Injectable()
export class AuthService {
  constructor(
    @Inject(UsersRepository) private readonly users: UsersRepository,
    @Inject(SessionsRepository) private readonly sessions: SessionsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get sessionTtlMs() {
    return this.config.SESSION_TTL_HOURS * 3_600_000;
  }

  async login(input: LoginInput): Promise<LoginResponse> {
    const user = await this.users.findWithPasswordByEmail(input.email);
    const valid = await verifyPassword(user?.passwordHash ?? null, input.password);
    if (!user || !valid || !user.active) throw new UnauthorizedException('Wrong email or password.');
    const token = randomBytes(32).toString('base64url');
    await this.sessions.create(user.id, hashToken(token), new Date(Date.now() + this.sessionTtlMs));
    return { user: toUserDto(user), token };
  }

  async logout(token: string) {
    await this.sessions.delete(hashToken(token));
  }

  async userForToken(token: string | undefined): Promise<UserDto | null> {
    if (!token || token.length > 200) return null;
    const user = await this.sessions.findUser(hashToken(token));
    return user ? toUserDto(user) : null;
  }
}
