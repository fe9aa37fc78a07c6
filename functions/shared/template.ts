/**
 * A `{name}` template filled from values (e.g. Naming.runCommandOutputPrefix with placeholders,
 * which the stack writes into a function's environment). A placeholder without a value throws:
 * left in, it would put output under a literal `{account}` key instead of failing the step.
 */
export function fill(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new Error(`template ${JSON.stringify(template)} has {${key}}, which is not one of ${Object.keys(values).join(", ")}`);
    return value;
  });
}
