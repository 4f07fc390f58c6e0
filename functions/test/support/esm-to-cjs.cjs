// A jest transform for the few ES modules the tests load from outside the functions (web/*.mjs, shared
// with the local server and the deploy). Jest on Node < 24.9 cannot require() ESM, and ts-jest keeps
// ESM syntax in a `.mjs` file, so this transpiles it to CommonJS as if it were a `.js` file.
const ts = require('typescript');

module.exports = {
  process(source, sourcePath) {
    const out = ts.transpileModule(source, {
      fileName: sourcePath.replace(/\.mjs$/, '.js'),
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, allowJs: true, inlineSourceMap: true },
    });
    return { code: out.outputText };
  },
};
