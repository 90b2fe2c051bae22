import type { LookupAddress } from 'node:dns';
import { lookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import ipaddr from 'ipaddr.js';
import { DomainError } from '../errors.ts';

/** Longer URLs are refused: nobody needs one, and they bloat every stored endpoint. */
export const MAX_WEBHOOK_URL_LENGTH = 2048;

/** Why a webhook URL was refused. */
export type WebhookUrlProblem =
  | 'malformed'
  | 'too_long'
  | 'scheme'
  | 'credentials'
  | 'private_address'
  | 'unresolvable';

/** Resolves a host name to every address it has (the shape of `dns.lookup` with `all: true`). */
export type Resolver = (hostname: string) => Promise<readonly LookupAddress[]>;

export interface WebhookUrlPolicy {
  /**
   * Twin mode: also allow loopback targets, and plain `http` to `localhost` or a loopback IP, so
   * tests can run a receiver on 127.0.0.1. Every other private range stays refused.
   */
  readonly allowLoopback?: boolean;
  /** Injected in tests; the system resolver (`dns.lookup`, all addresses) otherwise. */
  readonly resolve?: Resolver;
}

/** A webhook URL the SSRF guard refuses; not worth retrying. `problem` says why. */
export class InvalidWebhookUrl extends DomainError {
  override readonly problemCode = 'webhook_url_invalid';

  constructor(
    readonly problem: WebhookUrlProblem,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'InvalidWebhookUrl';
  }
}

export type WebhookUrlCheck =
  | { readonly ok: true; readonly url: URL }
  | { readonly ok: false; readonly problem: WebhookUrlProblem; readonly detail: string };

const systemResolver: Resolver = (hostname) => lookup(hostname, { all: true, verbatim: true });

// The only IPv6 block with public unicast addresses; outside it ipaddr.js still says "unicast"
// for unallocated space and the deprecated IPv4-compatible ::/96, which could reach private IPv4.
const GLOBAL_UNICAST_V6 = ipaddr.IPv6.parseCIDR('2000::/3');

/**
 * Why an IP address may not receive webhooks, or undefined when it may. Only public unicast
 * passes: ipaddr.js classifies the ranges (private, loopback, link-local, unique-local, CGNAT,
 * unspecified, multicast, broadcast, reserved, 6to4/Teredo/NAT64…). IPv4-mapped IPv6 is judged
 * by the IPv4 address it carries, so `::ffff:10.0.0.1` is private like `10.0.0.1`.
 */
export const addressProblem = (
  address: string,
  policy: WebhookUrlPolicy = {},
): string | undefined => {
  if (!ipaddr.isValid(address)) return 'not an IP address';
  const ip = ipaddr.process(address);
  const range = ip.range();
  if (range === 'loopback' && policy.allowLoopback) return undefined;
  if (range !== 'unicast') return range;
  if (ip.kind() === 'ipv6' && !(ip as ipaddr.IPv6).match(GLOBAL_UNICAST_V6)) return 'reserved';
  return undefined;
};

const refuse = (problem: WebhookUrlProblem, detail: string): WebhookUrlCheck => ({
  ok: false,
  problem,
  detail,
});

/** The bare host of a URL: IPv6 literals lose their brackets. */
const hostOf = (url: URL): string => url.hostname.replace(/^\[(.*)\]$/, '$1');

const isLiteralIp = (host: string): boolean => ipaddr.isValid(host);

/**
 * Checks what can be checked without DNS: length, syntax, scheme, credentials and literal IPs.
 * Deliveries call this again, because a connection to a literal IP never goes through `lookup`.
 */
export const checkWebhookUrlShape = (raw: string, policy: WebhookUrlPolicy = {}) => {
  if (raw.length > MAX_WEBHOOK_URL_LENGTH)
    return refuse('too_long', `URL is longer than ${MAX_WEBHOOK_URL_LENGTH} characters`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return refuse('malformed', 'URL is not a valid absolute URL');
  }
  const host = hostOf(url);
  const loopbackHost =
    host === 'localhost' || (isLiteralIp(host) && ipaddr.process(host).range() === 'loopback');
  const plainHttpAllowed = url.protocol === 'http:' && policy.allowLoopback && loopbackHost;
  if (url.protocol !== 'https:' && !plainHttpAllowed)
    return refuse('scheme', `URL must use https, not ${url.protocol.replace(/:$/, '')}`);
  if (url.username !== '' || url.password !== '')
    return refuse('credentials', 'URL must not carry a user name or password');
  if (host === '') return refuse('malformed', 'URL has no host');
  if (isLiteralIp(host)) {
    const problem = addressProblem(host, policy);
    if (problem) return refuse('private_address', `${host} is not a public address (${problem})`);
  }
  return { ok: true, url } as WebhookUrlCheck;
};

const NO_SUCH_HOST = new Set(['ENOTFOUND', 'ENODATA', 'EAI_NONAME']);

/**
 * Validates a webhook URL for storage: the shape checks, then every address the host resolves
 * to must be public (one private answer is enough to refuse: the connection might pick it).
 * A host that does not exist is refused; a transient DNS failure is thrown so the caller retries.
 */
export const validateWebhookUrl = async (
  raw: string,
  policy: WebhookUrlPolicy = {},
): Promise<WebhookUrlCheck> => {
  const shape = checkWebhookUrlShape(raw, policy);
  if (!shape.ok) return shape;
  const host = hostOf(shape.url);
  if (isLiteralIp(host)) return shape;
  let addresses: readonly LookupAddress[];
  try {
    addresses = await (policy.resolve ?? systemResolver)(host);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code && NO_SUCH_HOST.has(code)) return refuse('unresolvable', `${host} does not resolve`);
    throw error;
  }
  if (addresses.length === 0) return refuse('unresolvable', `${host} does not resolve`);
  for (const { address } of addresses) {
    const problem = addressProblem(address, policy);
    if (problem)
      return refuse('private_address', `${host} resolves to ${address}, not a public address`);
  }
  return shape;
};

