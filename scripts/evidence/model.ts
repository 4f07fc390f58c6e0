/** The agreement's operative clauses, in the order the report lists them (issue 17). */
export const CLAUSE_IDS = ['1.1a', '1.1b', '1.2', '1.3', '2.1', '2.2', '3.1a', '3.1b-i', '3.1b-ii', '3.1c', '3.2a', '3.2b', '5.1', '5.2', '5.3', '5.4', '5.7', '5.8', '5.10'] as const;
/** One of CLAUSE_IDS. */
export type ClauseId = (typeof CLAUSE_IDS)[number];

/** A piece of code that keeps a promise: a declared name in a repository file. */
export interface ControlRef {
  /** Repository-relative path, e.g. `functions/src/apikeys/key.ts` or `firestore.rules`. */
  readonly path: string;
  readonly symbol: string;
}

/**
 * A test that proves a control: by its full name as jest reports it (`fullName`: describe titles and
 * the test title joined by spaces), or by a pattern for the tests of a table (`it.each`).
 */
export type TestRef = { readonly file: string; readonly name: string } | { readonly file: string; readonly pattern: RegExp };

/** One clause of the reviewed map (scripts/evidence/clauses.ts). */
export interface ClauseSpec {
  readonly id: ClauseId;
  /** Quoted from /work/shared/agreement-zh-TW.md exactly as written there, and an English gloss. */
  readonly promise: { readonly 'zh-TW': string; readonly en: string };
  readonly controls: readonly ControlRef[];
  readonly tests: readonly TestRef[];
}

/** Jest's verdict on one test. */
export type TestStatus = 'passed' | 'failed' | 'pending' | 'skipped' | 'todo' | 'disabled' | 'focused';

/** A test as it ran: repository-relative file, jest's full name. */
export interface TestOutcome {
  readonly file: string;
  readonly name: string;
  readonly status: TestStatus;
  readonly durationMs: number | null;
}

/** A control as found in the repository: the line its symbol is declared on. */
export interface FoundControl extends ControlRef {
  readonly line: number;
}

/** A clause as the report shows it: its controls found in the code, its tests as they ran. */
export interface ClauseEvidence {
  readonly id: ClauseId;
  readonly promise: ClauseSpec['promise'];
  readonly controls: readonly FoundControl[];
  readonly tests: readonly (TestOutcome & { readonly line: number | null })[];
  /** Green only when at least one test is cited and every cited test passed. */
  readonly green: boolean;
}

/** Counts over every test in the results; pending, todo and disabled tests count as skipped. */
export interface Totals {
  readonly tests: number;
  readonly passed: number;
  readonly failed: number;
  readonly skipped: number;
}

/** evidence/report.json. */
export interface Report {
  readonly commit: string;
  /** Whether tracked files differ from the commit: then the tests ran on code the commit does not hold. */
  readonly uncommittedChanges: boolean;
  readonly generatedAt: string;
  readonly node: string;
  readonly clauses: readonly ClauseEvidence[];
  readonly totals: Totals;
  readonly rulesMatrix: RulesMatrix;
  readonly deploy: DeployControls;
}

/** The size of the Firestore rules matrix (functions/test/rules/rules.test.ts). */
export interface RulesMatrix {
  readonly collections: number;
  readonly principals: number;
  readonly operations: number;
  readonly states: number;
  /** collections × principals × operations × states: the cells the matrix asserts. */
  readonly cells: number;
  /** The matrix's tests (one per collection × state) in the results, and how many passed. */
  readonly tests: number;
  readonly passed: number;
}

/** What the deploy's dry run plans for the clauses it keeps (5.3, 5.4, 5.10). */
export interface DeployControls {
  readonly command: string;
  readonly tls: { readonly policy: string; readonly profile: string; readonly minTlsVersion: string };
  /** Every region or location the plan names (5.10: only asia-east1). */
  readonly regions: readonly string[];
  readonly retention: { readonly bucket: string; readonly days: number; readonly locked: boolean };
}

/**
 * The map or the results do not add up: a cited test that did not run, a control that is not
 * there. The message names every problem at once.
 */
export class EvidenceError extends Error {
  override name = 'EvidenceError';
  constructor(readonly problems: readonly string[]) {
    super(`the evidence map does not hold:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}
