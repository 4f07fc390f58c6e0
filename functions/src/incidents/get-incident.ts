import type { z } from 'zod';
import type { Deps } from '../deps';
import { iso } from '../shared/time';
import type { IncidentDoc, IncidentStatus } from './model';
import { getIncidentInput } from './schema';
import type { Caller } from '../shared/caller';
import type { SignedInCallableSpec } from '../spec';
import { AppError } from '../shared/errors';

/** An incident as its reporter sees it: where it stands, nothing of what was written. */
export interface IncidentView {
  reference: string;
  status: IncidentStatus;
  createdAt: string;
  updatedAt: string;
}

/** Renders a stored incident for its reporter. */
export function toIncidentView(doc: IncidentDoc): IncidentView {
  return { reference: doc.reference, status: doc.status, createdAt: iso(doc.createdAt), updatedAt: iso(doc.updatedAt) };
}

/** The answer for an incident the caller may not see, the same as for one that does not exist. */
export function incidentNotFound(reference: string): AppError {
  return new AppError('INCIDENT_NOT_FOUND', `No incident ${reference} was reported from your account.`, { reference });
}

/**
 * The status of an incident, for the signed-in account that reported it (and for staff). Anyone
 * else, including for anonymous reports, gets the same NOT_FOUND as for a reference that was
 * never issued, so references cannot be probed.
 */
export async function getIncident(deps: Deps, caller: Caller, reference: string): Promise<IncidentView> {
  const doc = (await deps.db.collection('incidents').doc(reference).get()).data() as IncidentDoc | undefined;
  const staff = caller.role === 'support' || caller.role === 'admin';
  if (!doc || (!staff && doc.reporter.uid !== caller.uid)) throw incidentNotFound(reference);
  return toIncidentView(doc);
}

/** `getIncident({reference})` → `{reference, status, createdAt, updatedAt}`. Unverified reporters too. */
export const getIncidentSpec: SignedInCallableSpec<z.output<typeof getIncidentInput>, IncidentView, z.input<typeof getIncidentInput>> = {
  auth: 'required',
  allowUnverified: true,
  input: getIncidentInput,
  handler: (deps, { reference }, { caller }) => getIncident(deps, caller, reference),
};
