import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type LocalServer, readBody, serve } from '../../infra/local/apigateway/http-server.ts';
import { HttpWebhooks } from '../../lambdas/lib/adapters/http-webhooks.ts';
import { generateWebhookSecret, signWebhook } from '../../lambdas/lib/domain/webhook-signing.ts';
import { InvalidWebhookUrl, type Resolver } from '../../lambdas/lib/domain/webhook-url.ts';
import { WebhookTimeout, WebhookUnreachable } from '../../lambdas/lib/ports/webhooks.ts';

interface Received {
  readonly method: string | undefined;
  readonly path: string | undefined;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** A receiver on loopback whose answer each test chooses. */
let receiver: LocalServer;
let received: Received[] = [];
let answer: (req: IncomingMessage, res: ServerResponse) => void;

beforeAll(async () => {
  receiver = await serve(
    async (req, res) => {
      received.push({
        method: req.method,
        path: req.url,
        headers: req.headers,
        body: (await readBody(req)) ?? '',
      });
      answer(req, res);
    },
    0,
    '127.0.0.1',
  );
});
afterAll(async () => {
  await receiver.close();
});
beforeEach(() => {
  received = [];
  answer = (_, res) => res.writeHead(204).end();
});

const secret = generateWebhookSecret();
const body = JSON.stringify({ id: 'evt_1', type: 'order.paid', data: { amount: 100 } });
const requestTo = (url: string) => ({
  url,
  body,
  headers: signWebhook(secret, { id: 'evt_1', body, at: new Date() }),
});
const local = () => `http://127.0.0.1:${receiver.port}/hooks`;
const twin = new HttpWebhooks({ allowLoopback: true });
const errorOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (e: unknown) => e,
  );

describe('HttpWebhooks: one delivery attempt over real HTTP', () => {
  it('POSTs the signed JSON body with the Standard Webhooks headers', async () => {
    const request = requestTo(local());

    const response = await twin.send(request);

    expect(response).toEqual({ statusCode: 204 });
    expect(received).toHaveLength(1);
    const [got] = received;
    expect(got).toMatchObject({ method: 'POST', path: '/hooks', body });
    expect(got?.headers['content-type']).toBe('application/json');
    expect(got?.headers).toMatchObject(request.headers);
    expect(new Webhook(secret).verify(got?.body ?? '', request.headers)).toEqual(JSON.parse(body));
  });

  it.each([200, 202, 400, 410, 500, 503])(
    'returns status %i as an answer, not an error',
    async (status) => {
      answer = (_, res) => res.writeHead(status).end('whatever');

      expect(await twin.send(requestTo(local()))).toEqual({ statusCode: status });
    },
  );

  it('does not follow a redirect: the 3xx is the answer and the target is never called', async () => {
    answer = (req, res) =>
      req.url === '/hooks' ? res.writeHead(307, { location: '/elsewhere' }).end() : res.end();

    const response = await twin.send(requestTo(local()));

    expect(response).toEqual({ statusCode: 307 });
    expect(received.map((r) => r.path)).toEqual(['/hooks']);
  });

  it('throws WebhookTimeout when the receiver does not answer within the configured timeout', async () => {
    answer = () => undefined; // never answers
    const impatient = new HttpWebhooks({ allowLoopback: true, timeoutMs: 50 });

    const error = await errorOf(impatient.send(requestTo(local())));

    expect(error).toBeInstanceOf(WebhookTimeout);
    expect(error).toMatchObject({ name: 'WebhookTimeout' });
  });

  it('throws WebhookUnreachable when nothing listens on the port', async () => {
    const closed = await serve(async () => undefined, 0, '127.0.0.1');
    await closed.close();

    const error = await errorOf(twin.send(requestTo(`http://127.0.0.1:${closed.port}/`)));

    expect(error).toBeInstanceOf(WebhookUnreachable);
    expect(error).toMatchObject({ name: 'WebhookUnreachable' });
  });
});

describe('HttpWebhooks: the SSRF guard at delivery time', () => {
  it('refuses a host that now resolves to a private address, without connecting', async () => {
    const rebound: Resolver = async () => [{ address: '10.0.0.1', family: 4 }];
    const webhooks = new HttpWebhooks({ allowLoopback: true, resolve: rebound });

    const error = await errorOf(webhooks.send(requestTo(`http://localhost:${receiver.port}/`)));

    expect(error).toBeInstanceOf(InvalidWebhookUrl);
    expect(error).toMatchObject({ problem: 'private_address' });
    expect(received).toHaveLength(0);
  });

  it('connects through the guarded lookup when the host resolves to an allowed address', async () => {
    const loopback: Resolver = async () => [{ address: '127.0.0.1', family: 4 }];
    const webhooks = new HttpWebhooks({ allowLoopback: true, resolve: loopback });

    const response = await webhooks.send(requestTo(`http://localhost:${receiver.port}/hooks`));

    expect(response).toEqual({ statusCode: 204 });
    expect(received).toHaveLength(1);
  });

  it('in AWS mode refuses loopback and metadata targets, by literal IP or by name', async () => {
    const metadata: Resolver = async () => [{ address: '169.254.169.254', family: 4 }];
    const aws = new HttpWebhooks({ resolve: metadata });

    const targets = [
      local(),
      `https://127.0.0.1:${receiver.port}/hooks`,
      'https://169.254.169.254/',
      'https://hooks.example.com/',
    ];
    for (const url of targets) {
      expect(await errorOf(aws.send(requestTo(url)))).toBeInstanceOf(InvalidWebhookUrl);
    }
    expect(received).toHaveLength(0);
  });

  it('in twin mode still refuses a private literal IP other than loopback', async () => {
    const error = await errorOf(twin.send(requestTo('http://10.0.0.1/hooks')));

    expect(error).toBeInstanceOf(InvalidWebhookUrl);
  });
});
