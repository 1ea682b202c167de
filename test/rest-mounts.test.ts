// REST_MOUNTS moves, doubles and turns off REST dialects; the OpenAPI documents follow.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { ADMIN, DRIVERS, startTestGateway, type TestGateway } from './helpers/gateway.js';

describe('REST_MOUNTS', () => {
  it('parses name=/path pairs, off and the root', () => {
    expect(loadConfig({}).restMounts).toEqual({});
    expect(loadConfig({ REST_MOUNTS: ' gitlab=/gl/api/v4 , gitlab=/api/v4,oisp=off,accounts=/' }).restMounts).toEqual({ gitlab: ['/gl/api/v4', '/api/v4'], oisp: [], accounts: [''] });
  });

  it('refuses unknown dialects, bad paths and shared mounts, naming each', () => {
    for (const [value, says] of [
      ['nope=/x', 'dialects: oisp, accounts, gitlab, gitlab-v3'],
      ['gitlab', 'is not <dialect>=<path>'],
      ['gitlab=/api/v4/', 'no trailing slash'],
      ['gitlab=api', 'must be / or a path'],
      ['gitlab=/a b', 'must be / or a path'],
      ['gitlab=/api/../x', 'must be / or a path'],
      ['gitlab=/api,gitlab-v3=/api', 'cannot share the mount'],
    ] as const) {
      const err = (() => {
        try {
          loadConfig({ REST_MOUNTS: value });
        } catch (e) {
          return e;
        }
      })();
      expect(err, value).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).problems.join('\n'), value).toMatch(new RegExp(`REST_MOUNTS: .*${says.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    }
  });
});

describe.each(DRIVERS)('dialects at configured mounts on %s', (driver) => {
  let t: TestGateway;
  beforeAll(async () => {
    t = await startTestGateway(driver, { env: { REST_MOUNTS: 'gitlab=/gl/api/v4,gitlab=/api/v4,oisp=off,accounts=/legacy' } });
  });
  afterAll(() => t.close());
  const get = (url: string) => t.gw.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${ADMIN.token}` } });

  it('answers at every configured mount and nowhere else', async () => {
    for (const url of ['/gl/api/v4/user', '/api/v4/user']) expect((await get(url)).json(), url).toMatchObject({ username: 'admin' });
    expect((await get('/legacy/accounts/organizations/')).json()).toMatchObject({ count: expect.any(Number), results: expect.any(Array) });
    expect((await get('/accounts/organizations/')).statusCode).toBe(404);
    expect((await get(`/v1/api/invites/${ADMIN.email}`)).statusCode).toBe(404);
    // Not named in REST_MOUNTS: its default.
    expect((await get('/api/v3/user')).json()).toMatchObject({ username: 'admin' });
  });

  it('describes the first mount in OpenAPI, and serves none for a dialect turned off', async () => {
    const gitlab = (await get('/openapi/gitlab.json')).json();
    expect(Object.keys(gitlab.paths)).toContain('/gl/api/v4/users');
    expect(Object.keys((await get('/openapi/accounts.json')).json().paths)).toContain('/legacy/accounts/organizations/');
    expect((await get('/openapi/oisp.json')).statusCode).toBe(404);
  });
});
