/**
 * Parses an HTTP Basic Authorization header (RFC 7617): base64 of
 * "user-id:password", split at the FIRST colon (user ids cannot contain one;
 * passwords can), UTF-8.
 */
export type BasicCredentials = { username: string; password: string };

const MAX_HEADER = 1024;

export function parseBasicAuth(header: string | undefined): BasicCredentials | 'missing' | 'malformed' {
  if (header === undefined || header === '') return 'missing';
  if (header.length > MAX_HEADER) return 'malformed';
  const match = /^Basic[ ]+([A-Za-z0-9+/]+={0,2})[ ]*$/i.exec(header);
  if (!match?.[1] || match[1].length % 4 !== 0) return 'malformed';
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0) return 'malformed';
  const username = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  // Control characters are not allowed in either part (RFC 7617 §2).
  if (/[\u0000-\u001f\u007f]/.test(decoded) || password === '') return 'malformed';
  return { username, password };
}
