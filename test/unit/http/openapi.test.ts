import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '#lib/http/openapi.ts';
import type { RouteContract } from '#lib/http/route-contract.ts';
import { routeProblems } from '#lib/http/route-problems.ts';
import { type ProblemCode, problemCatalogue } from '#lib/problem-codes.ts';
import * as z from '#lib/zod.ts';
import { apiDocument } from '../../../lambdas/http/api-document.ts';
import * as contract from '../../../lambdas/http/contracts.ts';
import { routes } from '../../../lambdas/http/routes.ts';

// biome-ignore lint/suspicious/noExplicitAny: test convenience — the document is plain JSON.
const document = apiDocument() as any;
const { contracts } = contract;

/** The document's operation for a route. */
const operationOf = (route: { method: string; path: string }) =>
  document.paths[route.path]?.[route.method.toLowerCase()];

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    const validator = new Validator();
    const result = await validator.validate(document);
    expect(result.errors).toBeUndefined();
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('is built from one contract per row of the route table, the same objects in the same order', () => {
    expect(contracts).toHaveLength(routes.length);
    contracts.forEach((c, i) => {
      expect(c.route).toBe(routes[i]);
    });
  });

  it('has exactly one operation per route, named after it', () => {
    const operations = Object.values(document.paths).flatMap((item) =>
      Object.values(item as object),
    );
    expect(operations.map((o) => o.operationId).sort()).toEqual(routes.map((r) => r.name).sort());
    for (const route of routes) expect(operationOf(route)?.operationId).toBe(route.name);
  });

  it('asks for the bearer token on every route but the public ones', () => {
    expect(document.components.securitySchemes.bearer).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    for (const route of routes) {
      expect(operationOf(route).security, route.name).toEqual(
        route.auth === 'none' ? [] : [{ bearer: [] }],
      );
    }
    expect(operationOf({ method: 'GET', path: '/health' }).security).toEqual([]);
    expect(operationOf({ method: 'GET', path: '/openapi.json' }).security).toEqual([]);
  });

  it('takes an Idempotency-Key on every mutating route and says when an answer is a replay', () => {
    const idempotencyKey = { $ref: '#/components/parameters/IdempotencyKey' };
    for (const c of contracts as readonly RouteContract[]) {
      const operation = operationOf(c.route);
      const headers = operation.responses[String(c.success.status)].headers ?? {};
      if (c.route.method === 'GET') {
        expect(operation.parameters ?? [], c.route.name).not.toContainEqual(idempotencyKey);
        expect(headers, c.route.name).not.toHaveProperty('Idempotency-Key');
      } else {
        expect(operation.parameters, c.route.name).toContainEqual(idempotencyKey);
        expect(headers, c.route.name).toHaveProperty('Idempotency-Key');
      }
      expect(Object.hasOwn(headers, 'Idempotent-Replayed'), c.route.name).toBe(
        c.route.access.idempotency === true,
      );
      expect(Object.hasOwn(headers, 'Location'), c.route.name).toBe(c.success.location === true);
    }
  });

  it('lists path parameters in path order with the schemas the handler validates them with', () => {
    const keys = operationOf(contract.deleteKey.route).parameters;
    expect(keys.slice(0, 2)).toEqual([
      { name: 'projectId', in: 'path', required: true, schema: expect.any(Object) },
      { name: 'keyId', in: 'path', required: true, schema: expect.any(Object) },
    ]);
    expect(keys[0].schema.pattern).toBe('^prj_[a-z2-7]{26}$');
    expect(keys[1].schema.pattern).toBe('^key_[a-z2-7]{24}$');
    expect(operationOf(contract.getRuns.route).parameters[1].schema.format).toBe('uuid');
  });

  it('describes query values after coercion and as optional when they have a default', () => {
    const query = operationOf(contract.getAudit.route).parameters.filter(
      (p: { in: string }) => p.in === 'query',
    );
    expect(query).toEqual([
      {
        name: 'limit',
        in: 'query',
        required: false,
        schema: { type: 'integer', minimum: 1, maximum: 100, default: 50 },
      },
      {
        name: 'cursor',
        in: 'query',
        required: false,
        schema: { type: 'string' },
      },
    ]);
  });

  it('requires a body only where an empty one would fail validation', () => {
    for (const c of contracts as readonly RouteContract[]) {
      const requestBody = operationOf(c.route).requestBody;
      if (!c.body) {
        expect(requestBody, c.route.name).toBeUndefined();
        continue;
      }
      expect(requestBody.required, c.route.name).toBe(!z.safeParse(c.body, {}).success);
      expect(requestBody.content['application/json'].schema.additionalProperties).toBe(false);
    }
    expect(operationOf(contract.postKeys.route).requestBody.required).toBe(false);
    expect(operationOf(contract.postProjects.route).requestBody.required).toBe(true);
  });

  it('lists each problem code a route can answer under the status the catalogue gives it', () => {
    for (const c of contracts as readonly RouteContract[]) {
      const listed: ProblemCode[] = [];
      for (const [status, response] of Object.entries(operationOf(c.route).responses)) {
        if (status.startsWith('2')) continue;
        // biome-ignore lint/suspicious/noExplicitAny: plain JSON
        const content = (response as any).content['application/problem+json'];
        const [problem, narrowed] = content.schema.allOf;
        expect(problem).toEqual({ $ref: '#/components/schemas/Problem' });
        for (const code of narrowed.properties.code.enum as ProblemCode[]) {
          const expected = problemCatalogue[code].status;
          expect(status, `${c.route.name} ${code}`).toBe(
            expected >= 500 ? '5XX' : String(expected),
          );
          listed.push(code);
        }
      }
      expect(listed.sort(), c.route.name).toEqual(routeProblems(c).sort());
    }
  });
});

