/** Longest termination reason, in characters (clause 3.1 notices quote it). */
export const MAX_TERMINATION_REASON_CHARS = 500;
