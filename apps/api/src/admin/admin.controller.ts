import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { UserDto } from '@signoff/contracts';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ApiErrors, ApiResult, ApiSession } from '../openapi/decorators';
import { StatsService } from './stats.service';

@ApiTags('admin')
@ApiSession()
@Controller('admin')
export class AdminController {
  constructor(@Inject(StatsService) private readonly statsService: StatsService) {}

  @Roles('admin')
  @Get('stats')
  @ApiOperation({ summary: 'Dashboard figures', description: 'Also pushed live to admins as `stats:changed`.' })
  @ApiResult(200, 'Tickets by status and decisions per minute over the last 30 minutes.', 'Stats')
  @ApiErrors({ 403: 'Admins only.' })
  stats(@CurrentUser() user: UserDto) {
    return this.statsService.read(user);
  }
}
