import { openApiDocument } from '#lib/http/openapi.ts';
import { contracts } from './contracts.ts';
import { namedSchemas } from './responses.ts';

/**
 * The API's OpenAPI document, built from the route contracts: `GET /v1/openapi.json` serves it and
 * `npm run docs` writes it to docs/openapi.json.
 */
export const apiDocument = () =>
  openApiDocument(contracts, {
    title: 'retrysafe',
    version: 'v1',
    description:
      'Retry-safe control plane: projects, API keys, webhooks and events, orders and activities. Every mutating route takes an Idempotency-Key; every error is application/problem+json with a stable `code`.',
    basePath: '/v1',
    schemas: namedSchemas,
  });
