import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { routePreviewSchema, templateDefSchema, type RoutePreviewInput, type UserDto } from '@signoff/contracts';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ZodPipe } from '../common/validation';
import { ApiErrors, ApiResult, ApiSession, ApiZodBody } from '../openapi/decorators';
import { TicketsService } from '../tickets/tickets.service';
import { TemplatesRepository } from './templates.repository';
import { TemplatesService } from './templates.service';

@ApiTags('templates')
@ApiSession()
@Controller('templates')
export class TemplatesController {
  constructor(
    @Inject(TemplatesRepository) private readonly templates: TemplatesRepository,
    @Inject(TicketsService) private readonly tickets: TicketsService,
    @Inject(TemplatesService) private readonly service: TemplatesService,
  ) {}

  /** Every signed-in user may read the templates they can submit from. */
  @Get()
  @ApiOperation({ summary: 'Latest version of every template' })
  @ApiResult(200, 'Templates, one per key.', ['Template'])
  list() {
    return this.templates.listLatest();
  }

  /** The body is checked by the service (structure, meaning, directory) so API and CLI report the same problems. */
  @Roles('admin')
  @Post()
  @ApiOperation({
    summary: 'Publish a template: the next version of its key (admin only)',
    description:
      'Creates the template or adds version n+1. Running tickets keep the version they started with. ' +
      'The definition is checked for structure, conditions (unknown fields, always false), duplicate keys, quorum, ' +
      'unknown or disabled users, roles nobody has and stages no one can approve; every problem is listed.',
  })
  @ApiZodBody(templateDefSchema)
  @ApiResult(201, 'The published version.', 'Template')
  @ApiErrors({ 400: 'Invalid definition; the message lists each problem as `path: message`, separated by `; `.', 403: 'Admins only.' })
  publish(@CurrentUser() user: UserDto, @Body() body: unknown) {
    return this.service.publish(user, body);
  }

  @Roles('admin')
  @Get(':key/versions')
  @ApiOperation({ summary: 'Every version of a template, newest first (admin only)' })
  @ApiResult(200, 'Versions, newest first.', ['TemplateVersion'])
  @ApiErrors({ 403: 'Admins only.', 404: 'No template with this key.' })
  versions(@CurrentUser() user: UserDto, @Param('key') key: string) {
    return this.service.versions(user, key);
  }

  @Get(':key')
  @ApiOperation({ summary: 'Latest version of one template' })
  @ApiResult(200, 'The latest version.', 'Template')
  @ApiErrors({ 404: 'No template with this key.' })
  get(@Param('key') key: string) {
    return this.service.latest(key);
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
