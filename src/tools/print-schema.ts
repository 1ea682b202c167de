// Writes the printed SDL to schema/schema.graphql (npm run schema:print).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { printSchema } from 'graphql';
import { projectRoot } from '../core/db.js';
import { buildSchema } from '../schema.js';

const sdl = printSchema(await buildSchema()) + '\n';
writeFileSync(join(projectRoot(), 'schema', 'schema.graphql'), sdl);
process.stdout.write(`wrote schema/schema.graphql (${sdl.length} bytes)\n`);