describe('routeProblems', () => {
  const codes = (c: RouteContract) => routeProblems(c);

  it('gives a public route without input only what any route can answer', () => {
    expect(codes(contract.getHealth)).toEqual([
      'too_many_requests',
      'internal_error',
      'bad_gateway',
      'gateway_timeout',
    ]);
  });

  it('derives auth, body and idempotency problems from the route', () => {
    const postProjects = codes(contract.postProjects);
    expect(postProjects).toEqual(
      expect.arrayContaining([
        'unauthorized',
        'forbidden',
        'validation_failed',
        'payload_too_large',
        'unsupported_media_type',
        'idempotency_key_invalid',
        'idempotency_request_in_progress',
        'idempotency_key_reused',
        'service_unavailable',
      ]),
    );
    // An admin route answers a project key with 403; only project routes hide projects as 404.
    expect(postProjects).not.toContain('not_found');
    expect(codes(contract.getProject)).toEqual(
      expect.arrayContaining(['unauthorized', 'not_found', 'invalid_path_parameter']),
    );
    expect(codes(contract.getProject)).not.toContain('forbidden');
    expect(codes(contract.getProject)).not.toContain('idempotency_key_invalid');
  });

  it('reads the Idempotency-Key on every mutating route, replays only on idempotent ones', () => {
    expect(codes(contract.deleteKey)).toContain('idempotency_key_invalid');
    expect(codes(contract.deleteKey)).not.toContain('idempotency_key_reused');
  });

  it('adds the codes the contract declares for its use case', () => {
    expect(codes(contract.getAudit)).toContain('invalid_cursor');
    expect(codes(contract.putActivity)).toEqual(
      expect.arrayContaining(['conflict', 'unprocessable', 'webhook_url_invalid']),
    );
  });
});

describe('openApiDocument', () => {
  it('refuses a contract whose params schema does not match the path', () => {
    const broken = { ...contract.getProject, params: z.object({ id: z.string() }) };
    const options = { title: 't', version: '0', description: 'd', basePath: '/v1' };
    expect(() => openApiDocument([broken], options)).toThrow(/names \{projectId\}/);
  });

  it('lists named schemas once and refers to them', () => {
    expect(document.components.schemas.Timestamp).toMatchObject({ format: 'date-time' });
    expect(
      operationOf(contract.getOrder.route).responses['200'].content['application/json'].schema,
    ).toEqual({ $ref: '#/components/schemas/Order' });
    expect(document.components.schemas.Project.properties.createdAt).toEqual({
      $ref: '#/components/schemas/Timestamp',
    });
  });
});
