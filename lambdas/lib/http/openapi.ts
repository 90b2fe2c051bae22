import { type ProblemCode, problemCatalogue } from '../problem-codes.ts';
import * as z from '../zod.ts';
import { PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_BASE } from './problem.ts';
import type { RouteContract } from './route-contract.ts';
import type { RouteAuth } from './route-definition.ts';
import { routeProblems } from './route-problems.ts';

type Json = Record<string, unknown>;

/** What the document says about itself, and the schemas it names. */
export interface OpenApiOptions {
  readonly title: string;
  readonly version: string;
  readonly description: string;
  /** The stage the route paths sit below, e.g. `/v1`. */
  readonly basePath: string;
  /**
   * Schemas to list once under `components.schemas`, by name; wherever one occurs it becomes a
   * `$ref`. The rest are written inline.
   */
  readonly schemas?: Readonly<Record<string, z.ZodMiniType>>;
}

/** JSON Schema of a zod schema, as a client sends (`input`) or finally sees it (`output`). */
type SchemaOf = (schema: z.ZodMiniType, io?: 'input' | 'output') => Json;

/**
 * The body of every error: RFC 9457 problem details with a stable `code` (lib/http/problem.ts).
 * Extension members such as `errors` may follow.
 */
const problemSchema = z.looseObject({
  type: z
    .string()
    .check(z.regex(new RegExp(`^${PROBLEM_TYPE_BASE.replaceAll('.', '\\.')}[a-z_]+$`))),
  title: z.string(),
  // API Gateway's fallback answers cannot know their status, so they leave it out.
  status: z.optional(z.int()),
  detail: z.string(),
  code: z.enum(Object.keys(problemCatalogue) as [ProblemCode, ...ProblemCode[]]),
  errors: z.optional(z.array(z.strictObject({ path: z.string(), message: z.string() }))),
});

/** Codes whose answer may carry `Retry-After`. */
const RETRY_AFTER: readonly ProblemCode[] = [
  'idempotency_request_in_progress',
  'too_many_requests',
  'service_unavailable',
  'gateway_timeout',
];

const WHO: Record<RouteAuth, string> = {
  none: 'Anyone, without credentials.',
  admin: 'The admin token only.',
  project: 'The admin token, or an API key of the project in the path.',
};

const ref = (to: string) => ({ $ref: `#/components/${to}` });

/**
 * Converts zod schemas, writing each named one as a `$ref`, without the `$schema` line.
 * `definitionOf` spells out the schema it is given (a component's own definition); `schemaOf`
 * refers to it when it has a name. Refinements have no JSON Schema form and are left out; the
 * handler still applies them.
 */
const schemaWriter = (names: ReadonlyMap<unknown, string>) => {
  const refTo = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  const definitionOf: SchemaOf = (root, io = 'input') => {
    const { $schema: _, ...rest } = z.toJSONSchema(root, {
      io,
      override: ({ zodSchema, jsonSchema }) => {
        const name = names.get(zodSchema);
        if (name === undefined || Object.is(zodSchema, root)) return;
        const target = jsonSchema as Json;
        for (const key of Object.keys(target)) delete target[key];
        Object.assign(target, refTo(name));
      },
    }) as Json;
    return rest;
  };
  const schemaOf: SchemaOf = (schema, io) => {
    const name = names.get(schema);
    return name === undefined ? definitionOf(schema, io) : refTo(name);
  };
  return { schemaOf, definitionOf };
};

const propertiesOf = (schema: Json): Record<string, Json> =>
  (schema.properties ?? {}) as Record<string, Json>;

