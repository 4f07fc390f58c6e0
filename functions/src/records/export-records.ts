import { z } from 'zod';
import { actorOf, recordActivity } from '../accounts/activity-log';
import type { Deps } from '../deps';
import type { Caller } from '../shared/caller';
import { AppError } from '../shared/errors';
import type { NdjsonStream, StreamSpec } from '../spec';
import { recordReference } from './schema';
import { chunkId, RECORD_BUNDLES, type RecordChunkDoc, type RecordRequestDoc } from './model';

const query = z.object({ reference: recordReference }).strict();
type ExportRecordsQuery = z.output<typeof query>;

/**
 * The owner's fulfilled records request (clause 5.8). Someone else's reference is answered as one
 * that does not exist, so references cannot be probed; a request support has not fulfilled yet
 * says so.
 */
async function fulfilledRequest(deps: Deps, caller: Caller, reference: string): Promise<RecordRequestDoc & { bundle: NonNullable<RecordRequestDoc['bundle']> }> {
  const request = (await deps.db.collection('recordRequests').doc(reference).get()).data() as RecordRequestDoc | undefined;
  if (!request || request.uid !== caller.uid) {
    throw new AppError('RECORD_REQUEST_NOT_FOUND', `No records request ${reference} was made from your account.`, { reference });
  }
  if (request.status !== 'fulfilled' || !request.bundle) {
    throw new AppError('RECORDS_NOT_FULFILLED', `Records request ${reference} has not been fulfilled yet: support will mail you when the records are ready.`, {
      reference,
      status: request.status,
    });
  }
  return { ...request, bundle: request.bundle };
}

/**
 * `GET exportRecords?reference=REC-…`: the records of a fulfilled request, as they were when
 * support fulfilled it (an immutable bundle), streamed chunk by chunk as NDJSON. Records are not
 * customer content, so the payment rule of clause 3.2(b) does not apply; suspended and terminated
 * users cannot present a valid ID token anyway. Each download is logged on the account.
 */
export async function exportRecords(deps: Deps, caller: Caller, reference: string): Promise<NdjsonStream> {
  const { bundle } = await fulfilledRequest(deps, caller, reference);
  const chunks = deps.db.collection(RECORD_BUNDLES).doc(bundle.id).collection('chunks');
  return {
    filename: `orderpally-records-${reference}.ndjson`,
    pipeTo: async (write) => {
      let sent = 0;
      try {
        for (let index = 0; index < bundle.chunks; index += 1) {
          const chunk = (await chunks.doc(chunkId(index)).get()).data() as RecordChunkDoc | undefined;
          if (!chunk) throw new Error(`records bundle ${bundle.id} lacks chunk ${index}`);
          await write(chunk.text);
          sent += 1;
        }
      } finally {
        const complete = sent === bundle.chunks;
        deps.log.log(complete ? 'INFO' : 'WARNING', 'records.downloaded', { reference, uid: caller.uid, complete });
        await deps.db
          .runTransaction(async (tx) => {
            recordActivity(tx, deps.db, caller.uid, deps.clock.now(), { actor: actorOf(caller), action: 'records.downloaded', details: { reference, complete } });
          })
          .catch((error: unknown) => deps.log.log('ERROR', 'records.download_activity_failed', { reference, uid: caller.uid, error }));
      }
    },
  };
}

/** `GET exportRecords?reference=REC-…` with the owner's ID token (no API key: records are asked for by people). */
export const exportRecordsSpec: StreamSpec<ExportRecordsQuery> = {
  query,
  open: (deps, { caller }, { reference }) => exportRecords(deps, caller, reference),
};
