import { timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { TailorError } from '../core/errors.js';

/** The API key a request carries: `x-api-key: K` or `Authorization: Bearer K`. */
export function requestKey(req: FastifyRequest): string | undefined {
  const h = req.headers['x-api-key'];
  if (typeof h === 'string' && h !== '') return h;
  const auth = req.headers.authorization;
  if (typeof auth === 'string' && auth.startsWith('Bearer ')) return auth.slice(7).trim();
  return undefined;
}

/**
 * A guard for routes that need a key: none configured means an open development server (the CLI warns);
 * otherwise a missing key is 401 UNAUTHORIZED and a wrong one 403 FORBIDDEN (compared in constant time).
 */
export function keyGuard(keys: readonly string[]): (req: FastifyRequest) => void {
  const bufs = keys.map((k) => Buffer.from(k));
  return (req) => {
    if (bufs.length === 0) return;
    const key = requestKey(req);
    if (key === undefined) throw new TailorError('UNAUTHORIZED', 'send an API key in the x-api-key header', { field: 'x-api-key' });
    const b = Buffer.from(key);
    if (!bufs.some((k) => k.length === b.length && timingSafeEqual(k, b)))
      throw new TailorError('FORBIDDEN', 'the API key is not valid', { field: 'x-api-key' });
  };
}
