import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiDocument } from '../../lambdas/http/api-document.ts';
import { routes } from '../../lambdas/http/routes.ts';
import { type ApiResponse, eventually, type RequestOptions } from '../support/api.ts';
import { terms } from '../support/orders.ts';
import { type Receiver, startReceiver } from '../support/receiver.ts';
import { seedProject } from '../support/step-fixtures.ts';
import { useTwin } from '../support/twin.ts';

/*
 * Every route once through the twin (and a few of their errors), each answer checked against the
 * OpenAPI document the twin serves: the status is one the operation lists, the content type one
 * that status lists, the body valid against the schema there, and each of the document's headers
 * the answer carries one that status describes.
 */

const t = useTwin();
let receiver: Receiver;
beforeAll(async () => {
  receiver = await startReceiver();
});
afterAll(() => receiver.close());

// biome-ignore lint/suspicious/noExplicitAny: the document is plain JSON.
type Json = any;

/** Filled from GET /openapi.json by the first test; the rest check against what was served. */
let served: Json;
let ajv: Ajv2020;
const checked = new Set<string>();

const DOCUMENTED_HEADERS = ['Location', 'Idempotency-Key', 'Idempotent-Replayed', 'Retry-After'];

/** A JSON Pointer segment inside a URI fragment. */
const segment = (key: string) =>
  encodeURIComponent(key.replaceAll('~', '~0').replaceAll('/', '~1'));

/** Checks one answer of the route `name` against the served document; returns the answer. */
const conforms = (name: string, response: ApiResponse): ApiResponse => {
  const route = routes.find((r) => r.name === name);
  if (!route) throw new Error(`No route ${name}`);
  const method = route.method.toLowerCase();
  const operation = served.paths[route.path][method];
  const status = String(response.status);
  const key = status in operation.responses ? status : `${status[0]}XX`;
  const what = `${name} answered ${status} ${response.text.slice(0, 300)}`;
  expect(Object.keys(operation.responses), what).toContain(key);
  const documented = operation.responses[key];
  const type = response.headers.get('content-type') ?? '';
  expect(Object.keys(documented.content), what).toContain(type);
  const pointer = ['paths', route.path, method, 'responses', key, 'content', type, 'schema'];
  const validate = ajv.getSchema(`openapi#/${pointer.map(segment).join('/')}`);
  if (!validate) throw new Error(`No schema at ${pointer.join(' ')}`);
  expect(validate(response.body), `${what}\n${JSON.stringify(validate.errors, null, 2)}`).toBe(
    true,
  );
  for (const header of DOCUMENTED_HEADERS) {
    if (response.headers.has(header)) {
      expect(Object.keys(documented.headers ?? {}), `${what}: header ${header}`).toContain(header);
    }
  }
  checked.add(name);
  return response;
};

const valid = { name: 'OpenAPI', ownerEmail: 'openapi@example.com' };

