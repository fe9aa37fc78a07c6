import type { ScaffoldOptions } from "./model.js";
import { renderEnvironmentFile, renderIndexFile } from "./render-environment.js";
import { renderOrgFile } from "./render-org.js";

/** Every file of a new organization folder, by file name: org.ts, one per environment, index.ts. */
export function renderOrganization(options: ScaffoldOptions): Map<string, string> {
  return new Map([
    ["org.ts", renderOrgFile(options)],
    ...options.environments.map((environment, index) => [`${environment}.ts`, renderEnvironmentFile(options, index)] as const),
    ["index.ts", renderIndexFile(options)],
  ]);
}
