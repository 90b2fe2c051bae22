import { json } from '#lib/http/response.ts';
import { httpRoute } from '#lib/http/route.ts';
import { getHealth } from './routes.ts';

/** `GET /v1/health` → `200 {"status":"ok"}`, for anyone. */
export const handler = httpRoute({
  route: getHealth,
  handle: async () => json(200, { status: 'ok' }),
});
