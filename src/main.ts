// Start: configuration → database → migrations → bootstrap → HTTP. Stops gracefully on
// SIGTERM/SIGINT: no new connections, in-flight requests drain, then the database closes.
// Unexpected errors meet core/last-resort.ts: logged, and the process exits (non-zero, after
// the same drain) only when its state is unknown.
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { ConfigError, loadConfig } from './config.js';
import { DATA_DIR_LOCKED_EXIT, DataDirLockedError } from './core/data-dir-lock.js';
import { applyHeapGrowth } from './core/heap.js';
import { installLastResortHandlers } from './core/last-resort.js';
import { createLogger } from './core/logger.js';
import { startGateway } from './gateway.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\nSee README.md for every environment variable.\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  // Until the server listens there is nothing to drain: exit at once.
  let exit: (code: number) => void = (code) => process.exit(code);
  installLastResortHandlers(logger, { exit: (code) => exit(code) });
  const heapGrowingPercent = applyHeapGrowth(config.heapGrowingPercent);
  const gateway = await startGateway(config, logger);
  const url = await gateway.app.listen({ port: config.port, host: config.host });
  logger.info(
    { url: `${url}/graphql`, driver: gateway.database.driver, startupMs: Math.round(performance.now()), rssMb: Math.round(process.memoryUsage().rss / 2 ** 20), heapGrowingPercent },
    'gateway listening',
  );

  let stopping = false;
  const stop = (signal: string, code = 0) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: draining requests');
    const force = setTimeout(() => {
      logger.error('shutdown timed out; exiting');
      process.exit(1);
    }, config.shutdownTimeoutMs);
    force.unref();
    gateway
      .close()
      .then(() => {
        logger.info('shutdown complete');
        process.exit(code);
      })
      .catch((err) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  exit = (code) => stop('fatal error', code);
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((err) => {
  if (err instanceof DataDirLockedError) {
    // Another process owns the embedded database: a distinct code, so scripts can tell.
    process.stderr.write(`Start refused: ${err.message}\n`);
    process.exit(DATA_DIR_LOCKED_EXIT);
  }
  process.stderr.write(`Start failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
