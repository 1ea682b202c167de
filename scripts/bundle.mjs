// `npm run build`, second step: bundles the compiled server (dist/src/main.js, from tsc, with
// its decorator metadata already emitted) and its libraries into one ES module,
// dist/bundle/main.mjs, which dist/main.js loads. Node then reads and compiles one file instead
// of resolving and loading a thousand-odd modules one by one: cold start to the first answer on
// PostgreSQL went from ~1.7 s to ~1.2 s on the 2-core bench machine (README, Performance).
// The unbundled dist/src/ stays for the tools and scripts that import modules of it.
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/src/main.js'],
  outfile: 'dist/bundle/main.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // type-graphql names GraphQL types after their classes: esbuild must not rename classes
  // (it would, to InviteToOrganizationInput2, where two modules' names collide).
  keepNames: true,
  sourcemap: true,
  sourcesContent: false,
  logLevel: 'warning',
  // CommonJS libraries inside an ES module bundle still call require() for Node's builtins.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  external: [
    // A native addon, found next to its own package at run time.
    'argon2',
    // Loads its WebAssembly and data files relative to its own module (and only when PGlite is used).
    '@electric-sql/pglite',
    // One graphql for everyone: graphql-jit and graphql-query-complexity are loaded with
    // require() at run time (their ESM builds would bring a second graphql, core/graphql/jit.ts),
    // so graphql itself must come from node_modules too, not a copy inside the bundle.
    'graphql',
    'graphql-jit',
    'graphql-query-complexity',
    // type-graphql's optional peer for argument validation, not used here and not installed.
    'class-validator',
  ],
});
