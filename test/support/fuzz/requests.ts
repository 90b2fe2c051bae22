import fc from 'fast-check';
import type { RouteDefinition } from '#lib/http/route-definition.ts';
import { routes } from '../../../lambdas/http/routes.ts';
import { bodyOf } from './bodies.ts';
import { cleanHeadersOf, headersOf } from './headers.ts';
import type { FuzzRequest, FuzzTargets } from './types.ts';
import { hostileString, overEncode, percentEncode, prototypeQuery, tamper } from './values.ts';

/**
 * Whole requests for every route of the route table (and paths matching none): path parameters
 * well-formed, tampered or oddly encoded, queries, headers and bodies from the sibling modules.
 */

const pathValue = (param: string, route: RouteDefinition, targets: FuzzTargets) => {
  const valid = wellFormed(param, route, targets);
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant(valid) },
    ...(param === 'orderId' ? [{ weight: 2, arbitrary: freshOrder }] : []),
    { weight: 1, arbitrary: hostileString.map(percentEncode) },
    { weight: 1, arbitrary: fc.constantFrom('%', '%zz', '%ED%A0%80', '%C0%AF', 'prj_%00') },
    {
      weight: 1,
      arbitrary: fc
        .nat()
        .map((i) => tamper(valid, i))
        .map(percentEncode),
    },
    // The valid value spelled with escapes where none are needed (`%70rj_…` is `prj_…`).
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.nat(), fc.boolean(), fc.boolean())
        .map(([at, all, lower]) => overEncode(valid, all ? undefined : at, lower)),
    },
  );
};

/** A fresh order for a charge now and then: the first body an order sees is the one it keeps. */
const freshOrder = fc.integer({ min: 2, max: 2 ** 31 }).map((n) => `order-${n}`);

/** Path parameters of a request meant to reach its handler: well-formed, some orders fresh. */
const cleanPathValue = (param: string, route: RouteDefinition, targets: FuzzTargets) =>
  param === 'orderId'
    ? fc.oneof(fc.constant(wellFormed(param, route, targets)), freshOrder)
    : fc.constant(wellFormed(param, route, targets));

const wellFormed = (param: string, route: RouteDefinition, t: FuzzTargets): string =>
  ({
    projectId: route.name === 'DeleteProject' ? t.doomedProjectId : t.projectId,
    keyId: t.keyId,
    orderId: 'order-1',
    eventId: 'evt-1',
    activityId: '4f0c2b1e-8a5d-4c1e-9a43-1b2c3d4e5f60',
  })[param] ?? param;

/**
 * Query strings: on every route, now and then prototype names as parameter names; on the paged
 * list, `limit` in every spelling a number coercion accepts and cursors valid, tampered, empty,
 * with control or bidi characters, or longer than 2,048 characters.
 */
const queryOf = (route: RouteDefinition, t: FuzzTargets) => {
  const base =
    route.name !== 'GetAudit'
      ? fc.constantFrom('', '', '?x=1')
      : fc.oneof(
          fc.constant(`?limit=1&cursor=${t.cursor}`),
          fc.nat().map((i) => `?limit=1&cursor=${encodeURIComponent(tamper(t.cursor, i))}`),
          fc.constantFrom('?limit=0', '?limit=abc', '?cursor=', '?cursor=%zz', '?limit=1e9'),
          fc.constantFrom(
            '?limit=0x10',
            '?limit=0b11',
            '?limit=1e1',
            '?limit=%31%30',
            '?limit=+5',
            '?limit=%2B5',
            '?limit=%205',
            '?limit=5%20',
            '?limit=1&limit=2',
          ),
          fc.constantFrom(
            '?limit=1&cursor=',
            '?cursor=%00',
            '?cursor=%0A',
            '?cursor=%E2%80%AE',
            `?limit=1&cursor=${t.cursor}%00`,
            `?limit=1&cursor=${t.cursor}%0A`,
            `?limit=1&cursor=%E2%80%AE${t.cursor}`,
            `?cursor=${'A'.repeat(2049)}`,
            `?limit=1&cursor=${t.cursor}${'A'.repeat(2100)}`,
          ),
          hostileString.map((s) => `?cursor=${percentEncode(s.slice(0, 3000))}`),
        );
  return fc
    .tuple(
      base,
      fc.oneof(
        { weight: 7, arbitrary: fc.constant(null) },
        { weight: 1, arbitrary: prototypeQuery },
      ),
    )
    .map(([query, extra]) =>
      extra === null ? query : `${query === '' ? '?' : `${query}&`}${extra}`,
    );
};

