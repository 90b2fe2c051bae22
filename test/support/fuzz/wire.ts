import { request as httpRequest } from 'node:http';
import { gunzipSync, inflateSync } from 'node:zlib';
import type { FuzzRequest } from './types.ts';

/**
 * The fuzz on the wire: sending a request byte for byte, reading a body as its headers declare
 * it, and printing a request as a curl line that replays it.
 */

/** The values a request carries under a header name, in any spelling of the name. */
export const headerValues = (r: FuzzRequest, name: string): string[] =>
  r.headers.filter(([key]) => key.toLowerCase() === name.toLowerCase()).map(([, value]) => value);

/** Decodes bytes in a named charset, failing on any byte that is not text in it. */
const decodeIn = (bytes: Buffer, charset: string): string => {
  if (['iso-8859-1', 'latin1', 'l1'].includes(charset)) return bytes.toString('latin1');
  return new TextDecoder(charset, { fatal: true }).decode(bytes);
};

/**
 * The body as its headers declare it: its Content-Encoding undone (gzip or deflate), then
 * decoded in the charset its Content-Type names (UTF-8 when it names none; with two Content-Type
 * headers both readings must agree). Undefined when it cannot be read that way — bytes that are
 * not UTF-8, a gzip header on a plain body, a charset no decoder knows, UTF-8 declared as UTF-16:
 * no text was sent then, so nothing a server stores can read back as sent. '' for no body.
 */
export const declaredText = (r: FuzzRequest): string | undefined => {
  if (r.body === undefined) return '';
  try {
    let bytes = typeof r.body === 'string' ? Buffer.from(r.body, 'utf8') : r.body;
    const codings = headerValues(r, 'content-encoding')
      .flatMap((value) => value.split(','))
      .map((coding) => coding.trim().toLowerCase())
      .filter((coding) => coding !== 'identity');
    for (const coding of codings.reverse()) {
      if (coding === 'gzip' || coding === 'x-gzip') bytes = gunzipSync(bytes);
      else if (coding === 'deflate') bytes = inflateSync(bytes);
      else return undefined;
    }
    const charsets = headerValues(r, 'content-type').map(
      (type) => /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(type)?.[1]?.toLowerCase() ?? 'utf-8',
    );
    const readings = new Set(
      (charsets.length > 0 ? charsets : ['utf-8']).map((charset) => decodeIn(bytes, charset)),
    );
    return readings.size === 1 ? [...readings][0] : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Sends a request byte for byte (fetch would normalize the path and merge duplicate headers).
 * Headers given as a raw list get no Host header from Node, and an HTTP/1.1 request without one
 * is refused by the server's parser (a bare 400) before the gateway sees it; so Host is set here,
 * as every real client sets it.
 */
export const send = (
  origin: URL,
  r: FuzzRequest,
): Promise<{ status: number; contentType: string; text: string }> =>
  new Promise((resolve, reject) => {
    const flat = [['Host', origin.host], ...r.headers].flat();
    const req = httpRequest(
      {
        host: origin.hostname,
        port: origin.port,
        method: r.method,
        path: r.path,
        headers:
          r.body !== undefined
            ? [...flat, 'Content-Length', String(Buffer.byteLength(r.body))]
            : flat,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers['content-type'] ?? ''),
            text,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(r.body);
  });

/**
 * The request as a curl command line, to replay a shrunk failure by hand. Bytes that are not
 * printable ASCII in a byte body are written as `$'\xNN'`; a body curl cannot take as an
 * argument (a NUL byte, a leading `@`) is piped in through printf and `--data-binary @-`. Curl's
 * own defaults are switched off where the request has none: its form Content-Type, and the
 * `Expect: 100-continue` it adds to bodies over 1 KiB.
 */
export const asCurl = (origin: URL, r: FuzzRequest): string => {
  const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const parts = ['curl', '-sS', '-i', '--path-as-is', '-X', r.method];
  // `-H 'name:'` would remove the header; `-H 'name;'` sends it empty.
  for (const [name, value] of r.headers) {
    parts.push('-H', quote(value === '' ? `${name};` : `${name}: ${value}`));
  }
  let pipe = '';
  if (r.body !== undefined) {
    const has = (name: string) => headerValues(r, name).length > 0;
    if (!has('content-type')) parts.push('-H', quote('Content-Type:'));
    const bytes = typeof r.body === 'string' ? Buffer.from(r.body) : r.body;
    if (!has('expect') && bytes.length > 1024) parts.push('-H', quote('Expect:'));
    if (bytes.includes(0) || bytes[0] === 0x40) {
      pipe = `printf ${quote(printfEscaped(bytes))} | `;
      parts.push('--data-binary', '@-');
    } else if (typeof r.body === 'string') parts.push('--data-binary', quote(r.body));
    else parts.push('--data-binary', ansiCQuoted(r.body));
  }
  parts.push(quote(`${origin.origin}${r.path}`));
  return `${pipe}${parts.join(' ')}`;
};

const isPrintable = (byte: number) => byte >= 0x20 && byte < 0x7f;

/** Bytes as a bash `$'…'` string: printable ASCII as is, every other byte as `\xNN`. */
const ansiCQuoted = (bytes: Buffer): string =>
  `$'${Array.from(bytes, (byte) => {
    if (byte === 0x5c || byte === 0x27) return `\\${String.fromCharCode(byte)}`;
    return isPrintable(byte)
      ? String.fromCharCode(byte)
      : `\\x${byte.toString(16).padStart(2, '0')}`;
  }).join('')}'`;

/** Bytes as a POSIX printf format: printable ASCII as is, every other byte as `\ooo`. */
const printfEscaped = (bytes: Buffer): string =>
  Array.from(bytes, (byte) => {
    if (byte === 0x5c) return '\\\\';
    if (byte === 0x25) return '%%';
    return isPrintable(byte) ? String.fromCharCode(byte) : `\\${byte.toString(8).padStart(3, '0')}`;
  }).join('');
