import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { TemplateDef, TemplateDto } from '@signoff/contracts';
import { TemplateEntity } from '../database/entities';
import { DATA_SOURCE } from '../database/tokens';

const toDto = (t: TemplateEntity): TemplateDto => ({ ...t.definition, id: t.id, version: t.version });

/** One published version of a template, without its definition. */
export interface TemplateVersionDto {
  id: string;
  key: string;
  version: number;
  createdAt: string;
}

@Injectable()
export class TemplatesRepository {
  constructor(@Inject(DATA_SOURCE) private readonly db: DataSource) {}

  /** The newest version of every template. */
  async listLatest(): Promise<TemplateDto[]> {
    const rows = await this.db
      .getRepository(TemplateEntity)
      .createQueryBuilder('t')
      .distinctOn(['t.key'])
      .orderBy('t.key')
      .addOrderBy('t.version', 'DESC')
      .getMany();
    return rows.map(toDto);
  }

  async findLatest(key: string): Promise<TemplateDto | null> {
    const row = await this.db.getRepository(TemplateEntity).findOne({ where: { key }, order: { version: 'DESC' } });
    return row ? toDto(row) : null;
  }

  async findById(id: string): Promise<TemplateDto | null> {
    const row = await this.db.getRepository(TemplateEntity).findOneBy({ id });
    return row ? toDto(row) : null;
  }

  /** Every version of a key, newest first; empty when the key is unknown. */
  async listVersions(key: string): Promise<TemplateVersionDto[]> {
    const rows = await this.db.getRepository(TemplateEntity).find({
      select: { id: true, key: true, version: true, createdAt: true },
      where: { key },
      order: { version: 'DESC' },
    });
    return rows.map((r) => ({ id: r.id, key: r.key, version: r.version, createdAt: r.createdAt.toISOString() }));
  }

  /** Publishes a definition as the next version of its key. */
  async publish(definition: TemplateDef): Promise<TemplateDto> {
    return this.db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`template:${definition.key}`]);
      const [{ max }] = (await tx.query('SELECT coalesce(max(version), 0) AS max FROM templates WHERE key = $1', [
        definition.key,
      ])) as Array<{ max: number }>;
      const saved = await tx.getRepository(TemplateEntity).save({ key: definition.key, version: Number(max) + 1, definition });
      return toDto(saved);
    });
  }
}
