// Every table module, for drizzle-kit and for the typed query builder.
export * from './users.js';
export * from './organizations.js';
export * from './groups.js';
export * from './messages.js';
export * from './auth.js';
export * from './logs.js';
export * from './outbox.js';
export * from './rate-limits.js';
export * from './sessions.js';
export * from './secrets.js';
export * from './webhooks.js';
export * from './dashboard.js';
export * from './iyo.js';
export * from './iyo-org-extras.js';
export * from './iyo-orgs.js';
export * from './sealdkeys.js';
export * from './seald-msgs.js';
