// Structured JSON logs (pino). Secrets never reach a log line: credential headers are
// redacted and token-bearing query parameters are masked in logged URLs.
import pino, { type Logger } from 'pino';

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
        err: pino.stdSerializers.err,
      },
    },
    destination,
  );
}