/** {@link validateWebhookUrl} that throws {@link InvalidWebhookUrl}; returns the normalised URL. */
export const assertWebhookUrl = async (
  raw: string,
  policy: WebhookUrlPolicy = {},
): Promise<string> => {
  const check = await validateWebhookUrl(raw, policy);
  if (!check.ok) throw new InvalidWebhookUrl(check.problem, check.detail);
  return check.url.href;
};

const familyOf = (family: number | string | undefined): number =>
  family === 'IPv4' ? 4 : family === 'IPv6' ? 6 : Number(family ?? 0);

/**
 * A `lookup` for `http(s).request` that refuses a host when any of its addresses is not public,
 * so every delivery re-checks what the name points to *now* (DNS rebinding: a host that was public
 * when the URL was stored may resolve to 169.254.169.254 at delivery). Answers both the single
 * and the `all: true` form, which Node's happy-eyeballs connect uses.
 */
export const guardedLookup =
  (policy: WebhookUrlPolicy = {}): LookupFunction =>
  (hostname, options, callback) => {
    const wanted = familyOf(options.family);
    (policy.resolve ?? systemResolver)(hostname).then(
      (addresses) => {
        const unsafe = addresses.find(({ address }) => addressProblem(address, policy));
        if (unsafe) {
          const message = `${hostname} resolves to ${unsafe.address}, not a public address`;
          callback(new InvalidWebhookUrl('private_address', message), '');
          return;
        }
        const usable = addresses.filter((a) => wanted === 0 || a.family === wanted);
        const first = usable[0];
        if (!first) {
          const error: NodeJS.ErrnoException = new Error(`${hostname} has no usable address`);
          error.code = 'ENOTFOUND';
          callback(error, '');
        } else if (options.all) callback(null, [...usable]);
        else callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, ''),
    );
  };
