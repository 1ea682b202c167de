// Every table module, for drizzle-kit and for the typed query builder.
export * from './users.js';
export * from './organizations.js';
export * from './auth.js';
export * from './logs.js';
