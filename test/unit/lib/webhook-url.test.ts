import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import {
  addressProblem,
  assertWebhookUrl,
  guardedLookup,
  InvalidWebhookUrl,
  type Resolver,
  validateWebhookUrl,
  type WebhookUrlPolicy,
} from '../../../lambdas/lib/domain/webhook-url.ts';

const v4 = (address: string): LookupAddress => ({ address, family: 4 });
const v6 = (address: string): LookupAddress => ({ address, family: 6 });

/** A stand-in DNS: no real resolution happens in unit tests. */
const fakeDns: Record<string, LookupAddress[]> = {
  'hooks.example.com': [v4('93.184.216.34'), v6('2606:2800:220:1:248:1893:25c8:1946')],
  'internal.example.com': [v4('10.1.2.3')],
  'mixed.example.com': [v4('93.184.216.34'), v4('192.168.0.10')],
  'metadata.example.com': [v6('fd00:ec2::254')],
  localhost: [v4('127.0.0.1'), v6('::1')],
};
const resolve: Resolver = async (hostname) => {
  const addresses = fakeDns[hostname];
  if (addresses) return addresses;
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
};
const aws: WebhookUrlPolicy = { resolve };
const twin: WebhookUrlPolicy = { resolve, allowLoopback: true };

const problemOf = async (url: string, policy = aws) => {
  const check = await validateWebhookUrl(url, policy);
  return check.ok ? 'ok' : check.problem;
};

describe('webhook URL validation (SSRF guard)', () => {
  it.each([
    ['https://hooks.example.com/receive', 'ok'],
    ['https://hooks.example.com:8443/receive?x=1', 'ok'],
    ['https://93.184.216.34/hook', 'ok'],
    ['https://[2606:2800:220:1:248:1893:25c8:1946]/hook', 'ok'],
    ['http://hooks.example.com/receive', 'scheme'],
    ['http://10.0.0.1/hook', 'scheme'],
    ['ftp://hooks.example.com/file', 'scheme'],
    ['javascript:alert(1)', 'scheme'],
    ['not a url', 'malformed'],
    ['https://', 'malformed'],
    ['//hooks.example.com/relative', 'malformed'],
    ['https://user:pw@hooks.example.com/', 'credentials'],
    ['https://user@hooks.example.com/', 'credentials'],
    [`https://hooks.example.com/${'a'.repeat(2048)}`, 'too_long'],
    ['https://10.0.0.1/hook', 'private_address'],
    ['https://172.16.5.4/hook', 'private_address'],
    ['https://192.168.1.1/hook', 'private_address'],
    ['https://169.254.169.254/latest/meta-data', 'private_address'],
    ['https://127.0.0.1/hook', 'private_address'],
    ['https://0.0.0.0/hook', 'private_address'],
    ['https://100.64.0.1/hook', 'private_address'],
    ['https://224.0.0.1/hook', 'private_address'],
    ['https://255.255.255.255/hook', 'private_address'],
    ['https://240.0.0.1/hook', 'private_address'],
    ['https://[::1]/hook', 'private_address'],
    ['https://[::]/hook', 'private_address'],
    ['https://[fe80::1]/hook', 'private_address'],
    ['https://[fd00::1]/hook', 'private_address'],
    ['https://[ff02::1]/hook', 'private_address'],
    ['https://[::ffff:10.0.0.1]/hook', 'private_address'],
    ['https://[::ffff:169.254.169.254]/hook', 'private_address'],
    ['https://[64:ff9b::a00:1]/hook', 'private_address'],
    ['https://[2002:a00:1::]/hook', 'private_address'],
    ['https://2130706433/hook', 'private_address'],
    ['https://0x7f.1/hook', 'private_address'],
    ['https://internal.example.com/hook', 'private_address'],
    ['https://mixed.example.com/hook', 'private_address'],
    ['https://metadata.example.com/hook', 'private_address'],
    ['https://localhost:8443/hook', 'private_address'],
    ['https://nowhere.example.com/hook', 'unresolvable'],
  ])('in AWS mode judges %s as %s', async (url, expected) => {
    expect(await problemOf(url)).toBe(expected);
  });

  it.each([
    ['http://127.0.0.1:4567/hook', 'ok'],
    ['http://localhost:4567/hook', 'ok'],
    ['http://[::1]:4567/hook', 'ok'],
    ['https://127.0.0.1:4567/hook', 'ok'],
    ['http://10.0.0.1/hook', 'scheme'],
    ['https://10.0.0.1/hook', 'private_address'],
    ['https://169.254.169.254/', 'private_address'],
    ['https://internal.example.com/hook', 'private_address'],
    ['http://hooks.example.com/hook', 'scheme'],
  ])(
    'in twin mode judges %s as %s (loopback only, nothing else private)',
    async (url, expected) => {
      expect(await problemOf(url, twin)).toBe(expected);
    },
  );

  it('throws a transient DNS failure instead of calling the URL invalid', async () => {
    const flaky: Resolver = async () => {
      throw Object.assign(new Error('getaddrinfo EAI_AGAIN'), { code: 'EAI_AGAIN' });
    };
    await expect(
      validateWebhookUrl('https://hooks.example.com/', { resolve: flaky }),
    ).rejects.toThrow(/EAI_AGAIN/);
  });

  it('returns the normalised URL, or throws InvalidWebhookUrl carrying the problem', async () => {
    expect(await assertWebhookUrl('HTTPS://Hooks.Example.com/a/../b', aws)).toBe(
      'https://hooks.example.com/b',
    );
    const error = await assertWebhookUrl('https://10.0.0.1/', aws).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidWebhookUrl);
    expect(error).toMatchObject({ name: 'InvalidWebhookUrl', problem: 'private_address' });
  });

  it('classifies addresses by range and judges IPv4-mapped IPv6 by its IPv4 address', () => {
    expect(addressProblem('8.8.8.8')).toBeUndefined();
    expect(addressProblem('10.0.0.1')).toBe('private');
    expect(addressProblem('::ffff:10.0.0.1')).toBe('private');
    expect(addressProblem('::ffff:8.8.8.8')).toBeUndefined();
    expect(addressProblem('127.0.0.1', { allowLoopback: true })).toBeUndefined();
    expect(addressProblem('10.0.0.1', { allowLoopback: true })).toBe('private');
  });
});

