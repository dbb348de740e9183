import { BadRequestException, type PipeTransform } from '@nestjs/common';
import { describeZodError } from '@signoff/contracts';
import type { z } from 'zod';

/** Parses with a shared zod schema; a failure is a 400 whose message names the field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw new BadRequestException(describeZodError(result.error, prefix));
  return result.data;
}

export class ZodPipe<S extends z.ZodType> implements PipeTransform<unknown, z.infer<S>> {
  constructor(
    private readonly schema: S,
    private readonly prefix = '',
  ) {}
  transform(value: unknown): z.infer<S> {
    return parseOrThrow(this.schema, value ?? {}, this.prefix);
  }
}
