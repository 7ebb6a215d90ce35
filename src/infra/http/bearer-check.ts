/** Checks an `Authorization` header against a bearer token, in constant time (no timing hint of the token). */
import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (text: string) => createHash('sha256').update(text).digest();

/** A check of `Authorization: Bearer <token>` (the scheme in any case, as RFC 7235 has it). */
export function bearerCheck(token: string): (header: string | undefined) => boolean {
  const wanted = digest(token);
  return (header) => {
    const given = /^bearer\s+(.+)$/i.exec(header?.trim() ?? '')?.[1]?.trim();
    return given !== undefined && timingSafeEqual(digest(given), wanted);
  };
}
