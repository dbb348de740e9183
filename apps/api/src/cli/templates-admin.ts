/**
 * What the admin CLI does to templates: read a JSON or YAML file and publish it through
 * the same TemplatesService checks as `POST /api/templates`. Output is the caller's business.
 */
import { readInputFile } from './read-input-file';
import { parseDocument } from 'yaml';
import type { TemplateDto } from '@signoff/contracts';
import type { TemplatesRepository } from '../templates/templates.repository';
import { CLI_OPERATOR, TemplateProblemsException, type TemplatesService } from '../templates/templates.service';
import { CliError } from './cli-error';

export type TemplateImportResult =
  | { file: string; status: 'published' | 'unchanged'; template: TemplateDto }
  | { file: string; status: 'invalid'; key: string | null; problems: string[] };

export interface TemplateListing {
  key: string;
  version: number;
  name: { en: string; zh: string };
  stages: number;
}

type TemplateFileFormat = 'json' | 'yaml';

export function templateFormatFromPath(file: string): TemplateFileFormat {
  const lower = file.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  throw new CliError(`${file}: unsupported file type; expected a .json, .yaml or .yml file`);
}

/** The file's one template definition as plain data (checked later, by the service). */
export function parseTemplateFile(file: string, text: string, format: TemplateFileFormat): unknown {
  const clean = text.replace(/^\uFEFF/, '');
  if (format === 'json') {
    try {
      return JSON.parse(clean) as unknown;
    } catch (err) {
      throw new CliError(`${file}: not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const doc = parseDocument(clean, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new CliError(`${file}: not valid YAML: ${doc.errors.map((e) => e.message.split('\n')[0]).join('; ')}`);
  }
  return doc.toJS() as unknown;
}

export class TemplatesAdmin {
  constructor(
    private readonly service: TemplatesService,
    private readonly templates: TemplatesRepository,
  ) {}

  /**
   * Publishes the file's definition as the next version of its key, unless it equals the
   * latest version (then nothing is written: `unchanged`). An invalid file writes nothing.
   */
  async importFile(file: string): Promise<TemplateImportResult> {
    const format = templateFormatFromPath(file);
    const text = await readInputFile(file, 'template file');
    const definition = parseTemplateFile(file, text, format);
    try {
      const { template, changed } = await this.service.publishIfChanged(CLI_OPERATOR, definition, { skipUnchanged: true });
      return { file, status: changed ? 'published' : 'unchanged', template };
    } catch (err) {
      if (err instanceof TemplateProblemsException) {
        const key = (definition as { key?: unknown } | null)?.key;
        return { file, status: 'invalid', key: typeof key === 'string' ? key : null, problems: err.problems };
      }
      throw err;
    }
  }

  async list(): Promise<TemplateListing[]> {
    return (await this.templates.listLatest()).map((t) => ({ key: t.key, version: t.version, name: t.name, stages: t.stages.length }));
  }
}
