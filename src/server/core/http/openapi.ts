import { z } from 'zod';
import type { EndpointDef } from '../../../shared/endpoint.ts';
import { apiErrorSchema } from '../../../shared/errors.ts';

const toSchema = (schema: z.core.$ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'openapi-3.0' });

/** The OpenAPI document, generated from the same schemas the routes validate with. */
export function openApiDocument(endpoints: readonly EndpointDef[], info: { title: string; version: string }) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const e of endpoints) {
    const path = e.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const parameters = [
      ...Object.keys((e.params as z.ZodObject | undefined)?.shape ?? {}).map((name) => ({
        name,
        in: 'path',
        required: true,
        schema: { type: 'string' },
      })),
      ...Object.entries((e.query as z.ZodObject | undefined)?.shape ?? {}).map(([name, schema]) => ({
        name,
        in: 'query',
        required: false,
        schema: toSchema(schema as z.core.$ZodType, 'input'),
      })),
    ];
    (paths[path] ??= {})[e.method.toLowerCase()] = {
      summary: e.summary,
      tags: [e.tag],
      ...(parameters.length ? { parameters } : {}),
      ...(e.body ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(e.body, 'input') } } } } : {}),
      responses: {
        200: { description: 'OK', content: { [e.responseType ?? 'application/json']: { schema: toSchema(e.response, 'output') } } },
        default: { description: 'Error', content: { 'application/json': { schema: toSchema(apiErrorSchema, 'output') } } },
      },
    };
  }
  return {
    openapi: '3.0.3',
    info,
    components: {
      securitySchemes: {
        session: { type: 'apiKey', in: 'cookie', name: 'sid' },
        csrf: { type: 'apiKey', in: 'header', name: 'x-csrf-token' },
      },
    },
    paths,
  };
}
