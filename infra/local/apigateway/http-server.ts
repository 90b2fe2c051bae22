import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { problem } from '../../../lambdas/lib/http/problem.ts';
import type { ProblemCode } from '../../../lambdas/lib/problem-codes.ts';

/** A whole HTTP/1.1 response carrying a problem, for answers written straight to a socket. */
const rawProblem = (code: ProblemCode, detail: string): string => {
  const answer = problem(code, detail);
  const body = JSON.stringify(answer);
  const { status, title } = answer;
  return (
    `HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json\r\n` +
    `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`
  );
};

/** A loopback HTTP server of the twin, started and stopped the same way everywhere. */
export interface LocalServer {
  /** The port it listens on. */
  readonly port: number;
  /** Stops accepting, drops open keep-alive connections, and resolves once closed. */
  close(): Promise<void>;
}

/** Starts a server for `handle`; rejects when the port is taken. */
export const serve = async (
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  port: number,
  host: string,
): Promise<LocalServer> => {
  // A request without a Host header reaches `handle` (API Gateway answers it too) instead of
  // getting Node's bare 400.
  const server: Server = createServer({ requireHostHeader: false }, (req, res) => {
    void handle(req, res);
  });
  // An `Expect` other than 100-continue is served like any request, not refused with a bare 417.
  server.on('checkExpectation', (req, res) => void handle(req, res));
  // Idle keep-alive connections are closed by the client, never by the server. With Node's 5 s
  // server timeout, a client reusing a connection just as the server drops it gets ECONNRESET
  // (seen in the tests: client and twin share one event loop, and a stalled loop fires both
  // timers late). `close()` still drops every connection.
  server.keepAliveTimeout = 0;
  // A request Node's parser refuses (headers or URL over its 16 KB limit, a broken request line,
  // a malformed header) never reaches `handle`, and nor does CONNECT; Node's default is a bare
  // status or a closed socket. Answer them as the API answers every refusal, with problem+json.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    socket.end(
      error.code === 'HPE_HEADER_OVERFLOW'
        ? rawProblem('headers_too_large', 'Request line and headers are limited to 16 KB')
        : rawProblem(
            'bad_request',
            `The request is not valid HTTP/1.1 (${error.code ?? 'parse error'})`,
          ),
    );
  });
  server.on('connect', (_req, socket) => {
    socket.end(rawProblem('not_found', 'CONNECT is not served here'));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};

/** Reads a request body's bytes; undefined when it exceeds `limit` bytes. */
export const readBodyBytes = async (
  req: IncomingMessage,
  limit = Number.POSITIVE_INFINITY,
): Promise<Buffer | undefined> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
};

/** Reads a request body as UTF-8; undefined when it exceeds `limit` bytes. */
export const readBody = async (
  req: IncomingMessage,
  limit = Number.POSITIVE_INFINITY,
): Promise<string | undefined> => (await readBodyBytes(req, limit))?.toString('utf8');
