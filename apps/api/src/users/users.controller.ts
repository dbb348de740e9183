import { Controller, Get, Inject, Query } from '@nestjs/common';
import { directoryQuerySchema, type DirectoryEntry } from '@signoff/contracts';
import { ZodPipe } from '../common/validation';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/auth.decorators';
import { ApiErrors, ApiResult, ApiSession, ApiZodQuery } from '../openapi/decorators';
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

  /** Any signed-in user may find colleagues to transfer to, add as signer or pick as approver. */
  @Get('directory')
  @ApiOperation({ summary: 'Find active users by name or email', description: 'At most 20, for pickers.' })
  @ApiZodQuery(directoryQuerySchema)
  @ApiResult(200, 'Matching active users.', ['DirectoryEntry'])
  async directory(@Query(new ZodPipe(directoryQuerySchema)) query: { q: string }): Promise<DirectoryEntry[]> {
    return (await this.users.search(query.q, 20)).map((u) => ({ id: u.id, name: u.name, email: u.email, role: u.role }));
  }
}
