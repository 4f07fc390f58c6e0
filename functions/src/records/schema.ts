import { z } from 'zod';
import { referencePattern } from '../incidents/reference';

/** A records-request reference, e.g. `REC-2026-000042`. */
export const recordReference = z.string().regex(referencePattern('REC'), 'must be a records-request reference such as REC-2026-000042');
