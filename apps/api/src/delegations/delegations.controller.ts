import { BadRequestException, Body, Controller, Delete, Get, HttpCode, Inject, NotFoundException, Put } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { delegationSchema, type DelegationDto, type DelegationInput, type UserDto } from '@signoff/contracts';
import { CurrentUser } from '../auth/auth.decorators';
import { ZodPipe } from '../common/validation';
import { ApiErrors, ApiResult, ApiSession, ApiZodBody } from '../openapi/decorators';
import { toUserRef, UsersRepository } from '../users/users.repository';
import { DelegationsRepository } from './delegations.repository';

/** Out-of-office (代理): while away, new tasks go to the delegate, shown "on behalf of" you. */
@ApiTags('me')
@ApiSession()
@Controller('me/delegation')
export class DelegationsController {
  constructor(
    @Inject(DelegationsRepository) private readonly delegations: DelegationsRepository,
    @Inject(UsersRepository) private readonly users: UsersRepository,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Your out-of-office delegation' })
  @ApiResult(200, 'The delegation.', 'Delegation')
  @ApiErrors({ 404: 'None is set.' })
  async get(@CurrentUser() user: UserDto): Promise<DelegationDto> {
    const row = await this.delegations.find(user.id);
    if (!row) throw new NotFoundException('No delegation is set.');
    const delegate = await this.users.findById(row.delegateId);
    return { delegate: toUserRef(delegate!), from: row.startsOn, to: row.endsOn };
  }

  @Put()
  @ApiOperation({ summary: 'Set who takes your new tasks between two days (inclusive)' })
  @ApiZodBody(delegationSchema)
  @ApiResult(200, 'The delegation.', 'Delegation')
  @ApiErrors({ 400: 'Bad dates, yourself, or an unknown or disabled delegate.' })
  async set(@CurrentUser() user: UserDto, @Body(new ZodPipe(delegationSchema)) body: DelegationInput): Promise<DelegationDto> {
    if (body.delegateId === user.id) throw new BadRequestException('delegateId: cannot be yourself.');
    const delegate = await this.users.findById(body.delegateId);
    if (!delegate?.active) throw new BadRequestException('delegateId: no such active user.');
    await this.delegations.set(user.id, delegate.id, body.from, body.to);
    return { delegate: toUserRef(delegate), from: body.from, to: body.to };
  }

  @Delete()
  @HttpCode(204)
  @ApiOperation({ summary: 'End your delegation' })
  @ApiResult(204, 'Removed (or there was none).')
  async clear(@CurrentUser() user: UserDto) {
    await this.delegations.clear(user.id);
  }
}
