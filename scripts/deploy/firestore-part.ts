import type { DeployOptions } from './options';
import { enableApis, gcloud, REGION, type Step } from './steps';

/**
 * Part 2: the (default) database in asia-east1 (clause 5.10; a location cannot change, so an
 * existing database elsewhere stops the run), then the rules and composite indexes.
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
  ];
}
