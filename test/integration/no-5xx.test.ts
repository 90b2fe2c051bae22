import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberText } from '../../lambdas/lib/http/json-text.ts';
import { fuzzRequest } from '../support/fuzz/requests.ts';
import type { FuzzRequest, FuzzTargets } from '../support/fuzz/types.ts';
import { asCurl, declaredText, headerValues, send } from '../support/fuzz/wire.ts';
import { activeProject, newKey } from '../support/projects.ts';
import { checkProperty, propertyRuns } from '../support/property.ts';
import { type Receiver, startReceiver } from '../support/receiver.ts';
import { comparable, type Rows, scanBoth } from '../support/table-snapshot.ts';
import { useTwin } from '../support/twin.ts';

/**
 * "No client input may crash a process, cause a 5xx, or silently change data", as a property:
 * requests generated from the route table and its body schemas — valid, near-valid and hostile
 * (JSON nested up to 10,000 deep, prototype/empty/duplicate keys, huge numbers, long strings, lone
 * surrogates, BOMs, bad percent-encoding, tampered ids and cursors, duplicate or quoted
 * Idempotency-Keys, odd Authorization forms and content types) — and the classes a hostile-client
 * probe found: header and query-parameter names that are Object.prototype properties
 * (`constructor`, `__proto__`, `toString`, …) on any route; bodies on routes that take none (JSON,
 * deep JSON, plain text, over 64 KiB); bytes that are not UTF-8 in JSON bodies and bodies in
 * latin-1 or UTF-16 declared as such; two Authorization or Content-Type headers,
 * `Content-Encoding: gzip` on a plain body, `Expect: 100-continue` and `Expect: 200-ok`;
 * undecodable escapes outside path parameters (`/v1/%zz`, `/v1/health%zz`) and valid ids spelled
 * with needless escapes (`%70rj_…`); bare Idempotency-Keys with `;` or `,`, quoted ones with
 * spaces; `limit` as `0x10`, `1e1`, `+5`, ` 5`; empty, control-character and over-long cursors;
 * event ids `.` and `..`; charge amounts that only round to integers (`100.0000000000000001`).
 *
 * For each: status below 500, the twin still serving, a 4xx is problem+json and wrote nothing
 * (both tables compared before and after), and a 2xx reads back exactly as sent — a project's,
 * key's, webhook's and charge's fields (a charge's amount as the exact number written), an event
 * through GET by its id, its stored data and the data its webhook delivery carries. "As sent" is
 * the body as its headers declare it (Content-Encoding undone, decoded in its charset), so a 2xx
 * for a body that is no text that way (bytes that are not UTF-8, gzip that is not gzip) cannot
 * have stored it as sent. Over the whole run, no event is delivered twice. A failure is shrunk
 * and printed as a curl line.
 */

/**
 * Requests per `npm test` run, all of which must fit the property time budget (about 25 ms each
 * on a quiet two-core machine, 45–60 s in all); `npm run test:long` raises it through
 * RETRYSAFE_FUZZ_RUNS.
 */
const RUNS = propertyRuns('RETRYSAFE_FUZZ_RUNS', 2000);

const t = useTwin();
let targets: FuzzTargets;
let receiver: Receiver;

/** The fixture the requests aim at, on the current twin, with a receiver of its own. */
const setUp = async () => {
  receiver = await startReceiver();
  const projectId = await activeProject(t, 'Fuzzed');
  const webhook = await t.api.put(`/projects/${projectId}/webhook`, { url: receiver.url });
  expect(webhook.status).toBe(200);
  // DELETE /projects/{projectId} goes to a project of its own: a deleted project ends the run's reach.
  const doomedProjectId = await activeProject(t, 'Doomed');
  const projectKey = (await newKey(t, projectId)).secret;
  const keyId = (await newKey(t, projectId)).id;
  const page = await t.api.get(`/projects/${projectId}/audit?limit=1`);
  expect(page.body.nextCursor).toEqual(expect.any(String));
  targets = {
    projectId,
    doomedProjectId,
    keyId,
    projectKey,
    adminToken: t.twin.adminToken,
    cursor: page.body.nextCursor,
    webhookUrl: receiver.url,
  };
};
beforeAll(setUp);
afterAll(() => receiver?.close());

/**
 * Requests per fixture: a long run empties the tables and sets the fixture up anew after each
 * chunk, since every refused request compares both tables whole, and tables that kept growing
 * for 20,000 requests make each comparison slower than the request itself.
 */
const CHUNK = 2000;

