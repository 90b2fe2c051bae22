import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { routes } from '../../lambdas/http/routes.ts';
import { activeProject, newKey } from '../support/projects.ts';
import { useTwin } from '../support/twin.ts';

/**
 * "No input from a client may produce a 5xx": random requests against every route — random path
 * parameters (the real project among them), bodies built from the API's own field names with
 * random JSON values, raw garbage, odd content types and idempotency keys, every kind of token —
 * must all be answered below 500, and every 4xx as problem+json.
 */

/** 500 in `npm test` (a few seconds); `npm run test:long` raises it. */
const RUNS = Number(process.env.RETRYSAFE_FUZZ_RUNS ?? 500);

const t = useTwin();
let projectId: string;
let doomedProjectId: string;
let projectKey: string;
let keyId: string;

beforeAll(async () => {
  projectId = await activeProject(t, 'Fuzzed');
  // DELETE /projects/{projectId} goes to a project of its own, or one hit would end the run's
  // reach: every later request on a deleted project is a 404.
  doomedProjectId = await activeProject(t, 'Doomed');
  projectKey = (await newKey(t, projectId)).secret;
  keyId = (await newKey(t, projectId)).id;
});

/** A well-formed value for each path parameter: the real ids, where there are some. */
const wellFormed = (param: string, route: string): string =>
  ({
    projectId: route === 'DeleteProject' ? doomedProjectId : projectId,
    keyId,
    orderId: 'order-1',
    eventId: 'evt-1',
    activityId: '4f0c2b1e-8a5d-4c1e-9a43-1b2c3d4e5f60',
  })[param] ?? param;

/** A valid body per route, which the generator then bends. */
const VALID: Record<string, Record<string, unknown>> = {
  PostProjects: { name: 'Fuzz', ownerEmail: 'fuzz@example.com' },
  PostKeys: { name: 'fuzz' },
  PutWebhook: { url: 'http://127.0.0.1:9/hook' },
  PostEvents: { type: 'order.paid', data: {} },
  PostCharge: { amount: 100, currency: 'eur', customerId: 'cus_1', paymentMethod: 'pm_card_visa' },
  PutActivity: {
    schedule: 'rate(1 hour)',
    misfirePolicy: 'skip',
    dedupeKeyStrategy: 'skip',
    tasks: [{ type: 'noop', count: 1 }],
  },
};

/** Every body and query field the API knows, so random bodies reach the schemas' inner checks. */
const FIELDS = [
  'name',
  'ownerEmail',
  'plan',
  'url',
  'eventTypes',
  'rotateSecret',
  'id',
  'type',
  'data',
  'amount',
  'currency',
  'customerId',
  'paymentMethod',
  'schedule',
  'timezone',
  'misfirePolicy',
  'dedupeKeyStrategy',
  'maxCatchup',
  'tasks',
  'count',
];

/** Values close to valid ones, next to arbitrary JSON. */
const fieldValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(
    'pro',
    'free',
    'ops@example.com',
    'eur',
    'pm_card_visa',
    'pm_card_chargeDeclined',
    'http://127.0.0.1:9/hook',
    'https://10.0.0.1/',
    'rate(1 hour)',
    'cron(0 * * * ? *)',
    'cron(99 * * * ? *)',
    'Europe/Paris',
    'Mars/Olympus',
    'skip',
    'catchup',
    'compress',
    '2026-01-01T00:00:00Z',
  ),
  fc.constantFrom(0, -1, 1, 100, 101, 2 ** 53, 1.5),
  fc.array(fc.record({ type: fc.constantFrom('noop', 'http-ping', 'x'), count: fc.integer() })),
);

const pathValue = fc.oneof(
  { arbitrary: fc.constant('$wellFormed'), weight: 4 },
  fc.string({ unit: 'grapheme', maxLength: 80 }),
  fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/),
  fc.uuid(),
  fc.constantFrom('prj_aaaaaaaaaaaaaaaaaaaaaaaaaa', 'key_x', '..', '%', ' '),
);

