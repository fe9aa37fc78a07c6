import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { orgConfigSchema } from "../environments/schema/index.js";
import { fieldRows, renderReference, type SchemaNode } from "./config-reference/render.js";
import { schemaDescriptions } from "./config-reference/schema-docs.js";
import { isMain } from "./lib/cli.js";

export const REFERENCE_FILE = fileURLToPath(new URL("../docs/configuration-reference.md", import.meta.url));
const SCHEMA_INDEX = fileURLToPath(new URL("../environments/schema/index.ts", import.meta.url));

const sections = [
  { title: "Organization (`org.ts`)", prefix: "org.", intro: "Organization-wide settings, `export const org: OrgInput`." },
  {
    title: "Environment (`<env>.ts`)",
    prefix: "environments.<name>.",
    intro: "One file per environment, `export const <env>: EnvironmentInput`, listed in `org.promotionOrder`.",
  },
];

/** The configuration reference as the schema says it is now. */
export function configurationReference(): string {
  const jsonSchema = z.toJSONSchema(orgConfigSchema, { io: "input", unrepresentable: "any" }) as SchemaNode;
  const rows = fieldRows(jsonSchema, schemaDescriptions(SCHEMA_INDEX, "orgConfigSchema"));
  const outside = rows.filter((row) => row.path.includes(".") && !sections.some((section) => row.path.startsWith(section.prefix)));
  if (outside.length > 0) throw new Error(`fields in no section of the reference: ${outside.map((row) => row.path).join(", ")}`);
  return renderReference(rows, sections);
}

// tools/config-reference/config-reference.test.ts fails when the committed file is out of date
if (isMain(import.meta.url)) {
  writeFileSync(REFERENCE_FILE, configurationReference());
  console.log(`wrote ${REFERENCE_FILE}`);
}
