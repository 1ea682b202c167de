// The counters in Redis (REDIS_URL): a budget sync is one pipeline of INCRBY per key, a sign-in
// attempt one Lua script, so each key's update is atomic across processes. Keys expire on
// their own once their window is over.
import { Redis } from 'ioredis';
import type { AttemptCount, CounterStore, SpendDelta } from './store.js';

const PREFIX = 'igw:';

// KEYS: the attempt keys. ARGV: now (ms), window (ms). Returns per key: attempts, window start,
// previous attempts and previous window start (-1 when the window did not just roll over).
const COUNT_ATTEMPTS = `
local now = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
local out = {}
for i, key in ipairs(KEYS) do
  local a = redis.call('HMGET', key, 'a', 'w')
  local attempts, start = tonumber(a[1]), tonumber(a[2])
  local prevA, prevW = -1, -1
  if attempts == nil or start + window <= now then
    if attempts ~= nil then prevA, prevW = attempts, start end
    attempts, start = 1, now
  else
    attempts = attempts + 1
  end
  redis.call('HSET', key, 'a', attempts, 'w', start)
  redis.call('PEXPIRE', key, window * 2)
  out[#out + 1] = {attempts, start, prevA, prevW}
end
return out`;

const SIGNED_IN = `
redis.call('DEL', KEYS[1])
if KEYS[2] and redis.call('EXISTS', KEYS[2]) == 1 then
  local a = tonumber(redis.call('HGET', KEYS[2], 'a') or '0')
  if a > 0 then redis.call('HSET', KEYS[2], 'a', a - 1) end
end
return 1`;

export class RedisCounterStore implements CounterStore {
  readonly kind = 'redis' as const;

  private constructor(private readonly redis: Redis) {}

  /** Connects, bounded: a Redis that does not answer stops the start instead of hanging it. */
  static async connect(url: string, timeoutMs = 5_000): Promise<RedisCounterStore> {
    const redis = new Redis(url, { lazyConnect: true, connectTimeout: timeoutMs, commandTimeout: timeoutMs, maxRetriesPerRequest: 2, enableOfflineQueue: true });
    // Without a listener ioredis reports connection errors as unhandled 'error' events.
    redis.on('error', () => {});
    try {
      await redis.connect();
      await redis.ping();
    } catch (err) {
      redis.disconnect();
      throw err;
    }
    return new RedisCounterStore(redis);
  }

  async addSpend(windowStart: number, windowMs: number, deltas: readonly SpendDelta[]): Promise<Map<string, number>> {
    const totals = new Map<string, number>();
    if (deltas.length === 0) return totals;
    const pipeline = this.redis.pipeline();
    for (const d of deltas) {
      const key = `${PREFIX}budget:${windowStart}:${d.key}`;
      pipeline.incrby(key, Math.trunc(d.delta));
      pipeline.pexpire(key, windowMs * 2);
    }
    const results = (await pipeline.exec()) ?? [];
    deltas.forEach((d, i) => {
      const [err, value] = results[i * 2] ?? [new Error('no reply')];
      if (err) throw err;
      totals.set(d.key, Number(value));
    });
    return totals;
  }

  async countAttempts(keys: readonly string[], now: number, windowMs: number): Promise<AttemptCount[]> {
    const rows = (await this.redis.eval(COUNT_ATTEMPTS, keys.length, ...keys.map((k) => `${PREFIX}signin:${k}`), now, windowMs)) as number[][];
    return keys.map((key, i) => {
      const [attempts, windowStart, prevA, prevW] = rows[i]!.map(Number) as [number, number, number, number];
      return { key, attempts, windowStart, previous: prevA < 0 ? null : { attempts: prevA, windowStart: prevW } };
    });
  }

  async sweepAttempts(): Promise<{ key: string; lockedUntil: number }[]> {
    return [];
  }

  async signedIn(accountKey: string, addressKey: string | null): Promise<void> {
    const keys = [accountKey, ...(addressKey ? [addressKey] : [])].map((k) => `${PREFIX}signin:${k}`);
    await this.redis.eval(SIGNED_IN, keys.length, ...keys);
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
