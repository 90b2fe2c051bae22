import type { IncomingMessage, ServerResponse } from 'node:http';
import { type LocalServer, readBody, serve } from '../apigateway/http-server.ts';
import { LOCAL_ACCOUNT } from '../aws/constants.ts';
import { alternativeIdentity, authorizationChecks } from './aws-actions.ts';
import { type AuthorizationRequest, authorize, type PolicyDocument } from './iam.ts';

/** Who makes a call: a function or state machine of the template, with its role's policies. */
export interface Principal {
  readonly name: string;
  readonly roleId: string;
  readonly policies: readonly PolicyDocument[];
}

/** A call IAM refused. */
export interface Denial {
  readonly principal: string;
  readonly action: string;
  readonly resource: string;
  readonly message: string;
}

/** The message AWS answers a refused call with, naming role, session (the function) and action. */
export const accessDeniedMessage = (principal: Principal, check: AuthorizationRequest): string =>
  `User: arn:aws:sts::${LOCAL_ACCOUNT}:assumed-role/${principal.roleId}/${principal.name} is not authorized to perform: ${check.action} on resource: ${check.resource} because no identity-based policy allows the ${check.action} action`;

/** Every IAM decision of a rehearsal: how many calls were checked, which were refused. */
export class AccessLog {
  checked = 0;
  readonly denials: Denial[] = [];
  /** Action → how many times it was allowed, to print what the tour exercised. */
  readonly allowed = new Map<string, number>();

  /** Checks one request against the principal's policies; returns the first refusal, if any. */
  check(principal: Principal, checks: readonly AuthorizationRequest[]): Denial | undefined {
    this.checked += 1;
    for (const check of checks) {
      const alternative = alternativeIdentity(check);
      const allowed =
        authorize(principal.policies, check) === 'allowed' ||
        (alternative !== undefined && authorize(principal.policies, alternative) === 'allowed');
      if (!allowed) {
        const denial = {
          principal: principal.name,
          action: check.action,
          resource: check.resource,
          message: accessDeniedMessage(principal, check),
        };
        this.denials.push(denial);
        return denial;
      }
      this.allowed.set(check.action, (this.allowed.get(check.action) ?? 0) + 1);
    }
    return undefined;
  }
}

export interface IamProxyOptions {
  /** Access key id → the function whose credentials carry it. */
  readonly principals: ReadonlyMap<string, Principal>;
  /** Where allowed requests go, by SigV4 signing name; `*` for every other service. */
  readonly upstreams: Readonly<Record<string, string>>;
  readonly log: AccessLog;
}

/** `Credential=AKID/date/region/service/aws4_request` of a SigV4 Authorization header. */
const credentialScope = (authorization: string | undefined) => {
  const scope = /Credential=([^/]+)\/[^/]+\/[^/]+\/([^/]+)\//.exec(authorization ?? '');
  return scope ? { accessKeyId: scope[1] as string, service: scope[2] as string } : undefined;
};

/**
 * The endpoint every rehearsed function's `AWS_ENDPOINT_URL` points at. It learns the caller from
 * the access key id (each function gets its own credentials), parses action and resources from the
 * request, evaluates the caller's role policies from the template, and either forwards the request
 * unchanged to the twin's stand-in or answers `AccessDeniedException` as the service would.
 */
export const startIamProxy = async (
  options: IamProxyOptions,
): Promise<LocalServer & { url: string }> => {
  const server = await serve((req, res) => handle(options, req, res), 0, '127.0.0.1');
  return Object.assign(server, { url: `http://127.0.0.1:${server.port}` });
};

const handle = async (options: IamProxyOptions, req: IncomingMessage, res: ServerResponse) => {
  const text = (await readBody(req)) ?? '';
  const scope = credentialScope(req.headers.authorization);
  const principal = scope && options.principals.get(scope.accessKeyId);
  const target =
    typeof req.headers['x-amz-target'] === 'string' ? req.headers['x-amz-target'] : undefined;
  if (!scope || !principal) {
    return refuse(
      res,
      target,
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    );
  }
  const url = new URL(req.url ?? '/', 'http://local');
  let body: Record<string, unknown> = {};
  try {
    body = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
  } catch {
    // Not JSON: the stand-in answers the malformed request itself; nothing to authorize by body.
  }
  const checks = authorizationChecks({
    service: scope.service,
    method: req.method ?? 'GET',
    path: url.pathname,
    query: url.searchParams,
    ...(target !== undefined && { target }),
    body,
  });
  const denial = options.log.check(principal, checks);
  if (denial) {
    const type =
      scope.service === 'dynamodb'
        ? 'com.amazonaws.dynamodb.v20120810#AccessDeniedException'
        : 'AccessDeniedException';
    return refuse(res, target, type, denial.message);
  }
  const upstream = options.upstreams[scope.service] ?? options.upstreams['*'];
  if (!upstream)
    return refuse(res, target, 'UnknownOperationException', `No stand-in for ${scope.service}`);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (
      value === undefined ||
      name === 'host' ||
      name === 'content-length' ||
      name === 'connection'
    )
      continue;
    headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  const answer = await fetch(`${upstream}${req.url ?? '/'}`, {
    method: req.method ?? 'GET',
    headers,
    ...(text !== '' && { body: text }),
  });
  // fetch has already decoded and de-chunked the body; its framing headers no longer apply.
  const framing = new Set([
    'content-length',
    'content-encoding',
    'transfer-encoding',
    'connection',
  ]);
  const out: Record<string, string> = {};
  answer.headers.forEach((value, name) => {
    if (!framing.has(name)) out[name] = value;
  });
  const payload = Buffer.from(await answer.arrayBuffer());
  res.writeHead(answer.status, out).end(payload);
};

/** JSON protocols answer 400 with `__type`; REST ones 403 with `x-amzn-ErrorType`. */
const refuse = (res: ServerResponse, target: string | undefined, type: string, message: string) => {
  const status = target ? 400 : 403;
  res.writeHead(status, {
    'Content-Type': target ? 'application/x-amz-json-1.0' : 'application/json',
    'x-amzn-ErrorType': type.split('#').at(-1) ?? type,
  });
  res.end(JSON.stringify({ __type: type, message, Message: message }));
};
