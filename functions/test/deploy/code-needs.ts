import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(__dirname, '../../src');

/** What a function's code can do, found by reading the modules it reaches. */
export interface CodeNeeds {
  /** Reads the Firestore database. */
  readonly db: boolean;
  /** Writes it (transactions, batches, create/update/delete). */
  readonly dbWrites: boolean;
  /** Looks users up in Firebase Auth (getUser), or verifies ID tokens with the revocation check. */
  readonly authRead: boolean;
  /** Disables users, revokes tokens, sets claims or deletes users. */
  readonly authAdmin: boolean;
  /** Sends mail over SMTP itself (`deps.mailer`), not only into the outbox. */
  readonly smtp: boolean;
  /** Starts or follows managed Firestore exports. */
  readonly export: boolean;
  /** Where each need was found, for failure messages. */
  readonly where: Readonly<Record<string, string>>;
}

const MARKERS = {
  db: /\bdeps\.db\b|\bdb\.collection\(/,
  dbWrites: /runTransaction\(|\.batch\(\)|bulkWriter\(|\btx\.(?:set|create|update|delete)\(|(?<!Object)\.create\(|\.update\(\{|\.delete\(\)/,
  authRead: /\.getUser\(|\.getUserByEmail\(|\.verifyIdToken\(/,
  authAdmin: /\.(?:updateUser|revokeRefreshTokens|setCustomUserClaims|deleteUser|deleteUsers)\(/,
  smtp: /\bdeps\.mailer\b/,
  export: /\bfirestoreAdminClient\(/,
} as const;

/** The text of a module without comments, so a comment naming `deps.mailer` is not a need. */
function code(file: string): string {
  return readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').split('\n').filter((l) => !l.trim().startsWith('//')).join('\n');
}

/** Relative modules `file` imports for their values (`import type` does not run anything). */
function imports(file: string): string[] {
  const statements = code(file).matchAll(/^\s*(?:import|export)\s+(?!type\b)[^;]*?\bfrom\s+'(\.[^']+)'/gm);
  return [...statements].flatMap((m) => {
    const base = path.resolve(path.dirname(file), m[1] ?? '');
    return [`${base}.ts`, path.join(base, 'index.ts')].filter(existsSync).slice(0, 1);
  });
}

function reach(file: string, seen = new Set<string>()): Set<string> {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const next of imports(file)) reach(next, seen);
  return seen;
}

/**
 * Whether the wrapper verifies an ID token before the use case runs: a callable unless its spec
 * says `auth: 'none'`, and every authenticated GET (stream).
 */
function authenticates(helper: string, spec: unknown): boolean {
  if (helper === 'streamFunction') return true;
  return helper === 'callableFunction' && (spec as { auth?: string }).auth !== 'none';
}

/**
 * The needs of every function in functions/src/manifest.ts, from the module of the use case it
 * declares (its spec or handler) and everything that module imports, plus the API-key verifier
 * where the spec accepts keys. The HTTP wrapper's own modules are left out: whether it verifies
 * an ID token depends on the spec, which `authenticates` reads.
 * A static reading: a need behind an import that never runs still counts (the safe direction).
 */
export function codeNeeds(): Map<string, CodeNeeds> {
  const manifest = readFileSync(path.join(SRC, 'manifest.ts'), 'utf8');
  const moduleOf = new Map<string, string>();
  for (const m of manifest.matchAll(/^import \{([^}]+)\} from '(\.[^']+)';$/gm)) {
    // `name` or `name as local`: the manifest uses the local name.
    for (const name of (m[1] ?? '').split(',').map((n) => n.trim().split(/\s+as\s+/).pop() ?? '')) moduleOf.set(name, path.resolve(SRC, `${m[2] ?? ''}.ts`));
  }
  // Use cases loaded on first use: `const name = () => (require('./module') as …).name;`
  for (const m of manifest.matchAll(/^const (\w+) = \(\) => \(require\('(\.[^']+)'\)/gm)) moduleOf.set(m[1] ?? '', path.resolve(SRC, `${m[2] ?? ''}.ts`));
  const helpers = new Set(['callableFunction', 'publicFunction', 'blockingFunction', 'scheduledFunction', 'streamFunction']);
  const needs = new Map<string, CodeNeeds>();
  // One declaration per function: `export const name = /* @__PURE__ */ helper(use case, { facts… });`, possibly over several lines.
  for (const m of manifest.matchAll(/^export const (\w+) = \/\* @__PURE__ \*\/ (\w+)\(([\s\S]*?)\);$/gm)) {
    const [, name = '', helper = '', rest = ''] = m;
    const entries = [...rest.matchAll(/\b(\w+)\b/g)].map((t) => t[1] ?? '').filter((t) => !helpers.has(t) && moduleOf.has(t) && !/^[A-Z_]+$/.test(t) && !moduleOf.get(t)?.endsWith('manifest-sizing.ts'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the spec object itself says whether the caller signs in
    const spec: unknown = entries.length === 1 ? (require(moduleOf.get(entries[0] ?? '') ?? '') as Record<string, unknown>)[entries[0] ?? ''] : undefined;
    const acceptsKeys = (spec as { apiKey?: boolean } | undefined)?.apiKey === true;
    const files = new Set([...entries.map((e) => moduleOf.get(e) ?? ''), ...(acceptsKeys ? [path.join(SRC, 'apikeys/authenticate.ts')] : [])]
      .flatMap((file) => [...reach(file)]));
    const where: Record<string, string> = {};
    for (const file of files) {
      const text = code(file);
      for (const [need, pattern] of Object.entries(MARKERS)) if (!where[need] && pattern.test(text)) where[need] = path.relative(SRC, file);
    }
    if (authenticates(helper, spec)) where.authRead ??= 'http/auth.ts (ID tokens are verified with the revocation check)';
    needs.set(name, {
      db: where.db !== undefined, dbWrites: where.dbWrites !== undefined, authRead: where.authRead !== undefined,
      authAdmin: where.authAdmin !== undefined, smtp: where.smtp !== undefined, export: where.export !== undefined, where,
    });
  }
  return needs;
}
