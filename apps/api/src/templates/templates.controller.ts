import { Controller, Get, Inject } from '@nestjs/common';
import { TemplatesRepository } from './templates.repository';

@Controller('templates')
export class TemplatesController {
  constructor(@Inject(TemplatesRepository) private readonly templates: TemplatesRepository) {}

  /** Every signed-in user may read the templates they can submit from. */
  @Get()
  list() {
    return this.templates.listLatest();
  }
}
