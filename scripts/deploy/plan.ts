import { bucketPart } from './bucket-part';
import { firestorePart } from './firestore-part';
import { frontdoorPart } from './frontdoor-part';
import { functionsPart } from './functions-part';
import { identityPart } from './identity-part';
import { inventory, type DeployableFunction } from './inventory';
import { loggingPart } from './logging-part';
import type { DeployOptions } from './options';
import { schedulerPart } from './scheduler-part';
import type { Part, Step } from './steps';
import { webPart } from './web-part';

/**
 * The whole deployment as an ordered list of steps, for the parts in `o.parts`. Pure: no
 * credentials, no network; the same options and code give the same plan.
 * @param functions what to deploy; by default every function in FUNCTIONS with its tagged kind.
 */
export function buildPlan(o: DeployOptions, functions: readonly DeployableFunction[] = inventory()): Step[] {
  const parts: Record<Part, () => Step[]> = {
    logging: () => loggingPart(o),
    functions: () => functionsPart(o, functions),
    firestore: () => firestorePart(o),
    bucket: () => bucketPart(o),
    identity: () => identityPart(o),
    scheduler: () => schedulerPart(o, functions),
    web: () => webPart(o),
    frontdoor: () => frontdoorPart(o, functions),
  };
  return o.parts.flatMap((part) => parts[part]());
}
