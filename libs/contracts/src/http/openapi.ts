import * as z from 'zod';
import { ROUTES } from './api.js';
import type { Route } from './route.js';

const schemaOf = (schema: z.ZodType) => z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });

/** Each field of a params or query object as an OpenAPI parameter. */
function parameters(where: 'path' | 'query', schema: z.ZodObject | undefined) {
  return Object.entries(schema?.shape ?? {}).map(([name, field]) => ({
    name,
    in: where,
    required: where === 'path' || !(field as z.ZodType).safeParse(undefined).success,
    schema: schemaOf(field as z.ZodType),
  }));
}

function operation(route: Route) {
  const success =
    route.produces === 'application/json'
      ? route.response && { 'application/json': { schema: schemaOf(route.response) } }
      : { [route.produces]: {} };
  return {
    summary: route.summary,
    ...(route.public ? { security: [] } : {}),
    parameters: [...parameters('path', route.params), ...parameters('query', route.query)],
    ...(route.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(route.body) } } } }
      : {}),
    responses: {
      [route.status]: { description: 'OK', ...(success ? { content: success } : {}) },
      '400': { description: 'Invalid input; `error.field` names the field' },
      '401': {
        description: route.link
          ? 'No access token, or a used or expired ticket (a token is never accepted in the query)'
          : 'Missing or expired access token (never accepted in the query)',
      },
      '404': { description: 'No such resource' },
      '503': { description: 'A service or the database does not answer; try again' },
    },
  };
}

/** The API description, generated from the route declarations that also bind the handlers. */
export function openApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of ROUTES)
    (paths[route.path.replace(/:(\w+)/g, '{$1}')] ??= {})[route.method.toLowerCase()] = operation(route);
  return {
    openapi: '3.1.0',
    info: { title: 'Cairn API', version: '1' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    security: [{ bearer: [] }],
    paths,
  };
}
