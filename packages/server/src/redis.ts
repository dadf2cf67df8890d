import { Redis } from 'ioredis';
import { kysoError } from '@kyso/core';

/**
 * A Redis connection for the service's own use (readiness, shared state). `maxRetriesPerRequest`
 * is small so a command fails fast when Redis is down instead of queueing forever; BullMQ makes its
 * own connections from the URL.
 */
export function connectRedis(url: string): Redis {
  checkRedisUrl(url);
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: true, connectTimeout: 2_000, retryStrategy: (n) => Math.min(n * 200, 2_000) });
  // Errors surface through the commands that fail; an unhandled 'error' event would crash the process.
  redis.on('error', () => {});
  return redis;
}

/** `redis://` or `rediss://` only: anything else is a usage error, not a connection attempt. */
export function checkRedisUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw kysoError('ERR_INVALID_ARGUMENT', 'the queue must be a redis:// or rediss:// URL');
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw kysoError('ERR_INVALID_ARGUMENT', 'the queue must be a redis:// or rediss:// URL');
}

/** True when Redis answers PING within `timeoutMs`. */
export async function redisAnswers(redis: Redis, timeoutMs = 1_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const pong = await Promise.race([
      redis.ping(),
      new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('timeout')), timeoutMs); }),
    ]);
    return pong === 'PONG';
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
