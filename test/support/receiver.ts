import type { IncomingHttpHeaders } from 'node:http';
import { readBody, serve } from '../../infra/local/apigateway/http-server.ts';

export interface Received {
  /** The request target, path and query (`/hook?…`). */
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

export interface Receiver {
  /** `http://127.0.0.1:{port}/hook` */
  readonly url: string;
  readonly requests: Received[];
  /** Status codes to answer, in order; after the list runs out every request gets 200. */
  answers: number[];
  /** Per `webhook-id`: status codes to answer that event's POSTs with, before `answers`. */
  readonly answersFor: Map<string, number[]>;
  close(): Promise<void>;
}

/** A webhook receiver on loopback that records every request, as a tenant's endpoint would. */
export const startReceiver = async (answers: number[] = []): Promise<Receiver> => {
  const requests: Received[] = [];
  const receiver = { answers: [...answers], answersFor: new Map<string, number[]>() };
  const server = await serve(
    async (req, res) => {
      requests.push({
        url: req.url ?? '',
        headers: req.headers,
        body: (await readBody(req)) ?? '',
      });
      const id = req.headers['webhook-id'];
      const own = typeof id === 'string' ? receiver.answersFor.get(id) : undefined;
      res.writeHead((own?.length ? own.shift() : receiver.answers.shift()) ?? 200).end();
    },
    0,
    '127.0.0.1',
  );
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${server.port}/hook`,
    requests,
    close: () => server.close(),
  });
};