/** The deliveries the receiver got for one event (its webhook-id is the event id). */
const deliveriesOf = (eventId: string) =>
  receiver.requests.filter((r) => r.headers['webhook-id'] === eventId);

/**
 * The JSON text a 2xx accepted, as its headers declare it: a body that is no text that way, or
 * not JSON in it, was accepted without being read as sent, which is itself a silent change.
 */
const sentText = (r: FuzzRequest, curl: string): string => {
  const text = declaredText(r);
  expect(text, `a 2xx for a body that is no text as its headers declare it: ${curl}`).toEqual(
    expect.any(String),
  );
  return text || '{}';
};

const sentJson = (r: FuzzRequest, curl: string) => {
  const text = sentText(r, curl);
  try {
    return JSON.parse(text);
  } catch {
    return expect.fail(`a 2xx for a body that is not JSON as its headers declare it: ${curl}`);
  }
};

/** The request path without its query, below `/v1`, as `t.api` takes it. */
const apiPath = (r: FuzzRequest) => (r.path.split('?')[0] as string).replace(/^\/v1/, '');

/**
 * A JSON number's exact value in one spelling (`100`, `1e2` and `100.0` are all `1e2`), so a
 * number that was rounded on the way in (`100.0000000000000001` stored as 100) shows.
 */
const exactNumber = (text: string | undefined): string | undefined => {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/.exec(text ?? '');
  if (!match) return text;
  const [, sign, whole, fraction = '', exponent = '0'] = match;
  const digits = `${whole}${fraction}`.replace(/^0+/, '');
  const significant = digits.replace(/0+$/, '');
  if (significant === '') return '0';
  const scale = Number(exponent) - fraction.length + (digits.length - significant.length);
  return `${sign}${significant}e${scale}`;
};

/**
 * For the routes that store client fields: reads what a 2xx stored back as a client would and
 * expects exactly what was sent — nothing trimmed, normalized, rounded or dropped.
 */
const readBack: Record<
  string,
  (r: FuzzRequest, answer: Record<string, unknown>, curl: string) => Promise<void>
> = {
  PostProjects: async (r, answer, curl) => {
    const sent = sentJson(r, curl);
    const got = (await t.api.get(`/projects/${answer.id}`)).body;
    expect({ name: got.name, ownerEmail: got.ownerEmail, plan: got.plan }, curl).toEqual({
      name: sent.name,
      ownerEmail: sent.ownerEmail,
      plan: sent.plan ?? 'free',
    });
  },
  PostKeys: async (r, answer, curl) => {
    const sent = sentJson(r, curl);
    const { keys } = (await t.api.get(`/projects/${answer.projectId}/keys`)).body;
    const got = (keys as { id: string; name: string | null }[]).find((k) => k.id === answer.id);
    expect(got?.name, curl).toBe(sent.name ?? null);
  },
  PutWebhook: async (r, answer, curl) => {
    const sent = sentJson(r, curl);
    expect({ url: answer.url, eventTypes: answer.eventTypes }, curl).toEqual({
      url: sent.url,
      eventTypes: sent.eventTypes ?? answer.eventTypes,
    });
  },
  PostCharge: async (r, _answer, curl) => {
    const sent = sentJson(r, curl);
    const got = await t.api.get(apiPath(r).replace(/\/charge$/, ''));
    expect(
      { amount: exactNumber(memberText(got.text, 'amount')), currency: got.body.currency },
      curl,
    ).toEqual({
      amount: exactNumber(memberText(sentText(r, curl), 'amount')),
      currency: sent.currency,
    });
  },
};

/**
 * Why a request must get a 4xx whatever else it carries, or undefined: what the API never acts
 * on, so a 2xx would mean it read an ambiguous request one way or another.
 */
const mustBeRefused = (r: FuzzRequest): string | undefined => {
  const count = (name: string) => headerValues(r, name).length;
  if (count('authorization') > 1) return 'two Authorization headers';
  if (count('content-type') > 1) return 'two Content-Type headers';
  if (r.method !== 'GET' && count('idempotency-key') > 1) return 'two Idempotency-Key headers';
  const hasBody = r.body !== undefined && r.body.length > 0;
  if (hasBody && (r.method === 'GET' || r.method === 'DELETE'))
    return 'a body on a route that takes none';
  try {
    decodeURIComponent(r.path.split('?')[0] ?? '');
  } catch {
    return 'a path that cannot be percent-decoded';
  }
  return undefined;
};

