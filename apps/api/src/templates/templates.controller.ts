import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { routePreviewSchema, type RoutePreviewInput, type UserDto } from '@signoff/contracts';
import { CurrentUser } from '../auth/auth.decorators';
import { ZodPipe } from '../common/validation';
import { ApiErrors, ApiResult, ApiSession, ApiZodBody } from '../openapi/decorators';
import { TicketsService } from '../tickets/tickets.service';
import { TemplatesRepository } from './templates.repository';

@ApiTags('templates')
@ApiSession()
@Controller('templates')
export class TemplatesController {
  constructor(
    @Inject(TemplatesRepository) private readonly templates: TemplatesRepository,
    @Inject(TicketsService) private readonly tickets: TicketsService,
  ) {}

  /** Every signed-in user may read the templates they can submit from. */
  @Get()
  @ApiOperation({ summary: 'Latest version of every template' })
  @ApiResult(200, 'Templates, one per key.', ['Template'])
  list() {
    return this.templates.listLatest();
  }

  @Post(':key/preview')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Route preview: the stages and approvers a ticket with these fields would take',
    description: 'Planned exactly as a submission would be (conditions, delegation, rules); nothing is written.',
  })
  @ApiZodBody(routePreviewSchema)
  @ApiResult(200, 'The planned flow.', 'RoutePreview')
  @ApiErrors({ 400: 'Unknown template or invalid fields; the message names each.', 409: 'No one could approve a stage.' })
  preview(@CurrentUser() user: UserDto, @Param('key') key: string, @Body(new ZodPipe(routePreviewSchema)) body: RoutePreviewInput) {
    return this.tickets.preview(user, key, body);
  }
}