describe('the OpenAPI document against real answers', () => {
  let projectId: string;
  let eventId: string;
  let activityId: string;
  let projectKey: string;

  it('is served without credentials, equal to the generated one and to docs/openapi.json', async () => {
    const response = await t.api.get('/openapi.json', { token: null });
    expect(response.status).toBe(200);
    served = response.body;
    expect(served).toEqual(apiDocument());
    const file = join(import.meta.dirname, '..', '..', 'docs', 'openapi.json');
    expect(served).toEqual(JSON.parse(readFileSync(file, 'utf8')));
    // Formats are left to the patterns zod writes beside them (email, uuid, date-time).
    ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
    ajv.addSchema(served, 'openapi');
    conforms('GetOpenApi', response);
  });

  it('describes GET /health', async () => {
    conforms('GetHealth', await t.api.get('/health', { token: null }));
  });

  it('describes creating and reading a project, a replay included', async () => {
    const key: RequestOptions = { key: `openapi-${randomUUID()}` };
    const created = conforms('PostProjects', await t.api.post('/projects', valid, key));
    expect(created.status).toBe(202);
    const replay = conforms('PostProjects', await t.api.post('/projects', valid, key));
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    const other = { ...valid, name: 'Other' };
    expect(conforms('PostProjects', await t.api.post('/projects', other, key)).status).toBe(422);
    const read = conforms('GetProject', await t.api.get(`/projects/${created.body.id}`));
    expect(read.status).toBe(200);
  });

  it('describes keys: create, list, refuse on an admin route, revoke', async () => {
    ({ projectId } = await seedProject(t, undefined, 'active'));
    const created = conforms(
      'PostKeys',
      await t.api.post(`/projects/${projectId}/keys`, { name: 'ci' }),
    );
    expect(created.status).toBe(201);
    projectKey = created.body.secret;
    const forbidden = await t.api.post('/projects', valid, { token: projectKey });
    expect(conforms('PostProjects', forbidden).status).toBe(403);
    const listed = conforms(
      'GetKeys',
      await t.api.get(`/projects/${projectId}/keys`, { token: projectKey }),
    );
    expect(listed.body.keys).toHaveLength(1);
    const revoked = conforms(
      'DeleteKey',
      await t.api.delete(`/projects/${projectId}/keys/${created.body.id}`),
    );
    expect(revoked.status).toBe(200);
  });

  it('describes a webhook, an activity listening to events, an event and a charge', async () => {
    const webhook = conforms(
      'PutWebhook',
      await t.api.put(`/projects/${projectId}/webhook`, { url: receiver.url }),
    );
    expect(webhook.body.secret).toMatch(/^whsec_/);
    activityId = randomUUID();
    const activity = conforms(
      'PutActivity',
      await t.api.put(`/projects/${projectId}/activities/${activityId}`, {
        eventTypes: ['order.paid'],
        misfirePolicy: 'skip',
        dedupeKeyStrategy: 'skip',
        tasks: [{ type: 'noop', count: 2 }],
      }),
    );
    expect(activity.status).toBe(200);
    const event = conforms(
      'PostEvents',
      await t.api.post(`/projects/${projectId}/events`, { type: 'order.paid', data: { n: 1 } }),
    );
    expect(event.status).toBe(202);
    eventId = event.body.id;
    const charge = conforms(
      'PostCharge',
      await t.api.post(`/projects/${projectId}/orders/o-1/charge`, terms()),
    );
    expect(charge.status).toBe(202);
  });

  it('describes what the sagas left: the event delivered, the order fulfilled, the runs', async () => {
    await t.idle();
    const event = conforms('GetEvent', await t.api.get(`/projects/${projectId}/events/${eventId}`));
    expect(event.body.delivery.status).toBe('delivered');
    const order = conforms('GetOrder', await t.api.get(`/projects/${projectId}/orders/o-1`));
    expect(order.body.status).toBe('fulfilled');
    const runsPath = `/projects/${projectId}/activities/${activityId}/runs`;
    const runs = await eventually(async () => {
      await t.idle();
      const response = await t.api.get(runsPath);
      return response.body.runs?.[0]?.status === 'succeeded' ? response : undefined;
    });
    expect(conforms('GetRuns', runs).body.runs[0].tasks).toHaveLength(2);
  });

  it('describes the audit log, paged', async () => {
    const page = conforms('GetAudit', await t.api.get(`/projects/${projectId}/audit?limit=1`));
    expect(page.body.entries).toHaveLength(1);
    expect(page.body.nextCursor).toEqual(expect.any(String));
    const bad = await t.api.get(`/projects/${projectId}/audit?cursor=c1.forged`);
    expect(conforms('GetAudit', bad).body.code).toBe('invalid_cursor');
  });

  it('describes the problems bad requests get', async () => {
    const answers = [
      ['PostProjects', await t.api.post('/projects', valid, { token: null }), 401],
      ['PostProjects', await t.api.post('/projects', { ...valid, plan: 'gold' }), 400],
      ['PostProjects', await t.api.post('/projects', undefined, { raw: 'x=1' }), 415],
      ['PostProjects', await t.api.post('/projects', valid, { key: 'k'.repeat(256) }), 400],
      ['GetProject', await t.api.get('/projects/not-a-project'), 400],
      ['GetProject', await t.api.get(`/projects/prj_${'a'.repeat(26)}`), 404],
      ['GetProject', await t.api.get(`/projects/${projectId}`, { token: projectKey }), 401],
      ['PutActivity', await t.api.put(`/projects/${projectId}/activities/x`, {}), 400],
    ] as const;
    for (const [name, response, status] of answers) {
      expect(conforms(name, response).status, `${name} ${response.text}`).toBe(status);
    }
    expect(answers[1][1].body.errors).toEqual([expect.objectContaining({ path: 'plan' })]);
  });

  it('describes deleting the project', async () => {
    const deleted = conforms('DeleteProject', await t.api.delete(`/projects/${projectId}`));
    expect(deleted.status).toBe(202);
    await t.idle();
  });

  it('drove every route of the table', () => {
    expect([...checked].sort()).toEqual(routes.map((r) => r.name).sort());
  });
});
