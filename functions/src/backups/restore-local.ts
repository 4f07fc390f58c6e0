import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { DocumentData } from 'firebase-admin/firestore';
import type { Deps } from '../deps';
import { emulatorCountDocuments, emulatorImport } from './emulator-admin';
import { localBackupDir } from './local-store';
import type { RestoreOptions, RestoreResult } from './restore-model';

type Imported = Pick<RestoreResult, 'backupId' | 'source' | 'documents' | 'mailToSend' | 'mailKeptSent'>;

const UNSENT = ['pending', 'sending'];
const FINISHED = ['sent', 'failed'];
const BATCH = 400;

/**
 * The emulator import's input for `backup`: a backup id in the local folder, or a path to an
 * export folder or its `.overall_export_metadata` file.
 */
export function localMetadataFile(deps: Deps, backup: string): { id: string; file: string } {
  const candidates = [path.join(localBackupDir(deps.config), backup), path.resolve(process.cwd(), backup)];
  for (const candidate of candidates) {
    if (!existsSync(candidate)) continue;
    if (statSync(candidate).isFile() && candidate.endsWith('.overall_export_metadata')) return { id: path.basename(path.dirname(candidate)), file: candidate };
    if (statSync(candidate).isDirectory()) {
      const metadata = readdirSync(candidate).find((f) => f.endsWith('.overall_export_metadata'));
      if (metadata) return { id: path.basename(candidate), file: path.join(candidate, metadata) };
    }
  }
  throw new Error(`No complete local export "${backup}" (looked in ${localBackupDir(deps.config)} and at that path).`);
}

/**
 * Puts back the outbox messages the import turned from finished (as the database had them before)
 * into unsent again (as the backup has them), so deliverMail does not send them a second time.
 * Messages the database no longer had are left as the backup has them: they may never have gone.
 * @returns how many were kept finished, and how many unsent remain for deliverMail.
 */
async function keepFinishedMail(deps: Deps, before: Map<string, DocumentData>): Promise<{ kept: number; toSend: number }> {
  const unsent = await deps.db.collection('mail').where('status', 'in', UNSENT).get();
  const regressed = unsent.docs.filter((d) => before.has(d.id));
  for (let i = 0; i < regressed.length; i += BATCH) {
    const batch = deps.db.batch();
    for (const doc of regressed.slice(i, i + BATCH)) batch.set(doc.ref, before.get(doc.id) as DocumentData);
    await batch.commit();
  }
  return { kept: regressed.length, toSend: unsent.size - regressed.length };
}

/**
 * Restores a local export into the emulator's database, in place. The emulator is a developer's
 * copy, not a live system, so no flag is needed; mail the database had already delivered is kept
 * delivered (see keepFinishedMail), and reference counters heal on their own (allocateReference).
 */
export async function restoreInEmulator(deps: Deps, backup: string, options: RestoreOptions): Promise<Imported> {
  const { id, file } = localMetadataFile(deps, backup);
  const host = deps.config.FIRESTORE_EMULATOR_HOST as string;
  // Fails fast, naming the emulator, when it is not running (the client below would keep retrying).
  await emulatorCountDocuments(host, deps.config.GCLOUD_PROJECT);
  const finished = await deps.db.collection('mail').where('status', 'in', FINISHED).get();
  const before = new Map(finished.docs.map((d) => [d.id, d.data()]));
  options.onProgress?.({ phase: 'started' });
  await emulatorImport(host, deps.config.GCLOUD_PROJECT, file);
  const { kept, toSend } = await keepFinishedMail(deps, before);
  const documents = await emulatorCountDocuments(host, deps.config.GCLOUD_PROJECT);
  options.onProgress?.({ phase: 'done', completed: documents });
  return { backupId: id, source: file, documents, mailToSend: toSend, mailKeptSent: kept };
}
