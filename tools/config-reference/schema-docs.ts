import ts from "typescript";

/**
 * The descriptions of the configuration's fields, read from the schema's source: the JSDoc above
 * each property of every `z.strictObject({ … })`, followed through the schemas it names (`org:
 * orgSchema`, `z.array(hookDocumentSchema)`, `perOperatingSystem(baselineDefinitionSchema)`).
 * Keys are field paths as the reference shows them: `org.logs.outputRetentionDays`,
 * `<env>.maintenanceWindows[].install.hooks`, `org.baselines.<OS>.approvalRules[]`.
 */
export function schemaDescriptions(schemaIndexFile: string, rootVariable: string): Map<string, string> {
  const program = ts.createProgram([schemaIndexFile], {
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
  });
  const checker = program.getTypeChecker();
  const descriptions = new Map<string, string>();

  const root = findVariable(program.getSourceFile(schemaIndexFile), rootVariable);
  if (!root?.initializer) throw new Error(`${schemaIndexFile}: no variable ${rootVariable}`);
  // a schema used at several paths (a hook's linux and windows scripts) is described at each; the
  // key also stops a schema that names itself from recursing forever
  const visiting = new Map<ts.Node, Set<string>>();

  /** Follows an expression to the object literal of the z.strictObject it builds, if any. */
  function objectSchemaOf(expression: ts.Expression, path: string): void {
    const paths = visiting.get(expression) ?? new Set<string>();
    if (paths.has(path)) return;
    visiting.set(expression, paths.add(path));
    if (ts.isIdentifier(expression)) {
      const symbol = checker.getSymbolAtLocation(expression);
      const target = symbol && symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      const declaration = target?.declarations?.find(ts.isVariableDeclaration);
      if (declaration?.initializer) objectSchemaOf(declaration.initializer, path);
    } else if (ts.isCallExpression(expression)) {
      const callee = expression.expression;
      const method = ts.isPropertyAccessExpression(callee) ? callee.name.text : ts.isIdentifier(callee) ? callee.text : "";
      if (method === "strictObject" || method === "object") {
        const shape = expression.arguments[0];
        if (shape && ts.isObjectLiteralExpression(shape)) describeShape(shape, path);
        return;
      }
      // the schema a modifier wraps (`.default()`, `.optional()`, `.min()` on an array) is its receiver
      if (ts.isPropertyAccessExpression(callee)) objectSchemaOf(callee.expression, path);
      const nested =
        method === "array" || method === "uniqueList"
          ? `${path}[]`
          : method === "perOperatingSystem"
            ? `${path}.<OS>`
            : method === "record"
              ? `${path}.<name>`
              : path;
      // z.record(key, value): the value is the last argument; helpers take the schema first
      const schemaArguments = method === "record" ? expression.arguments.slice(-1) : expression.arguments.slice(0, 1);
      for (const argument of schemaArguments) objectSchemaOf(argument, nested);
    }
  }

  function describeShape(shape: ts.ObjectLiteralExpression, path: string): void {
    for (const property of shape.properties) {
      if (ts.isSpreadAssignment(property)) {
        // `...rateControl`: the spread object's properties are this object's
        const spread = resolveObjectLiteral(property.expression);
        if (spread) describeShape(spread, path);
        continue;
      }
      if (!(ts.isPropertyAssignment(property) || ts.isShorthandPropertyAssignment(property))) continue;
      if (!(ts.isIdentifier(property.name) || ts.isStringLiteral(property.name))) continue;
      const fieldPath = path === "" ? property.name.text : `${path}.${property.name.text}`;
      const symbol = checker.getSymbolAtLocation(property.name);
      const text = symbol ? ts.displayPartsToString(symbol.getDocumentationComment(checker)).trim() : "";
      const tags = symbol ? symbol.getJsDocTags(checker).map((tag) => `@${tag.name} ${ts.displayPartsToString(tag.text)}`.trim()) : [];
      const description = [text, ...tags].filter(Boolean).join(" ").replace(/\s+/g, " ");
      if (description) descriptions.set(fieldPath, description);
      objectSchemaOf(ts.isPropertyAssignment(property) ? property.initializer : property.name, fieldPath);
    }
  }

  function resolveObjectLiteral(expression: ts.Expression): ts.ObjectLiteralExpression | undefined {
    if (ts.isObjectLiteralExpression(expression)) return expression;
    if (!ts.isIdentifier(expression)) return undefined;
    const declaration = checker.getSymbolAtLocation(expression)?.declarations?.find(ts.isVariableDeclaration);
    return declaration?.initializer && ts.isObjectLiteralExpression(declaration.initializer) ? declaration.initializer : undefined;
  }

  objectSchemaOf(root.initializer, "");
  return descriptions;
}

function findVariable(source: ts.SourceFile | undefined, name: string): ts.VariableDeclaration | undefined {
  let found: ts.VariableDeclaration | undefined;
  source?.forEachChild(function visit(node) {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.name.text === name) found = node;
    else node.forEachChild(visit);
  });
  return found;
}
