// Structured logs carry a request id and never a password, token or key.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { maskUrl } from '../src/core/logger.js';
import { ADMIN, DRIVERS, LogCapture, startTestGateway, type TestGateway } from './helpers/gateway.js';

describe('maskUrl', () => {
  it('masks token-bearing query parameters', () => {
    expect(maskUrl('/api/v4/user?private_token=abc&x=1')).toBe('/api/v4/user?private_token=[REDACTED]&x=1');
    expect(maskUrl('/a?x=1&access_token=abc#f')).toBe('/a?x=1&access_token=[REDACTED]#f');
    expect(maskUrl('/plain')).toBe('/plain');
  });
});

describe.each(DRIVERS)('logs on %s', (driver) => {
  let t: TestGateway;
  const logs = new LogCapture();
  beforeAll(async () => {
    t = await startTestGateway(driver, { logs });
  });
  afterAll(() => t.close());

  it('are JSON lines with a request id and no secret from the request', async () => {
    const jwt = await t.login(ADMIN.username, ADMIN.password);
    await t.gql('{ viewer { id } }', {}, { token: jwt });
    await t.gql('{ viewer { id } }', {}, { token: ADMIN.token });
    await t.gw.app.inject({ method: 'GET', url: `/healthz?private_token=${ADMIN.token}`, headers: { 'private-token': ADMIN.token } });
    await t.gql('{ viewer { id } }', {}, { token: 'igw_definitely-invalid-token-value' });
    const pat = await t.gql(`mutation { createPersonalAccessToken(input: { username: "admin", name: "logged?", scopes: [API] }) { token } }`, {}, { token: jwt });
    const patValue = pat.body.data.createPersonalAccessToken.token as string;
    // Private keys are never logged either.
    const { signingKeys } = await import('../schema/auth.js');
    const [key] = await t.db.db.select().from(signingKeys);

    expect(logs.lines.length).toBeGreaterThan(5);
    for (const line of logs.lines) {
      const entry = JSON.parse(line);
      expect(entry.level).toBeTypeOf('number');
    }
    const requestLines = logs.lines.map((l) => JSON.parse(l)).filter((e) => e.req);
    expect(requestLines.length).toBeGreaterThan(3);
    expect(requestLines.every((e) => typeof e.reqId === 'string')).toBe(true);
    for (const secret of [ADMIN.password, ADMIN.token, jwt, patValue, 'igw_definitely-invalid-token-value', key!.privateKeyPem.split('\n')[1]!]) {
      expect(logs.text).not.toContain(secret);
    }
  });
});
