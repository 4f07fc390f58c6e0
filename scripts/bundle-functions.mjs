// `npm run bundle -w functions` (also the last step of `npm run build`): the deployed source, functions/dist.
// Each function gets a folder of its own, functions/dist/<name>: its declaration in functions/src/manifest.ts,
// the code it reaches and zod as one CommonJS file; Google's libraries stay packages, installed by the Cloud
// Functions build from the generated package.json. See README "Deploy to Google Cloud".
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { ROOT } from './lib/stack.mjs';

const FUNCTIONS = path.join(ROOT, 'functions');
/** Where the deploy bundles go, one folder per function (scripts/deploy/functions-part.ts uploads each). */
export const BUNDLE_DIR = path.join(FUNCTIONS, 'dist');
const MANIFEST = path.join(FUNCTIONS, 'src', 'manifest.ts');
/** Exports of manifest.ts that are not a function's declaration. */
const NOT_FUNCTIONS = new Set(['MANIFEST', 'ENTRIES']);

/**
 * Packages left to `require()` at run time. Google's libraries load their protos and JSON by path
 * from their own folders, so they cannot be inlined; nodemailer is only required by the functions
 * that send mail, on first use (deps.ts), so it costs the others nothing as a package.
 * google-gax is named only by `require.resolve` (backups/admin-client.ts, tests only).
 */
export const EXTERNAL = ['@google-cloud/functions-framework', '@google-cloud/firestore', 'firebase-admin', 'google-auth-library', 'google-gax', 'nodemailer'];

/** Files the functions read next to their module at run time (`__dirname` is the bundle's folder). */
const RUNTIME_FILES = [path.join(FUNCTIONS, 'src', 'public', 'security-policy.md')];

/**
 * zod's `z` is a namespace object re-exported from its entry, and a namespace used as a value keeps
 * every export, `z.locales` (all ~60 languages) among them. Read as `import * as z`, each `z.x`
 * is a plain reference the bundler can follow, and what we never name is dropped. Same module, same
 * bindings: only the form of the import changes, and only in the bundle.
 */
const zodNamespace = {
  name: 'zod-namespace-import',
  setup(b) {
    b.onLoad({ filter: /[\\/]functions[\\/]src[\\/].*\.ts$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8').replace(/^import \{ z \} from 'zod';$/gm, "import * as z from 'zod';"),
      loader: 'ts',
    }));
  },
};

/**
 * The zod locale modules with code in the bundle, other than English (the language of zod's own
 * messages, which we use). The locales' index holds none: with the use cases loaded on first use it
 * stays as an empty module initialiser. `metafile.inputs` lists every file read, kept or shaken off; an output's
 * `inputs` only those with bytes in it.
 */
export const foreignZodLocales = (metafile) =>
  Object.values(metafile.outputs).flatMap((o) => Object.entries(o.inputs))
    .filter(([file, { bytesInOutput }]) => bytesInOutput > 0 && /node_modules\/zod\/.*\/locales\/(?!(?:en|index)\.js$)[^/]+\.js$/.test(file))
    .map(([file]) => file);

