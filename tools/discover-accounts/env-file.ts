import ts from "typescript";
import type { ConfiguredAccount } from "./reconcile.js";

export class EnvFileError extends Error {
  override readonly name = "EnvFileError";
}

interface Element {
  readonly id: string;
  /** The element as written, with the comments on the lines above it and on its line. */
  readonly text: readonly string[];
}

interface AccountsLiteral {
  /** The `[ ... ]` span. */
  readonly start: number;
  readonly end: number;
  readonly propertyIndent: string;
  readonly elementIndent: string;
  readonly elements: readonly Element[];
  /** Comments after the last element, before `]`. */
  readonly closingComments: readonly string[];
}

const indentAt = (source: string, pos: number) => /^[ \t]*/.exec(source.slice(source.lastIndexOf("\n", pos - 1) + 1))![0];
const comments = (source: string, ranges: readonly ts.CommentRange[] | undefined) => (ranges ?? []).map((r) => source.slice(r.pos, r.end));

function stringProperty(object: ts.ObjectLiteralExpression, name: string): string | undefined {
  for (const p of object.properties) {
    if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name) {
      return ts.isStringLiteral(p.initializer) || ts.isNoSubstitutionTemplateLiteral(p.initializer) ? p.initializer.text : undefined;
    }
  }
  return undefined;
}

/** The one `accounts: [ ... ]` array literal of an environment file. */
function findAccounts(source: string, file: string): AccountsLiteral {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: ts.PropertyAssignment[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isPropertyAssignment(node) && ts.isIdentifier(node.name) && node.name.text === "accounts") found.push(node);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  if (found.length !== 1) throw new EnvFileError(`${file}: expected one "accounts: [...]" property, found ${found.length}; edit the file by hand`);
  const array = found[0]!.initializer;
  if (!ts.isArrayLiteralExpression(array)) throw new EnvFileError(`${file}: "accounts" is not an array literal; edit the file by hand`);

  const elements = array.elements.map((el, i): Element => {
    const id = ts.isObjectLiteralExpression(el) ? stringProperty(el, "id") : undefined;
    if (id === undefined) throw new EnvFileError(`${file}: accounts[${i}] is not an object literal with a literal "id"; edit the file by hand`);
    const afterComma = source[el.end] === "," ? el.end + 1 : el.end;
    const trailing = comments(source, ts.getTrailingCommentRanges(source, afterComma));
    return {
      id,
      text: [
        ...comments(source, ts.getLeadingCommentRanges(source, el.getFullStart())),
        `${el.getText(sf)},${trailing.length > 0 ? ` ${trailing.join(" ")}` : ""}`,
      ],
    };
  });
  const last = array.elements.at(-1);
  const afterLast = last ? (source[last.end] === "," ? last.end + 1 : last.end) : array.getStart(sf) + 1;
  const propertyIndent = indentAt(source, found[0]!.getStart(sf));
  const first = array.elements[0];
  const elementIndent =
    first && source.slice(array.getStart(sf), first.getStart(sf)).includes("\n") ? indentAt(source, first.getStart(sf)) : `${propertyIndent}  `;
  return {
    start: array.getStart(sf),
    end: array.end,
    propertyIndent,
    elementIndent,
    elements,
    closingComments: comments(source, ts.getLeadingCommentRanges(source, afterLast)),
  };
}

/** The ids of the accounts an environment file lists, in order. */
export function accountIdsIn(source: string, file: string): string[] {
  return findAccounts(source, file).elements.map((e) => e.id);
}

/**
 * The environment file with its `accounts` array replaced by `accounts`: entries that stay keep
 * their text and comments (and fields such as `regions`), new ones are `{ name, id }`. Throws
 * instead of guessing when the array is not plain literals.
 */
export function rewriteAccounts(
  source: string,
  file: string,
  accounts: ReadonlyArray<ConfiguredAccount & { readonly isNew: boolean }>,
): { readonly text: string; readonly accountsText: string } {
  const literal = findAccounts(source, file);
  const existing = new Map(literal.elements.map((e) => [e.id, e]));
  const lines = accounts.flatMap((account) => {
    const kept = existing.get(account.id);
    if (!account.isNew && !kept) throw new EnvFileError(`${file}: account ${account.id} is not in the file`);
    return account.isNew || !kept ? [`{ name: ${JSON.stringify(account.name)}, id: ${JSON.stringify(account.id)} },`] : kept.text;
  });
  const body = [...lines, ...literal.closingComments].map((line) => `${literal.elementIndent}${line}`).join("\n");
  // an environment may have no accounts yet (npm run new-org writes `accounts: []`)
  const array = body === "" ? "[]" : `[\n${body}\n${literal.propertyIndent}]`;
  const result = `${source.slice(0, literal.start)}${array}${source.slice(literal.end)}`;

  const syntax =
    ts.transpileModule(result, { fileName: file, reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } })
      .diagnostics ?? [];
  if (syntax.length > 0)
    throw new EnvFileError(`${file}: the rewritten file would not parse (${ts.flattenDiagnosticMessageText(syntax[0]!.messageText, " ")}); nothing written`);
  const ids = accountIdsIn(result, file);
  if (ids.join() !== accounts.map((a) => a.id).join())
    throw new EnvFileError(`${file}: the rewritten file lists ${ids.join(", ")} instead of ${accounts.map((a) => a.id).join(", ")}; nothing written`);
  return { text: result, accountsText: `${literal.propertyIndent}accounts: ${array},` };
}
