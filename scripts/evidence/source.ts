import ts from 'typescript';

/**
 * Every top-level name `text` declares (function, class, interface, type, enum, const/let/var,
 * namespace), with its 1-based line: read with TypeScript's parser, so a name that only occurs in a
 * comment, a string or a call does not count. Firestore rules files: their `function` declarations.
 */
export function declaredSymbols(fileName: string, text: string): Map<string, number> {
  const found = new Map<string, number>();
  if (fileName.endsWith('.rules')) {
    text.split('\n').forEach((line, i) => {
      const m = /^\s*function\s+([A-Za-z_]\w*)\s*\(/.exec(line);
      if (m?.[1] && !found.has(m[1])) found.set(m[1], i + 1);
    });
    return found;
  }
  const kind = /\.m?jsx?$|\.cjs$/.test(fileName) ? ts.ScriptKind.JS : ts.ScriptKind.TS;
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, kind);
  const add = (name: ts.Node | undefined): void => {
    if (!name) return;
    if (ts.isIdentifier(name)) {
      if (!found.has(name.text)) found.set(name.text, source.getLineAndCharacterOfPosition(name.getStart(source)).line + 1);
    } else if (ts.isObjectBindingPattern(name) || ts.isArrayBindingPattern(name)) {
      for (const element of name.elements) if (ts.isBindingElement(element)) add(element.name);
    }
  };
  for (const statement of source.statements) {
    if (ts.isVariableStatement(statement)) statement.declarationList.declarations.forEach((d) => add(d.name));
    else if (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isInterfaceDeclaration(statement) ||
      ts.isTypeAliasDeclaration(statement) || ts.isEnumDeclaration(statement) || ts.isModuleDeclaration(statement)) add(statement.name);
  }
  return found;
}

/** A test as written in its file: the full name jest will report, as a pattern, and where it is. */
export interface TestTemplate {
  /** Matches the `fullName` jest reports; `.each` placeholders and computed titles match anything. */
  readonly fullName: RegExp;
  /** The full name as written (placeholders such as `%s` kept). */
  readonly written: string;
  readonly line: number;
}

const BLOCKS = new Set(['describe', 'it', 'test']);
// Jest's printf placeholders in `.each` titles, and `$name` for tables of objects.
const PLACEHOLDER = /%[sdifjop#]|\$[A-Za-z_][\w.]*/g;

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A title argument as written and as a regex source: literals exactly, anything computed as `.*`. */
function title(node: ts.Expression | undefined, isEach: boolean): { written: string; regex: string } {
  if (node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))) {
    if (!isEach) return { written: node.text, regex: escape(node.text) };
    const parts = node.text.split(PLACEHOLDER);
    return { written: node.text, regex: parts.map(escape).join('.*') };
  }
  if (node && ts.isTemplateExpression(node)) {
    const pieces = [node.head.text, ...node.templateSpans.map((s) => s.literal.text)];
    return { written: pieces.join('${…}'), regex: pieces.map(escape).join('.*') };
  }
  return { written: '…', regex: '.*' };
}

/** The block function a call invokes (`describe`, `it`, `test`), through `.each(…)`, `.only`, `.skip`. */
function block(call: ts.CallExpression): { name: string; isEach: boolean } | null {
  let callee: ts.Expression = call.expression;
  let isEach = false;
  if (ts.isCallExpression(callee) || ts.isTaggedTemplateExpression(callee)) {
    const inner = ts.isCallExpression(callee) ? callee.expression : callee.tag;
    if (!ts.isPropertyAccessExpression(inner) || inner.name.text !== 'each') return null;
    isEach = true;
    callee = inner.expression;
  }
  while (ts.isPropertyAccessExpression(callee)) callee = callee.expression;
  return ts.isIdentifier(callee) && BLOCKS.has(callee.text) ? { name: callee.text, isEach } : null;
}

/** Every test a jest test file declares, with the describe titles around it. */
export function testTemplates(fileName: string, text: string): TestTemplate[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: TestTemplate[] = [];
  const visit = (node: ts.Node, outer: readonly { written: string; regex: string }[]): void => {
    if (ts.isCallExpression(node)) {
      const b = block(node);
      if (b) {
        const t = title(node.arguments[0], b.isEach);
        const chain = [...outer, t];
        if (b.name === 'describe') {
          node.arguments.slice(1).forEach((arg) => visit(arg, chain));
        } else {
          const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
          found.push({ fullName: new RegExp(`^${chain.map((c) => c.regex).join(' ')}$`, 's'), written: chain.map((c) => c.written).join(' '), line });
        }
        return;
      }
    }
    ts.forEachChild(node, (child) => visit(child, outer));
  };
  visit(source, []);
  return found;
}
