import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { ClientConfigDto, HealthDto } from '@signoff/contracts';
import { Public } from '../auth/auth.decorators';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { DATA_SOURCE } from '../database/tokens';

@Controller()
export class HealthController {
  constructor(
    @Inject(DATA_SOURCE) private readonly db: DataSource,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @Get('health')
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
  clientConfig(): ClientConfigDto {
    return { gojsLicenseKey: this.config.GOJS_LICENSE_KEY };
  }
}