/**
 * Paths that match no route because of their spelling: undecodable escapes outside any path
 * parameter (`/v1/%zz`, `/v1/health%zz`), a route's literal text spelled with escapes.
 */
const unroutedPath = (t: FuzzTargets) =>
  fc.constantFrom(
    '/v1/%zz',
    '/v1/health%zz',
    '/v1/health%',
    '/v1/health%00',
    '/v1/health/%zz',
    '/v1/%zz/health',
    '/v1%zz/health',
    '/%zz',
    '/v1/%ED%A0%80',
    '/v1/%68ealth',
    '/v1/health%2F',
    '/v1/openapi%2Ejson',
    '/v1/projects%zz',
    `/v1/projects/${t.projectId}/keys%zz`,
    `/v1/projects/${t.projectId}/%61udit`,
    `/v1/projects/${t.projectId}/audit%C0%AF`,
  );

/**
 * Requests for every route of the route table — valid, near-valid and hostile — and now and then
 * a path that matches no route. A third of the routed requests are well-formed (admin token,
 * valid path, `application/json`) but for what their body, query or odd headers bend, so each
 * hostile class also meets the handler, not only the gateway and authorizer in front of it.
 */
export const fuzzRequest = (t: FuzzTargets): fc.Arbitrary<FuzzRequest> => {
  const routed = fc.constantFrom(...(routes as readonly RouteDefinition[])).chain((route) => {
    const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
    const paramsOf = (value: (name: string) => fc.Arbitrary<string>) =>
      fc.tuple(...names.map(value));
    const frame = fc.oneof(
      {
        weight: 2,
        arbitrary: fc.record({
          params: paramsOf((n) => pathValue(n, route, t)),
          headers: headersOf(t),
        }),
      },
      {
        weight: 1,
        arbitrary: fc.record({
          params: paramsOf((n) => cleanPathValue(n, route, t)),
          headers: cleanHeadersOf(t),
        }),
      },
    );
    return fc
      .record({ frame, body: bodyOf(route, t), query: queryOf(route, t) })
      .map(({ frame: { params, headers }, body, query }): FuzzRequest => {
        let i = 0;
        const path = route.path.replace(/\{\w+\}/g, () => params[i++] as string);
        return {
          route: route.name,
          method: route.method,
          path: `/v1${path}${query}`,
          headers: withContentTypes(headers.headers, body.contentTypes ?? headers.contentTypes),
          ...(body.body !== undefined ? { body: body.body } : {}),
        };
      });
  });
  const unrouted = fc
    .record({
      method: fc.constantFrom('GET', 'POST', 'DELETE'),
      path: unroutedPath(t),
      query: fc.constantFrom('', '?toString=1'),
      headers: fc.oneof(headersOf(t), cleanHeadersOf(t)),
      body: fc.constantFrom(undefined, '{}'),
    })
    .map(
      ({ method, path, query, headers, body }): FuzzRequest => ({
        route: 'Unrouted',
        method,
        path: `${path}${query}`,
        headers: withContentTypes(headers.headers, headers.contentTypes),
        ...(body !== undefined ? { body } : {}),
      }),
    );
  return fc.oneof({ weight: 30, arbitrary: routed }, { weight: 1, arbitrary: unrouted });
};

const withContentTypes = (
  headers: readonly [string, string][],
  contentTypes: readonly string[],
): [string, string][] => [
  ...headers,
  ...contentTypes.map((type): [string, string] => ['Content-Type', type]),
];
