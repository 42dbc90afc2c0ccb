/**
 * When a login session ends, for every holder of credentials: `idleSeconds` after its last use,
 * and never later than `absoluteSeconds` after the login.
 */
export function sessionExpiry(createdAt: string, now: Date, options: { sessionIdleSeconds: number; sessionAbsoluteSeconds: number }): string {
  const absolute = Date.parse(createdAt) + options.sessionAbsoluteSeconds * 1000;
  const idle = now.getTime() + options.sessionIdleSeconds * 1000;
  return new Date(Math.min(absolute, idle)).toISOString();
}
