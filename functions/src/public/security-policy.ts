import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { PlainResponse } from '../spec';

let policy: string | undefined;

/**
 * The security policy that security.txt's `Policy` names (agreement clause 5.7): the README's
 * "Reporting a security issue" section, kept beside this module as `security-policy.md` (a test
 * holds the two equal; the build copies it next to the compiled module).
 */
export function securityPolicy(): PlainResponse {
  policy ??= readFileSync(path.join(__dirname, 'security-policy.md'), 'utf8');
  return {
    status: 200,
    contentType: 'text/markdown; charset=utf-8',
    body: policy,
    headers: { 'Cache-Control': 'public, max-age=3600' },
  };
}
