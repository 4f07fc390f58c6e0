// `npm run evidence [-- --results <jest-results.json>]...`: for each operative clause of the agreement, the
// control that keeps it and the tests that prove it, at this commit (evidence/report.json, evidence/index.html).
import path from 'node:path';
import { CLAUSES } from './evidence/clauses';
import { evidenceMain, runJest } from './evidence/main';

const root = path.resolve(__dirname, '..');

evidenceMain(process.argv.slice(2), {
  root,
  outDir: path.join(root, 'evidence'),
  clauses: CLAUSES,
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
  now: () => new Date(),
  runTests: runJest(root),
}).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`evidence: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
