import { getDeps } from '../../src/deps';

/**
 * `accounts/{uid}` and every document in its subcollections, each with its update time, plus
 * `extra` facts (counts elsewhere, Auth state), as one string: equal before and after a call
 * exactly when the call wrote nothing there.
 */
export async function accountFingerprint(uid: string, ...extra: Array<string | Promise<string>>): Promise<string> {
  const account = getDeps().db.collection('accounts').doc(uid);
  const parts = [`${account.path}@${(await account.get()).updateTime?.toMillis() ?? 'none'}`];
  for (const sub of await account.listCollections()) {
    for (const doc of (await sub.get()).docs) parts.push(`${doc.ref.path}@${doc.updateTime.toMillis()}`);
  }
  parts.push(...(await Promise.all(extra.map((e) => Promise.resolve(e)))));
  return parts.sort().join('\n');
}
