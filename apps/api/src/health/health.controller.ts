import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import type { ClientConfigDto, HealthDto } from '@signoff/contracts';
import { Public } from '../auth/auth.decorators';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { DATA_SOURCE } from '../database/tokens';
import { ApiErrors, ApiResult } from '../openapi/decorators';

@ApiTags('system')
@Controller()
export class HealthController {
  constructor(
    @Inject(DATA_SOURCE) private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Get('health')
  @ApiOperation({ summary: 'Liveness and database check' })
  @ApiResult(200, 'The API and its database are up.', 'Health')
  @ApiErrors({ 503: 'The database is unavailable.' })
  async health(): Promise<HealthDto> {
    try {
      await this.db.query('SELECT 1');
    } catch {
      throw new ServiceUnavailableException('The database is unavailable.');
    }
    return { status: 'ok', database: 'up' };
  }

  /** What the browser needs before it draws: public by nature (a GoJS key ships to every browser). */
  @Public()
  @Get('client-config')
  @ApiOperation({ summary: 'Configuration the browser needs before it draws' })
  @ApiResult(200, 'Public client configuration.', 'ClientConfig')
  clientConfig(): ClientConfigDto {
    return { gojsLicenseKey: this.config.GOJS_LICENSE_KEY };
  }
}
