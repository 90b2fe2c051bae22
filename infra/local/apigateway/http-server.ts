import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

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
  const server: Server = createServer((req, res) => void handle(req, res));
  // Idle keep-alive connections are closed by the client, never by the server. With Node's 5 s
  // server timeout, a client reusing a connection just as the server drops it gets ECONNRESET
  // (seen in the tests: client and twin share one event loop, and a stalled loop fires both
  // timers late). `close()` still drops every connection.
  server.keepAliveTimeout = 0;
  // A request Node's parser refuses (headers or URL over its 16 KB limit, a broken request line)
  // never reaches `handle`; Node's default answer is a bare 400/431 with no body. Answer it as the
  // API answers every refusal, with problem+json, so no client input gets a non-problem error.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const status = tooLarge ? 431 : 400;
    const body = JSON.stringify({
      type: 'about:blank',
      title: tooLarge ? 'Request header fields too large' : 'Malformed request',
      status,
      code: tooLarge ? 'request_too_large' : 'malformed_request',
    });
    socket.end(
      `HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\n` +
        `Content-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `Connection: close\r\n\r\n${body}`,
    );
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

/** Reads a request body as UTF-8; undefined when it exceeds `limit` bytes. */
export const readBody = async (
  req: IncomingMessage,
  limit = Number.POSITIVE_INFINITY,
): Promise<string | undefined> => {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
};
