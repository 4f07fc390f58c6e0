import { loadUsableAccount } from '../accounts/load';
import type { Deps } from '../deps';
import { documentIdPath } from '../shared/firestore-values';
import { z } from 'zod';
import type { Caller } from '../http/auth';
import type { CallableSpec } from '../http/callable';
import { iso } from '../shared/time';
import type { ApiKeyDoc } from './model';

/** One key as its owner sees it: never the key itself, never its hash (clause 1.3). */
export interface ApiKeyView {
  keyId: string;
  label: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** Renders a stored key for its owner. Fields are picked one by one so `hash` can never leak. */
export function toApiKeyView(keyId: string, doc: ApiKeyDoc): ApiKeyView {
  return {
    keyId,
    label: doc.label,
    prefix: doc.prefix,
    createdAt: iso(doc.createdAt),
    lastUsedAt: iso(doc.lastUsedAt ?? null),
    revokedAt: iso(doc.revokedAt ?? null),
  };
}

/** Every key of the account, live and revoked, newest first. */
export async function listApiKeys(deps: Deps, caller: Caller): Promise<{ keys: ApiKeyView[] }> {
  await loadUsableAccount(deps, caller, 'listApiKeys');
  const snap = await deps.db
    .collection('accounts')
    .doc(caller.uid)
    .collection('apiKeys')
    .orderBy('createdAt', 'desc')
    .orderBy(documentIdPath(), 'desc')
    .get();
  return { keys: snap.docs.map((d) => toApiKeyView(d.id, d.data() as ApiKeyDoc)) };
}

/** `listApiKeys()` → `{keys[]}`. ID token only: a key must not be able to enumerate keys. */
export const listApiKeysSpec: CallableSpec<unknown, { keys: ApiKeyView[] }> = {
  auth: 'required',
  input: z.union([z.null(), z.undefined(), z.object({}).strict()]),
  handler: (deps, _input, { caller }) => listApiKeys(deps, caller as Caller),
};
