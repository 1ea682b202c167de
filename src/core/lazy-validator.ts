// Fastify compiles every route's JSON schema with ajv when the server becomes ready: for the
// REST dialects' routes that is a large part of a cold start, for routes most processes never
// see. This validator builder is fastify's own (@fastify/ajv-compiler, same options, same
// errors); it only compiles a route's schema on that route's first request and reuses it after.
// test/lazy-validator.test.ts compiles every route table schema eagerly, so a bad schema still
// fails the tests rather than a caller's first request.
import AjvCompiler from '@fastify/ajv-compiler';

type BuildCompiler = ReturnType<typeof AjvCompiler>;
type Compile = ReturnType<BuildCompiler>;
type Validate = ReturnType<Compile>;

export function lazyValidatorBuilder(build: BuildCompiler = AjvCompiler()): BuildCompiler {
  return (externalSchemas, options) => {
    const compile = build(externalSchemas, options);
    return (route) => {
      let compiled: Validate | undefined;
      // fastify reads `.errors` off the function it was given after a failed call.
      const validate = ((data: unknown) => {
        compiled ??= compile(route);
        const ok = compiled(data);
        validate.errors = compiled.errors;
        return ok;
      }) as Validate;
      return validate;
    };
  };
}