/** Every delivery was answered 200, so no event may have been delivered twice. */
const expectEachEventDeliveredOnce = () => {
  const perEvent = new Map<string, number>();
  for (const { headers } of receiver.requests) {
    const id = String(headers['webhook-id']);
    perEvent.set(id, (perEvent.get(id) ?? 0) + 1);
  }
  expect([...perEvent].filter(([, n]) => n > 1)).toEqual([]);
  expect(perEvent.size, 'some generated events reached the receiver').toBeGreaterThan(0);
};

describe('no client input produces a 5xx or a silent change', () => {
  // A ceiling, not a budget: about 30 ms a request, plus emptying the tables after each chunk.
  const ceiling = Math.max(900_000, RUNS * 100);
  it(`holds for ${RUNS} generated requests across every route`, { timeout: ceiling }, async () => {
    const statuses = new Map<number, number>();
    // The tables as they were before the next request; a refused request leaves them as they
    // were, so one scan per request suffices and only an accepted one forces a fresh look.
    let known: Rows | undefined;
    const check = async (r: FuzzRequest) => {
      const before = known ?? (await scanBoth(t));
      known = undefined;
      const origin = new URL(t.twin.url);
      const response = await send(origin, r);
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      const curl = asCurl(origin, r);
      expect(response.status, `${curl}\n→ ${response.text.slice(0, 300)}`).toBeLessThan(500);
      expect((await t.api.get('/health')).status, `twin stopped serving after ${curl}`).toBe(200);
      const reason = mustBeRefused(r);
      if (reason)
        expect(response.status, `${reason}, yet answered: ${curl}`).toBeGreaterThanOrEqual(400);
      if (response.status >= 400) {
        expect(response.contentType, curl).toBe('application/problem+json');
        expect(JSON.parse(response.text), curl).toMatchObject({ status: response.status });
        const after = await scanBoth(t);
        const asOf = Date.now();
        expect(comparable(after, asOf), `a ${response.status} changed stored data: ${curl}`).toBe(
          comparable(before, asOf),
        );
        known = after;
      } else if (response.status < 300 && r.route in readBack) {
        await readBack[r.route]?.(r, JSON.parse(response.text), curl);
      }
      if (r.route === 'PostEvents' && response.status === 202) {
        const { id } = JSON.parse(response.text) as { id: string };
        const sentBody = sentJson(r, curl);
        if (sentBody.id !== undefined) expect(id, curl).toBe(sentBody.id);
        // Readable by its id, as a client reads it (fetch resolves `.` and `..` segments).
        const read = await t.api.get(`${apiPath(r)}/${encodeURIComponent(id)}`);
        expect({ status: read.status, id: read.body?.id, type: read.body?.type }, curl).toEqual({
          status: 200,
          id,
          type: sentBody.type,
        });
        const stored = (await t.scan('platform')).find((row) => row.sk === `EVENT#${id}`);
        const sent = JSON.parse(memberText(sentText(r, curl), 'data') ?? '');
        expect(stored?.dataJson, curl).toEqual(expect.any(String));
        expect(isDeepStrictEqual(JSON.parse(stored?.dataJson as string), sent), curl).toBe(true);
        // Delivered too, unless another generated request removed or re-pointed the webhook.
        await t.idle();
        for (const delivery of deliveriesOf(id)) {
          const delivered = memberText(delivery.body, 'data');
          expect(isDeepStrictEqual(JSON.parse(delivered ?? ''), sent), curl).toBe(true);
        }
      }
    };
    const started = Date.now();
    let done = 0;
    while (done < RUNS) {
      if (done > 0) {
        expectEachEventDeliveredOnce();
        await receiver.close();
        await t.clear();
        await setUp();
        known = undefined;
      }
      const runs = Math.min(CHUNK, RUNS - done);
      const checked = await checkProperty(fc.asyncProperty(fuzzRequest(targets), check), {
        runs,
        minRuns: runs,
      });
      done += checked.runs;
    }
    expectEachEventDeliveredOnce();
    console.info(
      `fuzz: ${done} of ${RUNS} requests in ${((Date.now() - started) / 1000).toFixed(1)} s (${Math.ceil(RUNS / CHUNK)} chunk(s) of at most ${CHUNK} on emptied tables), statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
    // The generator reaches past the front door: some writes succeed, refusals are of many kinds.
    expect([...statuses.keys()].some((s) => s >= 200 && s < 300)).toBe(true);
    expect([...statuses.keys()].filter((s) => s >= 400).length).toBeGreaterThanOrEqual(4);
  });
});
