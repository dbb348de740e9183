import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { ApiErrors, ApiResult, ApiSession } from '../openapi/decorators';
import { toUserDto, UsersRepository } from './users.repository';

@ApiTags('users')
@ApiSession()
@Controller('users')
export class UsersController {
  constructor(@Inject(UsersRepository) private readonly users: UsersRepository) {}

  /** Admins see every user; changes go through the CLI. */
  @Roles('admin')
  @Get()
  @ApiOperation({ summary: 'Every user (admin only)' })
  @ApiResult(200, 'All users.', ['User'])
  @ApiErrors({ 403: 'Needs the admin role.' })
  async list() {
    return (await this.users.list()).map(toUserDto);
  }
}
