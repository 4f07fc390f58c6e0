import { documentId, multiLineText } from '../shared/input';

/** Longest breach description, in characters. */
export const MAX_BREACH_DESCRIPTION_CHARS = 2_000;

/** A breach id as `adminRecordBreach` returned it. */
export const breachId = documentId('breach id');

/** A breach description: free text, trimmed, 1–2,000 characters. */
export const breachDescription = multiLineText(MAX_BREACH_DESCRIPTION_CHARS);
