// Start: configuration → database → migrations → bootstrap → HTTP. Stops gracefully on
// SIGTERM/SIGINT: no new connections, in-flight requests drain, then the database closes.
import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { ConfigError, loadConfig } from './config.js';
import { applyHeapGrowth } from './core/heap.js';
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
  const heapGrowingPercent = applyHeapGrowth(config.heapGrowingPercent);
  const gateway = await startGateway(config, logger);
  const url = await gateway.app.listen({ port: config.port, host: config.host });
  logger.info(
    { url: `${url}/graphql`, driver: gateway.database.driver, startupMs: Math.round(performance.now()), rssMb: Math.round(process.memoryUsage().rss / 2 ** 20), heapGrowingPercent },
    'gateway listening',
  );

  let stopping = false;
  const stop = (signal: string) => {
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
        process.exit(0);
      })
      .catch((err) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`Start failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