const request = fc.record({
  route: fc.constantFrom(...routes),
  params: fc.dictionary(
    fc.constantFrom('projectId', 'keyId', 'orderId', 'eventId', 'activityId'),
    pathValue,
  ),
  body: fc.oneof(
    fc.constant(undefined),
    fc.record({
      valid: fc.constant(true),
      bend: fc.dictionary(fc.constantFrom(...FIELDS), fieldValue, { maxKeys: 2 }),
    }),
    fc.dictionary(fc.constantFrom(...FIELDS), fieldValue, { maxKeys: 8 }),
    fc.jsonValue({ maxDepth: 3 }),
  ),
  // Now and then a raw body instead of the JSON one: garbage, or JSON cut short.
  raw: fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 8 },
    { arbitrary: fc.string({ unit: 'grapheme', maxLength: 200 }), weight: 1 },
    { arbitrary: fc.constantFrom('{', '{"name":', '[]', 'null', '"x"', '1e999'), weight: 1 },
  ),
  contentType: fc.constantFrom(
    'application/json',
    'application/json',
    'application/json; charset=utf-8',
    'text/plain',
    '',
  ),
  key: fc.option(fc.string({ unit: 'grapheme-ascii', maxLength: 300 }), { nil: undefined }),
  token: fc.oneof(
    { arbitrary: fc.constantFrom('admin', 'project'), weight: 6 },
    { arbitrary: fc.constantFrom('none', 'garbage', 'rsk_key_x_y'), weight: 1 },
  ),
  query: fc.dictionary(fc.constantFrom('limit', 'cursor', 'x'), fc.string({ maxLength: 20 }), {
    maxKeys: 2,
  }),
});

/** The client's token option: undefined sends the admin token, null no Authorization header. */
const tokenFor = (name: string): string | null | undefined => {
  if (name === 'admin') return undefined;
  if (name === 'project') return projectKey;
  if (name === 'none') return null;
  return name;
};

const bodyOf = (route: string, body: unknown) =>
  body !== null && typeof body === 'object' && 'valid' in body && 'bend' in body
    ? { ...VALID[route], ...(body.bend as object) }
    : body;

describe('no client input produces a 5xx', () => {
  it(`answers ${RUNS} random requests across every route below 500, 4xx as problem+json`, async () => {
    const seen: { route: string; status: number }[] = [];
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const path = r.route.path.replace(/\{(\w+)\}/g, (_, name: string) => {
          const value = r.params[name] ?? '$wellFormed';
          return encodeURIComponent(
            value === '$wellFormed' ? wellFormed(name, r.route.name) : value,
          );
        });
        const query = new URLSearchParams(r.query).toString();
        const token = tokenFor(r.token);
        const response = await t.api.request(
          r.route.method,
          `${path}${query ? `?${query}` : ''}`,
          // fetch sends no body with GET.
          r.route.method === 'GET' ? undefined : bodyOf(r.route.name, r.body),
          {
            token,
            ...(r.key !== undefined ? { key: r.key } : {}),
            ...(r.raw !== undefined && r.route.method !== 'GET' ? { raw: r.raw } : {}),
            headers: r.contentType ? { 'Content-Type': r.contentType } : {},
          },
        );
        seen.push({ route: r.route.name, status: response.status });
        expect(response.status, `${r.route.method} ${path}: ${response.text}`).toBeLessThan(500);
        if (response.status >= 400) {
          expect(response.headers.get('content-type')).toBe('application/problem+json');
          expect(response.body).toMatchObject({
            status: response.status,
            code: expect.any(String),
          });
        }
      }),
      { numRuns: RUNS },
    );
    await t.idle();
    // The generator reaches past the front door: writes succeed too, refusals are of many kinds.
    const writes = new Set<string>(routes.filter((r) => r.method !== 'GET').map((r) => r.name));
    expect(seen.some((x) => writes.has(x.route) && x.status < 300)).toBe(true);
    expect(new Set(seen.map((x) => x.status).filter((x) => x >= 400)).size).toBeGreaterThanOrEqual(
      4,
    );
  });
});
