import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { dataSetKeys, type DataSetKey } from "../stacks/compliance/quicksight/data-sets.js";
import { dashboardDefinition } from "../stacks/compliance/quicksight/definition.js";
import { isMain } from "./lib/cli.js";
import { excerpt, toApiShape, type QuickSightModel } from "./quicksight-api/convert.js";

/**
 * Writes the part of QuickSight's API model the dashboard's definition reaches to
 * test/fixtures/quicksight-api-excerpt.json, which the definition's unit test checks it against.
 * Run it after changing the definition, with botocore's model of QuickSight (pip's botocore:
 * `botocore/data/quicksight/2018-04-01/service-2.json.gz`):
 *
 *   npx tsx tools/quicksight-api.ts <path to service-2.json or service-2.json.gz>
 */
export const EXCERPT_FILE = fileURLToPath(new URL("../test/fixtures/quicksight-api-excerpt.json", import.meta.url));

/** The definitions the check reads, as the API's shapes name them: an analysis's and a dashboard's. */
export const definitionRoots = ["AnalysisDefinition", "DashboardVersionDefinition"] as const;

/** The definition with stand-in data set ARNs (what the check reads does not depend on them). */
export const sampleDefinition = () =>
  dashboardDefinition(
    Object.fromEntries(dataSetKeys.map((key) => [key, `arn:aws:quicksight:us-east-1:111122223333:dataset/${key}`])) as Record<DataSetKey, string>,
  );

export function writeExcerpt(modelFile: string, out = EXCERPT_FILE): string[] {
  const raw = readFileSync(modelFile);
  const model = JSON.parse((modelFile.endsWith(".gz") ? gunzipSync(raw) : raw).toString("utf8")) as QuickSightModel & { metadata?: { apiVersion?: string } };
  const reached = new Set<string>();
  for (const root of definitionRoots) toApiShape(model, root, sampleDefinition(), (shape) => reached.add(shape));
  const part = excerpt(model, reached);
  writeFileSync(out, `${JSON.stringify({ source: `QuickSight API ${model.metadata?.apiVersion ?? "?"} (botocore service-2.json)`, ...part }, null, 1)}\n`);
  return Object.keys(part.shapes);
}

if (isMain(import.meta.url)) {
  const file = process.argv[2];
  if (!file) {
    console.error("usage: npx tsx tools/quicksight-api.ts <path to botocore's quicksight service-2.json(.gz)>");
    process.exit(2);
  }
  console.log(`wrote ${EXCERPT_FILE}: ${writeExcerpt(file).length} shapes; format it: npx biome format --write ${EXCERPT_FILE}`);
}
