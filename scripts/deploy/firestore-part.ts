import type { DeployOptions } from './options';
import { enableApis, gcloud, REGION, type CommandStep, type Step } from './steps';

/**
 * Collection groups that only hold transient data, each with the timestamp after which a document
 * may go (issue #12 §9): rate-limit buckets once their window has passed (shared/rate-limit.ts),
 * mail once delivered or failed and kept long enough to answer questions (mail/model.ts, mailExpiresAt). The
 * other collections hold records the agreement asks us to keep (incidents, activity, audit log,
 * backups) or state the code depends on (counters, apiKeyIndex, noticeFanouts, breachDeadlines,
 * backupAlerts, migrations), and carry no expiry field.
 */
export const TTL_FIELDS: readonly { readonly collectionGroup: string; readonly field: string }[] = [
  { collectionGroup: 'rateLimits', field: 'expiresAt' },
  { collectionGroup: 'mail', field: 'expiresAt' },
];

/**
 * A TTL policy: Firestore deletes a document within about a day after its `field` passes (a null or
 * missing field never expires). `ACTIVE` once built; `CREATING` reads as drift until then.
 */
function ttlStep(o: DeployOptions, collectionGroup: string, field: string): CommandStep {
  const enable = gcloud(o.project, 'firestore', 'fields', 'ttls', 'update', field, `--collection-group=${collectionGroup}`, '--enable-ttl', '--async');
  return {
    kind: 'command',
    part: 'firestore',
    title: `TTL on ${collectionGroup}.${field}`,
    read: gcloud(o.project, 'firestore', 'fields', 'describe', field, `--collection-group=${collectionGroup}`, '--format=value(ttlConfig.state)'),
    expect: 'ACTIVE',
    create: enable,
    update: enable,
  };
}

/**
 * The `firestore` part: the (default) database in asia-east1 (clause 5.10; a location cannot change, so an
 * existing database elsewhere stops the run), the rules and composite indexes, and the TTL policies.
 */
export function firestorePart(o: DeployOptions): Step[] {
  return [
    enableApis('firestore', o.project, ['firestore.googleapis.com', 'firebaserules.googleapis.com']),
    {
      kind: 'command',
      part: 'firestore',
      title: `Firestore (default) database in ${REGION}`,
      read: gcloud(o.project, 'firestore', 'databases', 'describe', '--database=(default)', '--format=value(locationId)'),
      expect: REGION,
      create: gcloud(o.project, 'firestore', 'databases', 'create', `--location=${REGION}`, '--type=firestore-native'),
    },
    {
      kind: 'command',
      part: 'firestore',
      title: 'firestore.rules and firestore.indexes.json',
      create: ['npx', 'firebase', 'deploy', '--only', 'firestore:rules,firestore:indexes', '--project', o.project, '--non-interactive'],
      always: true,
    },
    ...TTL_FIELDS.map(({ collectionGroup, field }) => ttlStep(o, collectionGroup, field)),
  ];
}
