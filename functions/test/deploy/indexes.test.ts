import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');

interface IndexSpec {
  collectionGroup: string;
  queryScope: 'COLLECTION' | 'COLLECTION_GROUP';
  fields: { fieldPath: string }[];
}

function sources(dir: string): { file: string; text: string }[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return sources(full);
    return full.endsWith('.ts') ? [{ file: path.relative(ROOT, full), text: readFileSync(full, 'utf8') }] : [];
  });
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const indexes = (JSON.parse(readFileSync(path.join(ROOT, 'firestore.indexes.json'), 'utf8')) as { indexes: IndexSpec[] }).indexes;
const code = sources(path.join(ROOT, 'functions/src'));

/** The fields a query statement filters or orders on (string field paths only; document-id ordering needs no index). */
function queriedFields(statement: string): string[] {
  return [...new Set([...statement.matchAll(/\.(?:where|orderBy)\(\s*'([^']+)'/g)].map((m) => m[1] ?? ''))];
}

describe('firestore.indexes.json', () => {
  it('when an index is declared, then a comment beside its query names it as collection (fields)', () => {
    for (const index of indexes) {
      // A field may carry its direction: backups(state, startedAt desc).
      const fields = index.fields.map((f) => `${escape(f.fieldPath)}(?:\\s+(?:asc|desc)\\w*)?`).join('\\s*,\\s*');
      const scope = index.queryScope === 'COLLECTION_GROUP' ? '\\s*COLLECTION_GROUP' : '';
      const named = new RegExp(`${escape(index.collectionGroup)}${scope}\\s*\\(\\s*${fields}\\s*\\)`, 'i');
      expect([index.collectionGroup, index.fields.map((f) => f.fieldPath), code.filter((c) => named.test(c.text)).length > 0])
        .toEqual([index.collectionGroup, index.fields.map((f) => f.fieldPath), true]);
    }
  });

  it('when code queries on two or more fields, then a composite index over exactly those fields exists', () => {
    const needs = code.flatMap(({ file, text }) => text.split(/;|,\s*\n/).map((statement) => ({ file, fields: queriedFields(statement) })))
      .filter((q) => q.fields.length >= 2);
    expect(needs.length).toBeGreaterThanOrEqual(6);
    for (const need of needs) {
      const match = indexes.some((i) => [...i.fields.map((f) => f.fieldPath)].sort().join() === [...need.fields].sort().join());
      expect({ ...need, indexed: match }).toEqual({ ...need, indexed: true });
    }
  });
});