/** The package an import path belongs to: `firebase-admin/app` → `firebase-admin`. */
const packageOf = (specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

/** The installed version of a package, as Node would find it from functions/. */
function installedVersion(name) {
  for (const dir of [FUNCTIONS, ROOT]) {
    try {
      return JSON.parse(readFileSync(path.join(dir, 'node_modules', name, 'package.json'), 'utf8')).version;
    } catch {
      // not installed at this level
    }
  }
  throw new Error(`${name} is imported by the functions but not installed: run npm install`);
}

/** The functions manifest.ts declares, by reading its exports (every one but NOT_FUNCTIONS is a function). */
async function declaredFunctions() {
  // Read, not bundled: its `require`s of the use cases stay as they are.
  const { metafile } = await build({ entryPoints: [MANIFEST], bundle: false, write: false, metafile: true, format: 'esm', logLevel: 'warning', logOverride: { 'unsupported-require-call': 'silent' } });
  return Object.values(metafile.outputs).flatMap((o) => o.exports).filter((name) => !NOT_FUNCTIONS.has(name));
}

/**
 * The entry of one function's bundle: its declaration, registered under its name. Nothing else of
 * the manifest is imported, so the bundler drops every other declaration and the use case behind it.
 */
const functionEntry = {
  name: 'function-entry',
  setup(b) {
    b.onResolve({ filter: /^function:/ }, (args) => ({ path: args.path.slice('function:'.length), namespace: 'function-entry' }));
    b.onLoad({ filter: /.*/, namespace: 'function-entry' }, (args) => ({
      contents: [
        "import { http } from '@google-cloud/functions-framework';",
        `import { ${args.path} } from './manifest';`,
        `http('${args.path}', ${args.path}.serve('${args.path}'));`,
      ].join('\n'),
      resolveDir: path.join(FUNCTIONS, 'src'),
      loader: 'ts',
    }));
  },
};

/** The packages one bundle requires at run time, pinned to the installed versions. */
function dependenciesOf(output) {
  const required = output.imports.filter((i) => i.external && !i.path.startsWith('node:')).map((i) => packageOf(i.path));
  return Object.fromEntries([...new Set(required)].sort().map((name) => [name, installedVersion(name)]));
}

/**
 * Bundles every function into `outdir/<name>`: index.js (+ source map), the files the functions
 * read, and a package.json whose dependencies are exactly the packages that bundle requires, pinned
 * to the versions the tests ran against.
 * @throws when a bundle holds a zod locale other than English (the cold start would load it again).
 * @returns the folder, the functions' names and esbuild's metafile (what went in, what stayed external).
 */
export async function bundleFunctions({ outdir = BUNDLE_DIR } = {}) {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const names = await declaredFunctions();
  if (names.length === 0) throw new Error(`${MANIFEST} declares no function`);
  const result = await build({
    entryPoints: names.map((name) => ({ in: `function:${name}`, out: `${name}/index` })),
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    // The ES module entry where a package has one (zod): ES modules are what tree-shaking can cut.
    mainFields: ['module', 'main'],
    sourcemap: true,
    external: EXTERNAL,
    plugins: [functionEntry, zodNamespace],
    metafile: true,
    logLevel: 'warning',
  });
  const foreign = foreignZodLocales(result.metafile);
  if (foreign.length > 0) throw new Error(`zod locales other than English were bundled (${foreign.length}, e.g. ${foreign[0]}): import it as \`import { z } from 'zod'\` or \`import * as z from 'zod'\``);
  const own = JSON.parse(readFileSync(path.join(FUNCTIONS, 'package.json'), 'utf8'));
  for (const name of names) {
    const dir = path.join(outdir, name);
    const output = Object.entries(result.metafile.outputs).find(([file]) => path.resolve(file) === path.join(dir, 'index.js'))?.[1];
    if (!output) throw new Error(`esbuild wrote no bundle for ${name}`);
    for (const file of RUNTIME_FILES) copyFileSync(file, path.join(dir, path.basename(file)));
    writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify({
      name: `${own.name}-${name}`,
      version: own.version,
      private: true,
      description: 'Generated by scripts/bundle-functions.mjs: do not edit.',
      main: 'index.js',
      engines: own.engines,
      dependencies: dependenciesOf(output),
    }, null, 2)}\n`);
  }
  return { outdir, names, metafile: result.metafile };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // `--outdir <dir>` bundles elsewhere (tests); `--metafile <file>` keeps esbuild's metafile there, outside the deployed folder.
  const arg = (name) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : undefined; };
  const outdir = path.resolve(arg('outdir') ?? BUNDLE_DIR);
  const { names, metafile } = await bundleFunctions({ outdir });
  if (arg('metafile')) writeFileSync(path.resolve(arg('metafile')), JSON.stringify(metafile));
  const kib = Object.entries(metafile.outputs).filter(([file]) => file.endsWith('index.js')).map(([, o]) => o.bytes / 1024);
  console.log(`Bundled ${names.length} functions into ${path.relative(process.cwd(), outdir) || '.'}/<name> (index.js ${Math.min(...kib).toFixed(0)}–${Math.max(...kib).toFixed(0)} KiB)`);
}