/** Calls a LookupFunction the way net.connect does and returns what its callback got. */
const lookUp = (policy: WebhookUrlPolicy, hostname: string, options: { all?: boolean } = {}) =>
  new Promise<{ error: Error | null; address: unknown; family?: number }>((done) => {
    guardedLookup(policy)(hostname, options, (error, address, family) =>
      done({ error, address, family }),
    );
  });

describe('guarded lookup (checked again on every delivery connection)', () => {
  it('answers a public host in the single and the all-addresses form', async () => {
    expect(await lookUp(aws, 'hooks.example.com')).toEqual({
      error: null,
      address: '93.184.216.34',
      family: 4,
    });
    const all = await lookUp(aws, 'hooks.example.com', { all: true });
    expect(all.address).toEqual(fakeDns['hooks.example.com']);
  });

  it('refuses a host that resolves to a private address now (DNS rebinding)', async () => {
    const { error } = await lookUp(aws, 'mixed.example.com', { all: true });
    expect(error).toBeInstanceOf(InvalidWebhookUrl);
    expect(error?.message).toMatch(/192\.168\.0\.10/);
  });

  it('lets loopback through only in twin mode', async () => {
    expect((await lookUp(aws, 'localhost')).error).toBeInstanceOf(InvalidWebhookUrl);
    expect((await lookUp(twin, 'localhost')).address).toBe('127.0.0.1');
  });

  it('passes resolver errors on unchanged, so the adapter reports them as unreachable', async () => {
    const { error } = await lookUp(aws, 'nowhere.example.com');
    expect((error as NodeJS.ErrnoException).code).toBe('ENOTFOUND');
  });
});
