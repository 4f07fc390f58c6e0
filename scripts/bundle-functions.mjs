// `npm run bundle -w functions` (also the last step of `npm run build`): the deployed source, functions/dist.
// functions/src/index.ts and zod become one CommonJS file; Google's libraries stay packages, installed
// by the Cloud Functions build from the generated package.json. See README "Deploy to Google Cloud".
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { ROOT } from './lib/stack.mjs';

const FUNCTIONS = path.join(ROOT, 'functions');
/** Where `gcloud functions deploy --source` takes the functions from (scripts/deploy/functions-part.ts). */
export const BUNDLE_DIR = path.join(FUNCTIONS, 'dist');

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

/**
 * Bundles the functions into `outdir`: index.js (+ source map), the files they read, and a
 * package.json whose dependencies are exactly the packages the bundle requires, pinned to the
 * versions the tests ran against.
 * @throws when the bundle holds a zod locale other than English (the cold start would load it again).
 * @returns the folder and esbuild's metafile (what went in, what stayed external).
 */
export async function bundleFunctions({ outdir = BUNDLE_DIR } = {}) {
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    entryPoints: [path.join(FUNCTIONS, 'src', 'index.ts')],
    outfile: path.join(outdir, 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node24',
    format: 'cjs',
    // The ES module entry where a package has one (zod): ES modules are what tree-shaking can cut.
    mainFields: ['module', 'main'],
    sourcemap: true,
    external: EXTERNAL,
    plugins: [zodNamespace],
    metafile: true,
    logLevel: 'warning',
  });
  const foreign = foreignZodLocales(result.metafile);
  if (foreign.length > 0) throw new Error(`zod locales other than English were bundled (${foreign.length}, e.g. ${foreign[0]}): import it as \`import { z } from 'zod'\` or \`import * as z from 'zod'\``);
  for (const file of RUNTIME_FILES) copyFileSync(file, path.join(outdir, path.basename(file)));
  const required = Object.values(result.metafile.outputs).flatMap((o) => o.imports)
    .filter((i) => i.external && !i.path.startsWith('node:')).map((i) => packageOf(i.path));
  const dependencies = Object.fromEntries([...new Set(required)].sort().map((name) => [name, installedVersion(name)]));
  const own = JSON.parse(readFileSync(path.join(FUNCTIONS, 'package.json'), 'utf8'));
  writeFileSync(path.join(outdir, 'package.json'), `${JSON.stringify({
    name: own.name,
    version: own.version,
    private: true,
    description: 'Generated by scripts/bundle-functions.mjs: do not edit.',
    main: 'index.js',
    engines: own.engines,
    dependencies,
  }, null, 2)}\n`);
  return { outdir, metafile: result.metafile };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // `--outdir <dir>` bundles elsewhere (tests); `--metafile <file>` keeps esbuild's metafile there, outside the deployed folder.
  const arg = (name) => { const i = process.argv.indexOf(`--${name}`); return i > 0 ? process.argv[i + 1] : undefined; };
  const outdir = path.resolve(arg('outdir') ?? BUNDLE_DIR);
  const { metafile } = await bundleFunctions({ outdir });
  if (arg('metafile')) writeFileSync(path.resolve(arg('metafile')), JSON.stringify(metafile));
  const bytes = Object.entries(metafile.outputs).find(([file]) => file.endsWith('index.js'))?.[1].bytes ?? 0;
  console.log(`Bundled the functions into ${path.relative(process.cwd(), outdir) || '.'} (index.js ${(bytes / 1024).toFixed(0)} KiB)`);
}
