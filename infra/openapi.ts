import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod/mini';
import type { RouteContract } from '../functions/core/http.ts';
import type { AnyPathIds } from '../functions/core/path-ids.ts';
import { PATH_ID_SCHEMAS } from '../functions/core/schemas.ts';
import { PROJECT_ROOT } from './constructs/manager-function.ts';
import { cachedTemplate, describeTemplate } from './local/template.ts';
import { REQUEST_EXAMPLES } from './openapi-examples.ts';
import { ROUTES, type RouteSpec } from './stacks/routes.ts';

/**
 * The API's contract, OpenAPI 3.1, generated from the very zod schemas that validate each
 * route's requests and describe its answers (`route()` options, functions/core/http.ts): one
 * source, no second copy to drift. A path's ids, checked without zod, are described by the
 * schemas they answer as (`PATH_ID_SCHEMAS`). `npm run openapi` writes it to docs/openapi.json, which
 * `GET /v1/openapi.json` serves; test/infra/openapi.test.ts fails when the file is stale.
 */

const jsonSchema = (schema: z.ZodMiniType, io: 'input' | 'output') => {
  const { $schema: _, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return rest;
};

const PROBLEM = {
  type: 'object',
  description: 'An RFC 9457 problem: what went wrong, for a person and for a program.',
  properties: {
    type: { type: 'string', description: '`/problems/<slug>`, stable for programs.' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string', description: 'What happened, for a person.' },
    instance: { type: 'string' },
    errors: {
      type: 'array',
      description: 'Validation failures, one per field: a JSON pointer into the request.',
      items: {
        type: 'object',
        properties: { pointer: { type: 'string' }, detail: { type: 'string' } },
        required: ['pointer', 'detail'],
      },
    },
    unmet: { type: 'array', items: { type: 'object' }, description: 'Requirements not met (409).' },
    retryAfterSeconds: { type: 'integer', description: 'When to try again (429).' },
  },
  required: ['type', 'title', 'status'],
} as const;

const PROBLEM_TEXT: Record<number, string> = {
  400: 'The request is not valid: `errors` names each field.',
  401: 'No valid bearer token.',
  403: 'Signed in, but without the right for this.',
  404: 'No such resource, or not one of the caller’s accounts.',
  409: 'The request conflicts with the current state.',
  410: 'No longer available (a used, revoked or expired link).',
  413: 'The request is larger than the API accepts.',
  415: 'The body must be JSON.',
  429: 'Too many requests: `Retry-After` says when to try again.',
};

/** The handler's JSDoc: its first sentence after the route key is the summary. */
function docOf(entry: string): { summary: string; description?: string } {
  const source = readFileSync(join(PROJECT_ROOT, entry), 'utf8');
  const comment = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*export const handler/.exec(source)?.[1] ?? '';
  const text = comment
    .split('\n')
    .map((line) => line.replace(/^\s*\* ?/, '').trim())
    .join(' ')
    .trim();
  const withoutKey = text.replace(/^[A-Z]+ \/\S*(\?\S*)?\s*(—\s*)?/, '').trim();
  const summary = withoutKey || text;
  const sentence = /^(.*?[.!?])(\s|$)/.exec(summary)?.[1] ?? summary;
  const rest = summary.slice(sentence.length).trim();
  const capital = sentence.charAt(0).toUpperCase() + sentence.slice(1);
  return { summary: capital.replace(/\.$/, ''), ...(rest ? { description: rest } : {}) };
}

/** The schema a path's ids answer as. */
const pathSchema = (path: AnyPathIds) =>
  z.object(Object.fromEntries(path.ids.map((id) => [id, PATH_ID_SCHEMAS[id]])));

function parameters(contract: RouteContract) {
  const list: Record<string, unknown>[] = [];
  for (const where of ['path', 'query', 'headers'] as const) {
    const given = contract.request?.[where];
    const schema = given && 'ids' in given ? pathSchema(given) : given;
    if (!schema) continue;
    const object = jsonSchema(schema, 'input') as {
      properties?: Record<string, Record<string, unknown>>;
      required?: string[];
    };
    for (const [name, property] of Object.entries(object.properties ?? {})) {
      const { description, ...rest } = property;
      list.push({
        name,
        in: where === 'headers' ? 'header' : where,
        required: where === 'path' || (object.required ?? []).includes(name),
        ...(description ? { description } : {}),
        schema: rest,
      });
    }
  }
  if (contract.idempotent) {
    const { description, ...schema } = jsonSchema(contract.idempotent.key, 'input');
    list.push({ name: 'idempotency-key', in: 'header', required: false, description, schema });
  }
  return list;
}

function responses(spec: RouteSpec, contract: RouteContract) {
  const out: Record<string, unknown> = {};
  for (const [status, answer] of Object.entries(spec.responses)) {
    if (answer === null || answer === undefined) out[status] = { description: 'No content.' };
    else if ('mediaType' in answer && typeof answer.mediaType === 'string')
      out[status] = { description: 'OK', content: { [answer.mediaType]: { schema: { type: 'string' } } } };
    else
      out[status] = {
        description: 'OK',
        content: { 'application/json': { schema: jsonSchema(answer as z.ZodMiniType, 'output') } },
      };
  }
  const problems = new Set<number>([400, ...(contract.problems ?? [])]);
  if (contract.auth) {
    problems.add(401);
    problems.add(403);
  }
  if (spec.route.includes('{') || contract.auth) problems.add(404);
  if (contract.request?.body) problems.add(415);
  if (contract.idempotent) problems.add(409);
  for (const status of [...problems].sort()) {
    out[status] = {
      description: PROBLEM_TEXT[status] ?? 'A problem.',
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    };
  }
  return out;
}

/** The groups of the reference, one per feature folder of functions/. */
const TAGS: Record<string, string> = {
  audit: 'The trail of an account’s administrative changes, for its admins.',
  billing: 'Billing addresses, free credits and the prepaid balance (R16, R18, R20).',
  docs: 'This document.',
  health: 'Whether the API is up.',
  invitations: 'Inviting people into an account, with the rights to grant (R9).',
  invoices: 'Invoices, their PDFs, what is to pay and pro-formas (R21–R24).',
  login: 'Recovery e-mail and password reset (R2); public, the e-mailed link is the proof.',
  me: 'The signed-in user: profile, language, accounts, the current account (R1, R5).',
  members: 'The users of an account and their rights (R7, R8, R10, R11).',
  orders: 'Quotes and orders (R15–R19); the first order creates the account (R3).',
  organizations: 'Customer accounts, their logo and their deletion (R3, R4, R6, R27, R28).',
  products: 'Products, their reminders, termination and transfer (R12–R14, R25).',
  staff: 'Provider staff only (Cognito group `staff`): credits, promo codes, bank payments.',
};

const tagOf = (spec: RouteSpec, contract: RouteContract) =>
  contract.staff ? 'staff' : (spec.entry.split('/')[1] ?? 'api');

/** Loads every route's handler (with the environment its function has) and reads its contract. */
export async function loadContracts(): Promise<Map<string, RouteContract>> {
  const { functions } = describeTemplate(await cachedTemplate('dev'), {
    userPoolId: '-',
    userPoolClientId: '-',
  });
  for (const fn of functions.values()) {
    for (const [name, value] of Object.entries(fn.environment)) process.env[name] ??= value;
  }
  process.env.AWS_REGION ??= 'eu-central-2';
  const contracts = new Map<string, RouteContract>();
  for (const spec of ROUTES) {
    const module = (await import(join(PROJECT_ROOT, spec.entry))) as {
      handler: { contract?: RouteContract };
    };
    if (!module.handler.contract) throw new Error(`${spec.entry} is not built with route()`);
    contracts.set(spec.id, module.handler.contract);
  }
  return contracts;
}

export function openApiDocument(contracts: Map<string, RouteContract>) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of ROUTES) {
    const contract = contracts.get(spec.id);
    if (!contract) throw new Error(`no contract for ${spec.id}`);
    const [method = 'GET', path = '/'] = spec.route.split(' ');
    const body = contract.request?.body;
    paths[path] ??= {};
    (paths[path] as Record<string, unknown>)[method.toLowerCase()] = {
      operationId: spec.id.charAt(0).toLowerCase() + spec.id.slice(1),
      ...docOf(spec.entry),
      tags: [tagOf(spec, contract)],
      security: contract.auth ? [{ jwt: [] }] : [],
      parameters: parameters(contract),
      ...(body
        ? {
            requestBody: {
              required: true,
              content: {
                'application/json': {
                  schema: jsonSchema(body, 'input'),
                  ...(REQUEST_EXAMPLES[spec.id] ? { examples: { example: REQUEST_EXAMPLES[spec.id] } } : {}),
                },
              },
            },
          }
        : {}),
      responses: responses(spec, contract),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Manager API',
      version: '1.0.0',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
      description:
        'The customer console’s API: accounts, members and rights, products, orders, invoices, ' +
        'pro-formas, reminders and account deletion. Errors are RFC 9457 problems. Lists are ' +
        'paginated with `limit` and an opaque `cursor`; the answer’s `nextCursor` is null on the ' +
        'last page. Every creating POST takes an `Idempotency-Key` header (required by ' +
        '`POST /v1/orders`): a retry with the same key and request within 24 h gets the first ' +
        'answer again, with `Idempotent-Replayed: true`, and changes nothing.',
    },
    servers: [
      { url: '/', description: 'The stage’s API endpoint (ApiUrl output; locally the banner’s API)' },
    ],
    tags: [...new Set(ROUTES.map((spec) => tagOf(spec, contracts.get(spec.id) as RouteContract)))]
      .sort()
      .map((name) => ({ name, description: TAGS[name] ?? name })),
    paths,
    components: {
      securitySchemes: {
        jwt: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'An ID or access token of the stage’s Cognito user pool (console client).',
        },
      },
      schemas: { Problem: PROBLEM },
    },
  };
}

/** The document as docs/openapi.json holds it. */
export const serialize = (document: unknown) => `${JSON.stringify(document, null, 2)}\n`;
