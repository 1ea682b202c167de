// Assembles one gateway process from a configuration: used by main.ts and by the tests, so
// both run exactly the same start-up path.
import 'reflect-metadata';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { loadServerSettings } from './core/auth/server-secrets.js';
import { AccessTokens } from './core/auth/jwt.js';
import { openDatabase, type DbHandle } from './core/db.js';
import { RateLimits } from './core/rate-limit/index.js';
import { recordLiftedLocks } from './modules/auth/auth.service.js';
import { sealStoredSecrets } from './modules/bootstrap/seal-secrets.js';
import { bootstrap } from './modules/bootstrap/bootstrap.service.js';
import { startOutboxWorker } from './modules/outbox/outbox.worker.js';
import { NotificationFeed } from './core/events/feed.js';
import { EVENT_LOG_CHANNEL, EventLogStream } from './modules/logs/event-log.live.js';
import { createServer } from './server.js';
import type { AppDeps } from './context.js';

export interface Gateway {
  app: FastifyInstance;
  database: DbHandle;
  deps: AppDeps;
  close(): Promise<void>;
}

export interface StartOptions {
  /** An already-open database (tests); otherwise opened from the configuration. */
  database?: DbHandle;
  print?: (line: string) => void;
}

export async function startGateway(config: Config, logger: Logger, opts: StartOptions = {}): Promise<Gateway> {
  const database =
    opts.database ??
    (await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolMax: config.databasePoolMax, planCacheMode: config.databasePlanCacheMode, faults: config.databaseFaults }));
  try {
    await database.migrate();
    // Services read these per database (core/auth/server-secrets.ts): the HMAC key of contact
    // validation codes, how long a code lives, the password policy.
    await loadServerSettings(database.db, config);
    await bootstrap(database.db, config, opts.print);
    // With MASTER_KEY, the services' secrets stored before it was set are sealed now.
    await sealStoredSecrets(database.db, config.masterKey);
    const accessTokens = await AccessTokens.load(database.db, {
      masterKey: config.masterKey,
      privateKeyPem: config.jwt.privateKeyPem,
      issuer: config.jwt.issuer,
      ttlSeconds: config.jwt.accessTokenTtlSeconds,
    });
    const rateLimits = await RateLimits.open(database.db, config, logger);
    rateLimits.signIn.startSweeping(
      (locks) => recordLiftedLocks(database.db, locks),
      (err) => logger.warn({ err }, 'sign-in throttle sweep failed; the next one retries'),
    );
    // Every event-log row committed by any process on the database is heard here (one LISTEN):
    // subscriptions stream them, and revocations drop cached credentials at once (server.ts).
    const feed = new NotificationFeed(database, EVENT_LOG_CHANNEL, logger);
    const liveEvents = new EventLogStream(database.db, feed, config.subscriptions, (err) => logger.warn({ err }, 'live event delivery failed'));
    const deps: AppDeps = { db: database.db, config, accessTokens, rateLimits, liveEvents };
    const app = await createServer({ config, database, deps, logger, feed }).catch(async (err) => {
      await rateLimits.close();
      await feed.close();
      throw err;
    });
    await app.ready();
    // Delivers queued email when SMTP_URL is set; otherwise messages stay readable in the outbox.
    const outboxWorker = startOutboxWorker(database, config, logger);
    return {
      app,
      database,
      deps,
      async close() {
        await app.close();
        liveEvents.close();
        await feed.close();
        // After the last request: its spend reaches the shared counters before the database closes.
        await rateLimits.close();
        await outboxWorker?.stop();
        await database.close();
      },
    };
  } catch (err) {
    await database.close().catch(() => {});
    throw err;
  }
}
