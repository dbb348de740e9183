import { Controller, Get, Inject } from '@nestjs/common';
import { Roles } from '../auth/auth.decorators';
import { toUserDto, UsersRepository } from './users.repository';

@Controller('users')
export class UsersController {
  constructor(@Inject(UsersRepository) private readonly users: UsersRepository) {}

  /** Admins see every user; changes go through the CLI. */
  @Roles('admin')
  @Get()
  async list() {
    return (await this.users.list()).map(toUserDto);
  }
}
