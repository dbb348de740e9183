/** Short OpenAPI decorators for the controllers; they only describe, never change behaviour. */
import { applyDecorators } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiCookieAuth, ApiParam, ApiQuery, ApiResponse, type SchemaObject } from '@nestjs/swagger';
import type { z } from 'zod';
import { openApiSchemaOf, ref, REQUEST_BODIES, type DtoName } from './schemas';

export const BEARER_AUTH = 'bearer';
export const COOKIE_AUTH = 'session';

/** The JSON body is `schema`, the same zod schema the route's ZodPipe validates with. */
export function ApiZodBody(schema: z.ZodType) {
  const name = REQUEST_BODIES.get(schema);
  if (!name) throw new Error('ApiZodBody: register the schema in REQUEST_BODIES (apps/api/src/openapi/schemas.ts)');
  return ApiBody({ required: true, schema: { $ref: `#/components/schemas/${name}` } });
}

/** One query parameter per property of the zod query schema. */
export function ApiZodQuery(schema: z.ZodType) {
  const json = openApiSchemaOf(schema);
  const required = new Set(json.required ?? []);
  return applyDecorators(
    ...Object.entries(json.properties ?? {}).map(([name, property]) => ApiQuery({ name, required: required.has(name), schema: property })),
  );
}

/** A path parameter validated by `schema`. */
export const ApiZodParam = (name: string, schema: z.ZodType) => ApiParam({ name, required: true, schema: openApiSchemaOf(schema) });

/** The success response: a DTO component, an array of one (`[name]`), or no body. */
export function ApiResult(status: number, description: string, body?: DtoName | [DtoName]) {
  const schema: SchemaObject | undefined =
    body === undefined ? undefined : Array.isArray(body) ? { type: 'array', items: ref(body[0]) } : (ref(body) as SchemaObject);
  return ApiResponse(schema ? { status, description, schema } : { status, description });
}

/** Error responses by status, each with the `{statusCode, error, message}` body. */
export function ApiErrors(errors: Partial<Record<400 | 401 | 403 | 404 | 409 | 429 | 503, string>>) {
  return applyDecorators(
    ...Object.entries(errors).map(([status, description]) =>
      ApiResponse({ status: Number(status), description, schema: ref('ApiError') as SchemaObject }),
    ),
  );
}

/** The route needs a session: bearer token or the `signoff_session` cookie (either). */
export const ApiSession = () =>
  applyDecorators(ApiBearerAuth(BEARER_AUTH), ApiCookieAuth(COOKIE_AUTH), ApiErrors({ 401: 'No valid session.' }));