/** Path parameters in the order of the path, checked against the contract's params schema. */
const pathParameters = (contract: RouteContract, schemaOf: SchemaOf): Json[] => {
  const names = [...contract.route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
  const properties = contract.params ? propertiesOf(schemaOf(contract.params)) : {};
  const declared = Object.keys(properties);
  if (names.length !== declared.length || names.some((name) => !declared.includes(name))) {
    throw new Error(
      `${contract.route.name}: path ${contract.route.path} names {${names.join(', ')}}, its params schema {${declared.join(', ')}}`,
    );
  }
  return names.map((name) => ({ name, in: 'path', required: true, schema: properties[name] }));
};

/**
 * Query parameters. A value is described after coercion (`limit` is an integer 1–100), while
 * whether it is required is read from the input side, where a default makes it optional.
 */
const queryParameters = (contract: RouteContract, schemaOf: SchemaOf): Json[] => {
  if (!contract.query) return [];
  const required = (schemaOf(contract.query).required ?? []) as string[];
  return Object.entries(propertiesOf(schemaOf(contract.query, 'output'))).map(([name, schema]) => ({
    name,
    in: 'query',
    required: required.includes(name),
    schema,
  }));
};

/** Every method but GET reads an Idempotency-Key (lib/http/route.ts). */
const isMutating = (contract: RouteContract) => contract.route.method !== 'GET';
const isIdempotent = (contract: RouteContract) => contract.route.access.idempotency === true;

const successResponse = (contract: RouteContract, schemaOf: SchemaOf): Json => {
  const headers: Json = {
    ...(contract.success.location ? { Location: ref('headers/Location') } : {}),
    ...(isMutating(contract) ? { 'Idempotency-Key': ref('headers/IdempotencyKey') } : {}),
    ...(isIdempotent(contract) ? { 'Idempotent-Replayed': ref('headers/IdempotentReplayed') } : {}),
  };
  return {
    description: contract.summary,
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
    content: { 'application/json': { schema: schemaOf(contract.success.body) } },
  };
};

/** One problem+json response per status (`5XX` for every server-side one), listing its codes. */
const problemResponses = (contract: RouteContract): Record<string, Json> => {
  const byStatus = new Map<string, ProblemCode[]>();
  for (const code of routeProblems(contract)) {
    const { status } = problemCatalogue[code];
    const key = status >= 500 ? '5XX' : String(status);
    byStatus.set(key, [...(byStatus.get(key) ?? []), code]);
  }
  const responses: Record<string, Json> = {};
  for (const [key, codes] of [...byStatus].sort(([a], [b]) => a.localeCompare(b))) {
    const headers: Json = {
      ...(codes.some((code) => RETRY_AFTER.includes(code))
        ? { 'Retry-After': ref('headers/RetryAfter') }
        : {}),
      ...(isMutating(contract) ? { 'Idempotency-Key': ref('headers/IdempotencyKey') } : {}),
    };
    const narrowed: Json = {
      properties: {
        code: { enum: codes },
        ...(key === '5XX' ? {} : { status: { const: Number(key) } }),
      },
    };
    responses[key] = {
      description: codes.map((code) => `\`${code}\`: ${problemCatalogue[code].title}`).join('; '),
      ...(Object.keys(headers).length > 0 ? { headers } : {}),
      content: {
        [PROBLEM_CONTENT_TYPE]: { schema: { allOf: [ref('schemas/Problem'), narrowed] } },
      },
    };
  }
  return responses;
};

const operationOf = (contract: RouteContract, schemaOf: SchemaOf): Json => {
  const { route, body } = contract;
  const parameters = [
    ...pathParameters(contract, schemaOf),
    ...queryParameters(contract, schemaOf),
    ...(isMutating(contract) ? [ref('parameters/IdempotencyKey')] : []),
  ];
  return {
    operationId: route.name,
    summary: contract.summary,
    description: `Who may call: ${WHO[route.auth]}`,
    security: route.auth === 'none' ? [] : [{ bearer: [] }],
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(body
      ? {
          requestBody: {
            // An absent body is read as `{}` (lib/http/request.ts): required unless `{}` passes.
            required: !z.safeParse(body, {}).success,
            content: { 'application/json': { schema: schemaOf(body) } },
          },
        }
      : {}),
    responses: {
      [String(contract.success.status)]: successResponse(contract, schemaOf),
      ...problemResponses(contract),
    },
  };
};

/** Shared parts the operations refer to; a fresh object per document. */
const componentsOf = (definitionOf: SchemaOf, named: Readonly<Record<string, z.ZodMiniType>>) => ({
  securitySchemes: {
    bearer: {
      type: 'http',
      scheme: 'bearer',
      description: 'The admin token, or a project API key `rsk_<keyId>_<secret>`.',
    },
  },
  schemas: {
    ...Object.fromEntries(
      Object.entries(named).map(([name, schema]) => [name, definitionOf(schema)]),
    ),
    Problem: {
      description: 'RFC 9457 problem details with a stable `code`.',
      ...definitionOf(problemSchema),
    },
  },
  parameters: {
    IdempotencyKey: {
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description:
        'Makes a retry safe: the same key with the same request replays the first answer. 1–255 printable ASCII characters, bare or as a quoted Structured Field string; without one a UUID is generated.',
      schema: { type: 'string', minLength: 1 },
    },
  },
  headers: {
    Location: { description: 'Where the resource is read.', schema: { type: 'string' } },
    IdempotencyKey: {
      description: 'The Idempotency-Key of the request (the generated one when it sent none).',
      schema: { type: 'string' },
    },
    IdempotentReplayed: {
      description: 'Present on a replay: the stored answer to an earlier request with this key.',
      schema: { type: 'string', enum: ['true'] },
    },
    RetryAfter: {
      description: 'Seconds to wait before retrying.',
      schema: { type: 'integer', minimum: 0 },
    },
  },
});

/**
 * The OpenAPI 3.1 document of a set of route contracts: each route's method and path, parameters,
 * body, answer and problems, all derived from the contracts' own zod schemas and route rows.
 */
export const openApiDocument = (
  contracts: readonly RouteContract[],
  options: OpenApiOptions,
): Json => {
  const named = options.schemas ?? {};
  const { schemaOf, definitionOf } = schemaWriter(
    new Map(Object.entries(named).map(([name, schema]) => [schema, name])),
  );
  const paths: Record<string, Record<string, Json>> = {};
  for (const contract of contracts) {
    const { method, path } = contract.route;
    const item = paths[path] ?? {};
    item[method.toLowerCase()] = operationOf(contract, schemaOf);
    paths[path] = item;
  }
  return {
    openapi: '3.1.0',
    info: { title: options.title, version: options.version, description: options.description },
    servers: [{ url: options.basePath }],
    paths,
    components: componentsOf(definitionOf, named),
  };
};
