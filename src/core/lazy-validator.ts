// Fastify compiles every route's JSON schema with ajv when the server becomes ready: for the
// REST dialects' routes that is a large part of a cold start, for routes most processes never
// see. This validator builder is fastify's own (@fastify/ajv-compiler, same options), with three
// differences:
// - it only compiles a route's schema on that route's first request and reuses it after;
// - JSON bodies are validated strictly: no type coercion (`["a"]` is no string, `true` no name,
//   `null` no boolean), as the legacy servers refused them. Path and query parameters are text
//   and keep fastify's coercion ("5" → 5), and so do bodies parsed from forms, whose values are
//   all text too (markTextValued);
// - a failure lists every bad top-level field, not only the first (the legacy servers' answers
//   list them all): each property is checked on its own, with ajv stopping at its first error.
//   That bounds the work and the list by the schema (its properties), never by the input, which
//   is why ajv's own allErrors (work per array item) is not used.
// test/lazy-validator.test.ts compiles every route table schema eagerly, so a bad schema still
// fails the tests rather than a caller's first request.
import AjvCompiler from '@fastify/ajv-compiler';

type BuildCompiler = ReturnType<typeof AjvCompiler>;
type Compile = ReturnType<BuildCompiler>;
type Validate = ReturnType<Compile>;
type RouteDefinition = Parameters<Compile>[0];
type AjvError = NonNullable<Validate['errors']>[number];

/** At most this many failures are reported for one request part. */
export const MAX_REPORTED_ERRORS = 20;

const textValued = new WeakSet<object>();

/** Marks a body parsed from text fields (a form): its schema may coerce them like parameters. */
export function markTextValued<T extends object>(body: T): T {
  textValued.add(body);
  return body;
}

type ObjectSchema = { type?: unknown; properties?: Record<string, unknown>; required?: string[] };
const isObjectSchema = (s: unknown): s is ObjectSchema & { properties: Record<string, unknown> } =>
  typeof s === 'object' && s !== null && [(s as ObjectSchema).type].flat().includes('object') && typeof (s as ObjectSchema).properties === 'object';
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A validator compiled on its first call. */
function lazily(compile: Compile, route: RouteDefinition): Validate {
  let compiled: Validate | undefined;
  const validate = ((data: unknown) => {
    compiled ??= compile(route);
    const ok = compiled(data);
    validate.errors = compiled.errors;
    return ok;
  }) as Validate;
  return validate;
}

/**
 * The validator of one request part that, when the whole value fails, reports each bad
 * top-level field once: missing required ones, then each present property that its own schema
 * refuses (the first error inside it), in the schema's order; failures of the whole object that
 * no field explains (an array for an object, an unknown property refused) as ajv found them.
 */
function everyField(compile: Compile, route: RouteDefinition): Validate {
  const whole = lazily(compile, route);
  const schema = route.schema as unknown;
  let fields: [string, Validate][] | undefined;
  const validate = ((data: unknown) => {
    if (whole(data)) {
      validate.errors = null;
      return true;
    }
    validate.errors = whole.errors;
    if (!isObjectSchema(schema) || !isRecord(data)) return false;
    // Each property inside an object of its own, so its keywords (a default) mean what they mean in the route's schema.
    fields ??= Object.entries(schema.properties).map(([name, s]) => [name, lazily(compile, { ...route, schema: { type: 'object', properties: { [name]: s } } })]);
    const errors: AjvError[] = [];
    for (const name of schema.required ?? []) {
      if (data[name] === undefined) errors.push({ instancePath: '', schemaPath: '#/required', keyword: 'required', params: { missingProperty: name }, message: `must have required property '${name}'` });
    }
    for (const [name, check] of fields) {
      if (errors.length >= MAX_REPORTED_ERRORS) break;
      if (data[name] === undefined || check({ [name]: data[name] })) continue;
      const first = check.errors?.[0];
      if (first) errors.push(first);
    }
    if (errors.length) validate.errors = errors.slice(0, MAX_REPORTED_ERRORS);
    return false;
  }) as Validate;
  return validate;
}

export function lazyValidatorBuilder(build: BuildCompiler = AjvCompiler()): BuildCompiler {
  return (externalSchemas, options) => {
    const coercing = build(externalSchemas, options);
    // (The options are fastify's JSON Schema ones, never JTD's, which has no coercion to turn off.)
    const strict = build(externalSchemas, { ...options, customOptions: { ...options?.customOptions, coerceTypes: false } } as Parameters<BuildCompiler>[1]);
    return (route) => {
      if (route.httpPart !== 'body') return everyField(coercing, route);
      const json = everyField(strict, route);
      const text = everyField(coercing, route);
      const validate = ((data: unknown) => {
        const chosen = typeof data === 'object' && data !== null && textValued.has(data) ? text : json;
        const ok = chosen(data);
        validate.errors = chosen.errors;
        return ok;
      }) as Validate;
      return validate;
    };
  };
}
