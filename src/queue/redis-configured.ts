/** Whether Redis is configured (--redis or $REDIS_URL): then history, locks and leases are shared through it. No ioredis import, so any command may ask. */
export function redisConfigured(option?: string): boolean {
  return Boolean(option) || Boolean(process.env.REDIS_URL);
}
