/**
 * The build: tsc's own compile of tsconfig.json, plus one transform.
 *
 * Module-scope numeric constants (`export const W_PHASE = 2`, and constants
 * computed from others: `LINE_WORDS * 4`) are folded into the emitted
 * JavaScript wherever they are used, as TypeScript folds a const enum. The
 * source names each constant once; the hot loop gets a literal. V8 cannot
 * fold these itself: an exported binding lives in a module cell, and every
 * use is a load and a check that the binding is initialised (measured: a
 * four-level table walk takes 612 instructions with them and 360 without).
 *
 *   node scripts/build.mjs            build dist/ (every file, every time)
 */
import ts from 'typescript';
import { chmodSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const configPath = ts.findConfigFile(root, ts.sys.fileExists, 'tsconfig.json');
const parsed = ts.getParsedCommandLineOfConfigFile(configPath, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => fail([d]) });
// Every file is emitted every time (no incremental build): a folded constant's
// new value must reach every file that uses it, whose own types did not change.
const options = { ...parsed.options, incremental: false, tsBuildInfoFile: undefined };
const program = ts.createProgram({ rootNames: parsed.fileNames, options, projectReferences: parsed.projectReferences });
const checker = program.getTypeChecker();

function fail(diagnostics) {
  process.stderr.write(ts.formatDiagnosticsWithColorAndContext(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' }));
  process.exit(1);
}

/** The value of a foldable constant declaration, or undefined. */
const cache = new Map();
function constantOf(symbol, depth = 0) {
  if (!symbol || depth > 20) return undefined;
  if (symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  if (cache.has(symbol)) return cache.get(symbol);
  let value;
  const decl = symbol.valueDeclaration;
  if (decl && ts.isVariableDeclaration(decl) && decl.initializer && ts.isIdentifier(decl.name)) {
    const list = decl.parent;
    const stmt = list?.parent;
    // Only `const` at module scope.
    if (ts.isVariableDeclarationList(list) && list.flags & ts.NodeFlags.Const && stmt && ts.isVariableStatement(stmt) && ts.isSourceFile(stmt.parent)) {
      value = evaluate(decl.initializer, depth + 1);
    }
  }
  cache.set(symbol, value);
  return value;
}

function evaluate(e, depth) {
  if (ts.isParenthesizedExpression(e)) return evaluate(e.expression, depth);
  if (ts.isNumericLiteral(e)) return Number(e.text);
  if (ts.isPrefixUnaryExpression(e)) {
    const v = evaluate(e.operand, depth);
    if (v === undefined) return undefined;
    if (e.operator === ts.SyntaxKind.MinusToken) return -v;
    if (e.operator === ts.SyntaxKind.PlusToken) return v;
    if (e.operator === ts.SyntaxKind.TildeToken) return ~v;
    return undefined;
  }
  if (ts.isBinaryExpression(e)) {
    const a = evaluate(e.left, depth);
    const b = a === undefined ? undefined : evaluate(e.right, depth);
    if (a === undefined || b === undefined) return undefined;
    switch (e.operatorToken.kind) {
      case ts.SyntaxKind.PlusToken: return a + b;
      case ts.SyntaxKind.MinusToken: return a - b;
      case ts.SyntaxKind.AsteriskToken: return a * b;
      case ts.SyntaxKind.SlashToken: return a / b;
      case ts.SyntaxKind.AsteriskAsteriskToken: return a ** b;
      case ts.SyntaxKind.LessThanLessThanToken: return a << b;
      case ts.SyntaxKind.GreaterThanGreaterThanToken: return a >> b;
      case ts.SyntaxKind.GreaterThanGreaterThanGreaterThanToken: return a >>> b;
      case ts.SyntaxKind.BarToken: return a | b;
      case ts.SyntaxKind.AmpersandToken: return a & b;
      case ts.SyntaxKind.CaretToken: return a ^ b;
      default: return undefined;
    }
  }
  if (ts.isIdentifier(e)) return constantOf(checker.getSymbolAtLocation(e), depth);
  return undefined;
}

/** Is this identifier a read of a value (not a declaration, an import or export name, a property name, a type)? */
function isValueRead(id) {
  const p = id.parent;
  if (!p) return false;
  if ((ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isFunctionDeclaration(p) || ts.isBindingElement(p)) && p.name === id) return false;
  if (ts.isImportSpecifier(p) || ts.isExportSpecifier(p) || ts.isImportClause(p) || ts.isNamespaceImport(p)) return false;
  if ((ts.isPropertyAccessExpression(p) && p.name === id) || (ts.isPropertyAssignment(p) && p.name === id)) return false;
  if (ts.isShorthandPropertyAssignment(p)) return false;
  if ((ts.isPropertyDeclaration(p) || ts.isMethodDeclaration(p) || ts.isPropertySignature(p) || ts.isEnumMember(p)) && p.name === id) return false;
  if (ts.isQualifiedName(p) || ts.isTypeQueryNode(p) || ts.isTypeReferenceNode(p)) return false;
  if (ts.isPrefixUnaryExpression(p) || ts.isPostfixUnaryExpression(p)) {
    const op = p.operator;
    if (op === ts.SyntaxKind.PlusPlusToken || op === ts.SyntaxKind.MinusMinusToken) return false;
  }
  if (ts.isBinaryExpression(p) && p.left === id && p.operatorToken.kind >= ts.SyntaxKind.FirstAssignment && p.operatorToken.kind <= ts.SyntaxKind.LastAssignment) return false;
  return true;
}

let folded = 0;
const fold = (context) => (sourceFile) => {
  const visit = (node) => {
    if (ts.isIdentifier(node) && isValueRead(node)) {
      const v = constantOf(checker.getSymbolAtLocation(node));
      if (v !== undefined && Number.isFinite(v)) {
        folded++;
        const lit = v < 0 || Object.is(v, -0) ? ts.factory.createPrefixUnaryExpression(ts.SyntaxKind.MinusToken, ts.factory.createNumericLiteral(-v)) : ts.factory.createNumericLiteral(v);
        const out = ts.factory.createParenthesizedExpression(lit);
        ts.addSyntheticTrailingComment(lit, ts.SyntaxKind.MultiLineCommentTrivia, ` ${node.text} `, false);
        return ts.setTextRange(out, node);
      }
      return node;
    }
    if (ts.isTypeNode(node) || ts.isImportDeclaration(node)) return node;
    return ts.visitEachChild(node, visit, context);
  };
  return ts.visitNode(sourceFile, visit);
};

const diagnostics = [...program.getConfigFileParsingDiagnostics(), ...program.getSyntacticDiagnostics(), ...program.getOptionsDiagnostics(), ...program.getGlobalDiagnostics(), ...program.getSemanticDiagnostics()];
if (diagnostics.length > 0) fail(diagnostics);
const emitted = program.emit(undefined, undefined, undefined, false, { before: [fold] });
if (emitted.diagnostics.length > 0) fail(emitted.diagnostics);
chmodSync(new URL('../dist/src/cli/cli.js', import.meta.url), 0o755);
if (process.env.BUILD_VERBOSE) process.stderr.write(`build: ${folded} uses of constants folded\n`);
