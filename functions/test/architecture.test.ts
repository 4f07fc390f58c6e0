import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

/**
 * The shape of `functions/src` (README "Layout"): folders in layers, each importing only from the
 * layers below it, so a lower module never learns of a higher one. Feature folders share a layer
 * and may use each other, as long as no two of them need each other (no folder cycle).
 */
const LAYERS: readonly (readonly string[])[] = [
  ['shared'],
  ['config.ts'],
  ['deps.ts'],
  ['spec.ts'],
  ['mail'],
  ['backups'],
  ['accounts'],
  ['activity', 'apikeys', 'billing', 'breaches', 'content', 'contracts', 'identity', 'inbox', 'incidents', 'lifecycle', 'notices', 'preferences', 'public', 'records', 'suspension', 'termination'],
  ['http'],
  ['index.ts', 'manifest.ts', 'manifest-entry.ts', 'manifest-sizing.ts', 'local'],
  // The callable API's types for client apps, read off the manifest.
  ['api.ts'],
];

const SRC = resolve(__dirname, '../src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** The top-level entry (folder or root file) a source file belongs to. */
function unitOf(file: string): string {
  return relative(SRC, file).split(sep)[0] ?? '';
}

function resolveImport(from: string, specifier: string): string | null {
  if (!specifier.startsWith('.')) return null;
  const base = resolve(dirname(from), specifier);
  // Data files beside the source (package.json for the version) are not modules of ours.
  if (!base.startsWith(SRC + sep)) return null;
  for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not this one
    }
  }
  throw new Error(`${relative(SRC, from)} imports ${specifier}, which is not a source file`);
}

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly specifier: string;
}

const files = sourceFiles(SRC);
const imports: Edge[] = files.flatMap((file) =>
  ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map((i) => ({ from: file, to: i.fileName, specifier: i.fileName })),
);
const localEdges: Edge[] = imports.flatMap((edge) => {
  const target = resolveImport(edge.from, edge.specifier);
  return target ? [{ ...edge, to: target }] : [];
});

const layerOf = new Map<string, number>(LAYERS.flatMap((units, i) => units.map((u) => [u, i] as [string, number])));
const show = (e: Edge) => `${relative(SRC, e.from)} → ${relative(SRC, e.to)}`;

/** Strongly connected components of size > 1 in a directed graph (Tarjan). */
function cycles(nodes: Iterable<string>, next: (n: string) => Iterable<string>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next(v)) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const n of nodes) if (!index.has(n)) visit(n);
  return found;
}

describe('the layers of functions/src', () => {
  it('when a folder or root file exists, then it has a place in the layers', () => {
    const units = [...new Set(files.map(unitOf))].sort();
    expect(units.filter((u) => !layerOf.has(u))).toEqual([]);
  });

  it('when a module imports another, then the other is in its own layer or below', () => {
    const upward = localEdges.filter((e) => unitOf(e.from) !== unitOf(e.to) && layerOf.get(unitOf(e.to))! > layerOf.get(unitOf(e.from))!);
    expect(upward.map(show)).toEqual([]);
  });

  it('when feature folders use each other, then no two of them need each other', () => {
    const byUnit = new Map<string, Set<string>>();
    for (const e of localEdges) {
      const [a, b] = [unitOf(e.from), unitOf(e.to)];
      if (a !== b) byUnit.set(a, (byUnit.get(a) ?? new Set()).add(b));
    }
    expect(cycles(byUnit.keys(), (u) => byUnit.get(u) ?? [])).toEqual([]);
  });

  it('when files import each other, then there is no cycle among them', () => {
    const byFile = new Map<string, string[]>();
    for (const e of localEdges) byFile.set(e.from, [...(byFile.get(e.from) ?? []), e.to]);
    const relativeCycles = cycles(files, (f) => byFile.get(f) ?? []).map((c) => c.map((f) => relative(SRC, f)));
    expect(relativeCycles).toEqual([]);
  });

  it('when code speaks HTTP, then it is in http/ (or the wiring and local server above it)', () => {
    const httpAware = new Set(['http', 'index.ts', 'manifest.ts', 'manifest-entry.ts', 'local']);
    const offenders = imports.filter((e) => e.specifier === '@google-cloud/functions-framework' && !httpAware.has(unitOf(e.from)));
    expect(offenders.map((e) => relative(SRC, e.from))).toEqual([]);
  });

  it('when the layering check runs, then it sees the imports it judges', () => {
    // Guards the checks above against passing on an empty graph (a broken parser or path).
    expect(files.length).toBeGreaterThan(100);
    expect(localEdges.some((e) => unitOf(e.from) === 'http' && unitOf(e.to) === 'shared')).toBe(true);
    expect(localEdges.some((e) => unitOf(e.from) === 'termination' && unitOf(e.to) === 'accounts')).toBe(true);
  });
});
