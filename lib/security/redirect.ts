// Where the portal sends someone after sign-in: only to a path of this site. A callback such as
// "/\t/evil.example" looks like a path, but browsers drop the tab and read "//evil.example", another
// host; so the value is resolved as a browser would, and accepted only if it stays on this origin
// (docs/decisions/031-web-inputs-and-sessions.md).

/** Stands in for the portal's origin when only a path is wanted: any origin gives the same answer. */
const SELF = 'http://gatehouse.invalid';

/**
 * The same-origin path (with query and fragment, percent-encoded, so safe in a Location header) a
 * callback resolves to from `origin`, or '/' for anything else: another host, another scheme,
 * a protocol-relative or malformed URL.
 */
export function safeCallbackPath(value: unknown, origin: string = SELF): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 2048) return '/';
  let base: URL;
  let url: URL;
  try {
    base = new URL(origin);
    url = new URL(value, base);
  } catch {
    return '/';
  }
  if (url.origin !== base.origin) return '/';
  const path = `${url.pathname}${url.search}${url.hash}`;
  // "/a/..//evil.example" resolves to the path "//evil.example": protocol-relative once sent back.
  if (!path.startsWith('/') || path.startsWith('//') || path.startsWith('/\\')) return '/';
  return path;
}
