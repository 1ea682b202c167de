// Structured JSON logs (pino). Secrets never reach a log line: credential headers are
// redacted, token-bearing query parameters are masked in logged URLs, and logged errors carry
// no statement parameters.
import pino, { type Logger } from 'pino';
import { sqlStateOf, withoutStatementParameters } from './sql-errors.js';

const SECRET_QUERY = /([?&](?:private_token|access_token|token|password|secret)=)[^&#]*/gi;

export const maskUrl = (url: string): string => url.replace(SECRET_QUERY, '$1[REDACTED]');

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'identity-graph-gateway' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: [
          'req.headers.authorization',
          'req.headers.cookie',
          'req.headers["private-token"]',
          'req.headers["x-api-key"]',
          'req.headers["x-dashboard-api-key"]',
          'res.headers["set-cookie"]',
          'password',
          'token',
          '*.password',
          '*.token',
          '*.accessToken',
          'variables',
        ],
        censor: '[REDACTED]',
      },
      serializers: {
        req: (req: { method: string; url: string; id?: string; ip?: string }) => ({ method: req.method, url: maskUrl(req.url), ip: req.ip }),
        // Database errors lose the values their statement ran with (core/sql-errors.ts) and
        // show their SQLSTATE and constraint, which pino would leave in the cause.
        err: (err: Error) => ({ ...pino.stdSerializers.err(withoutStatementParameters(err) as Error), ...sqlStateOf(err) }),
      },
    },
    destination,
  );
}
