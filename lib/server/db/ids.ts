import 'server-only';
import { randomBytes } from 'node:crypto';

/**
 * A lower-case, URL- and IAM-name-safe id, known before the row is written (a grant's policy is
 * named after its id). 'g' + time (base36) + 12 random base36 characters.
 */
export function createId(): string {
  const random = Array.from(randomBytes(12), (b) => (b % 36).toString(36)).join('');
  return `g${Date.now().toString(36)}${random}`;
}
