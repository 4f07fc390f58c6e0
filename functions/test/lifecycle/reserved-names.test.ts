import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { RESERVED_SUBCOLLECTIONS } from '../../src/accounts/model';

const SRC = path.resolve(__dirname, '../../src');

function sources(dir: string): Array<{ file: string; text: string }> {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return sources(full);
    return full.endsWith('.ts') ? [{ file: path.relative(SRC, full), text: readFileSync(full, 'utf8') }] : [];
  });
}

describe('reserved names are trusted only at accounts/{uid}/<reserved> (DESIGN §3)', () => {
  it('when code runs a collection-group query, then never over a reserved name, whose namesakes deeper down are customer content', () => {
    const groups = sources(SRC).flatMap(({ file, text }) => [...text.matchAll(/collectionGroup\(\s*([^)]*)\)/g)].map((m) => ({ file, group: (m[1] ?? '').trim() })));
    const reserved = groups.filter(({ group }) => RESERVED_SUBCOLLECTIONS.some((name) => group.includes(name)) || !/^'[^']+'$/.test(group));
    expect(reserved).toEqual([]);
  });
});
