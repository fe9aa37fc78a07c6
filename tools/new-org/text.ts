const identifier = /^[A-Za-z_$][\w$]*$/;

/** An object key as written in the example files: bare when it is an identifier, quoted otherwise. */
export const key = (name: string): string => (identifier.test(name) ? name : JSON.stringify(name));

/** A value as a one-line TypeScript literal in the style of `environments/*.ts` (`{ a: 1, b: ["x"] }`). */
export function literal(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `[${value.map(literal).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return entries.length === 0 ? "{}" : `{ ${entries.map(([k, v]) => `${key(k)}: ${literal(v)}`).join(", ")} }`;
  }
  throw new Error(`${String(value)} has no literal form`);
}

/** Source text built line by line, two spaces per level, with commented-out optional features. */
export class SourceText {
  private readonly lines: string[] = [];

  line(level: number, text: string): this {
    this.lines.push(text === "" ? "" : `${"  ".repeat(level)}${text}`);
    return this;
  }

  /** `name: <literal>,` */
  property(level: number, name: string, value: unknown): this {
    return this.line(level, `${key(name)}: ${literal(value)},`);
  }

  /** A feature left out: one line saying what it does, then its code commented out line by line. */
  optional(level: number, explanation: string, code: string | readonly string[]): this {
    this.line(level, `// ${explanation}`);
    for (const text of typeof code === "string" ? [code] : code) this.line(level, `// ${text}`);
    return this;
  }

  /** `optional` for one property: `// name: <literal>,` */
  optionalProperty(level: number, explanation: string, name: string, value: unknown): this {
    return this.optional(level, explanation, `${key(name)}: ${literal(value)},`);
  }

  toString(): string {
    return `${this.lines.join("\n")}\n`;
  }
}

/** The lines of a block written at `level`, for commenting it out as a whole with `SourceText.optional`. */
export function blockLines(build: (text: SourceText) => void): string[] {
  const text = new SourceText();
  build(text);
  return text.toString().trimEnd().split("\n");
}
