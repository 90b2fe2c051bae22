import { json } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import { apiDocument } from './api-document.ts';
import { getOpenApi } from './contracts.ts';

/** Built on the first request and kept: it depends on code only. */
let document: ReturnType<typeof apiDocument> | undefined;

/** `GET /v1/openapi.json` → `200` the OpenAPI 3.1 document of this API, for anyone. */
export const handler = httpRoute({
  ...getOpenApi,
  handle: async () => {
    document ??= apiDocument();
    return json(200, document);
  },
});
