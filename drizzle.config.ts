// drizzle-kit reads this to generate SQL migrations from the table modules in schema/.
// The same migration files are applied at start by both drivers (PGlite and postgres.js).
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './schema/index.ts',
  out: './schema/migrations',
  strict: true,
  verbose: false,
});
