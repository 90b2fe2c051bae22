import { connect } from 'node:net';

/** An HTTP answer as a test reads it. */
export interface RawAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly text: string;
}

/**
 * Sends bytes exactly as given on a fresh connection to `origin` (`Connection: close` is up to
 * the caller) and returns the status, content type and body of the answer.
 */
export const exchange = (origin: URL, bytes: Buffer): Promise<RawAnswer> =>
  new Promise((resolve, reject) => {
    const socket = connect(Number(origin.port), origin.hostname, () => socket.end(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const answer = Buffer.concat(chunks);
      const split = answer.indexOf('\r\n\r\n');
      const head = answer.subarray(0, split).toString('latin1');
      const rest = answer.subarray(split + 4);
      const body = /^transfer-encoding: *chunked/im.test(head) ? unchunked(rest) : rest;
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0),
        contentType: /^content-type: *(.*)$/im.exec(head)?.[1]?.trim() ?? '',
        text: body.toString('utf8'),
      });
    });
  });

/** A chunked body's data: each chunk is its size in hex, CRLF, the bytes, CRLF; size 0 ends. */
const unchunked = (body: Buffer): Buffer => {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = body.indexOf('\r\n', at);
    const size = Number.parseInt(body.subarray(at, lineEnd).toString('latin1'), 16);
    if (!(size > 0)) return Buffer.concat(parts);
    parts.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
    at = lineEnd + 2 + size + 2;
  }
};

/** A request as bytes: request line, headers (Host first, Connection: close last), body. */
export const requestBytes = (
  origin: URL,
  line: string,
  headers: string[],
  body: Buffer = Buffer.alloc(0),
): Buffer => {
  const head = [
    line,
    `Host: ${origin.host}`,
    ...headers,
    `Content-Length: ${body.length}`,
    'Connection: close',
  ];
  return Buffer.concat([Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
};
