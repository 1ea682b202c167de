// examples/typed-client: GraphQL Code Generator makes typed documents from schema/schema.graphql
// and the example's operations; the client compiles against them, runs against a test gateway,
// and misuse (a missing variable, a field the operation did not select) does not compile.
import { execFile, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../src/core/db.js';
import { ADMIN, startTestGateway, type TestGateway } from './helpers/gateway.js';

const root = projectRoot();
const example = join(root, 'examples', 'typed-client');
/** Runs the compiled client (asynchronously: the gateway it calls answers from this process). */
const runClient = (env: Record<string, string>) =>
  new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = execFile(process.execPath, [join(example, 'dist', 'client.js')], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8', timeout: 60_000 }, (_err, stdout, stderr) =>
      resolve({ status: child.exitCode, stdout, stderr }),
    );
  });
const tsc = (project: string) => spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', project], { cwd: root, encoding: 'utf8' });

describe('the typed client example', () => {
  let t: TestGateway;
  let url: string;
  beforeAll(async () => {
    const { generate } = (await import(join(example, 'codegen.mjs'))) as { generate(): Promise<string> };
    writeFileSync(join(example, 'generated.ts'), await generate());
    t = await startTestGateway('pglite');
    url = `${await t.gw.app.listen({ port: 0, host: '127.0.0.1' })}/graphql`;
  }, 120_000);
  afterAll(() => t?.close());

  it('is generated from the schema, compiles, and runs against the gateway', { timeout: 120_000 }, async () => {
    const built = tsc(join(example, 'tsconfig.json'));
    expect(built.status, built.stdout + built.stderr).toBe(0);
    const env = { GATEWAY_URL: url, TOKEN: ADMIN.token, ORG_SLUG: 'typed-client-org' };
    const run = await runClient(env);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('signed in as admin (instance admin)');
    expect(run.stdout).toMatch(/^\d+ users; first: .*admin/m);
    expect(run.stdout).toContain('created organization typed-client-org');
    const org = await t.gql(`{ organization(slug: "typed-client-org") { name } }`, {}, { token: ADMIN.token });
    expect(org.body.data.organization.name).toBe('Made by the typed client');
    // Run again: the slug is taken, and the typed userErrors say so.
    const again = await runClient(env);
    expect(again.stdout).toMatch(/not created: slug: /);
  });

  it('does not compile a call without its variables, or a field the operation did not select', { timeout: 120_000 }, () => {
    // Beside the example's sources, inside the repository so that node_modules resolve.
    const dir = join(root, '.test-artifacts', `typed-client-${process.pid}`);
    mkdirSync(dir, { recursive: true });
    for (const f of ['client.ts', 'generated.ts']) copyFileSync(join(example, f), join(dir, f));
    writeFileSync(
      join(dir, 'misuse.ts'),
      `import { client } from './client.js';
import { FirstUsersDocument } from './generated.js';
const request = client('http://localhost');
export async function misuse() {
  await request(FirstUsersDocument);
  const { users } = await request(FirstUsersDocument, { first: 1 });
  return users.nodes[0]?.email;
}
`,
    );
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ extends: join(example, 'tsconfig.json'), compilerOptions: { noEmit: true, rootDir: '.' }, include: ['*.ts'] }));
    const checked = tsc(join(dir, 'tsconfig.json'));
    expect(checked.status).not.toBe(0);
    expect(checked.stdout).toMatch(/misuse\.ts\(5,9\): error TS2554/); // the variables are missing
    expect(checked.stdout).toMatch(/misuse\.ts\(7,\d+\): error TS2339: Property 'email' does not exist/);
    expect(checked.stdout.match(/error TS/g)).toHaveLength(2);
  });
});
