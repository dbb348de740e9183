import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiResult, ApiSession } from '../openapi/decorators';
import { TemplatesRepository } from './templates.repository';

@ApiTags('templates')
@ApiSession()
@Controller('templates')
export class TemplatesController {
  constructor(@Inject(TemplatesRepository) private readonly templates: TemplatesRepository) {}

  /** Every signed-in user may read the templates they can submit from. */
  @Get()
  @ApiOperation({ summary: 'Latest version of every template' })
  @ApiResult(200, 'Templates, one per key.', ['Template'])
  list() {
    return this.templates.listLatest();
  }
}
