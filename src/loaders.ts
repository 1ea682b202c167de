// Every DataLoader, built fresh per request so caching never crosses callers.
import type { Database } from './core/db.js';
import { createAuthLoaders } from './modules/auth/auth.loaders.js';
import { createUserLoaders } from './modules/users/user.loaders.js';

export const createLoaders = (db: Database) => ({
  ...createUserLoaders(db),
  ...createAuthLoaders(db),
});

export type Loaders = ReturnType<typeof createLoaders>;
