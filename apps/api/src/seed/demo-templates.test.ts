import { describe, expect, it } from 'vitest';
import { templateDefSchema } from '@signoff/contracts';
import { describeProblem, validateTemplate } from '@signoff/workflow';
import { DEMO_TEMPLATES } from './demo-templates';

describe('demo templates', () => {
  it.each(DEMO_TEMPLATES.map((t) => [t.key, t] as const))('%s is a valid template definition', (_key, template) => {
    const parsed = templateDefSchema.safeParse(template);
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
    expect(validateTemplate(template).map(describeProblem)).toEqual([]);
  });
});
