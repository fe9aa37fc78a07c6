/**
 * The layers of patchline (docs/architecture.md): contracts at the bottom; environments, functions,
 * stacks and tools above; nothing imports upward and nothing imports in a circle. `npm run lint`
 * checks these rules; tests may reach into any layer, but never into the user's organization.
 */
const tests = "\\.test\\.ts$|^test/";
const userOrganization = "^environments/[^/]+\\.ts$";

module.exports = {
  forbidden: [
    { name: "no-circular", severity: "error", comment: "modules import each other in a circle", from: {}, to: { circular: true } },
    {
      name: "contracts-import-nothing",
      severity: "error",
      comment: "contracts/ is the bottom layer: it imports only contracts/ and packages",
      from: { path: "^contracts/", pathNot: tests },
      to: { pathNot: ["^contracts/", "node_modules"], dependencyTypesNot: ["core"] },
    },
    {
      name: "environments-import-contracts-only",
      severity: "error",
      comment: "environments/ (the organization and its schema) imports only contracts/ and itself",
      from: { path: "^environments/", pathNot: tests },
      to: { path: "^(functions|stacks|tools|bench|test)/|^main\\.ts$" },
    },
    {
      name: "functions-import-no-upper-layer",
      severity: "error",
      comment: "Lambda code never imports environments/, stacks/, tools/, bench/ or test/: what it shares with them lives in contracts/",
      from: { path: "^functions/", pathNot: tests },
      to: { path: "^(environments|stacks|tools|bench|test)/|^main\\.ts$" },
    },
    {
      name: "stacks-import-no-tools",
      severity: "error",
      comment: "stacks/ never imports tools/, bench/ or test/",
      from: { path: "^stacks/", pathNot: tests },
      to: { path: "^(tools|bench|test)/|^main\\.ts$" },
    },
    {
      name: "tools-import-no-bench-or-tests",
      severity: "error",
      comment: "tools/ never imports bench/ or test/",
      from: { path: "^tools/", pathNot: tests },
      to: { path: "^(bench|test)/|^main\\.ts$" },
    },
    {
      name: "tests-leave-the-user-organization-alone",
      severity: "error",
      comment: "tests build their organizations from test/fixtures; only test/your-organization.terraform.test.ts reads environments/",
      from: { path: tests, pathNot: "^test/your-organization\\.terraform\\.test\\.ts$" },
      to: { path: userOrganization, dependencyTypesNot: ["dynamic-import"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|dist|cdktf\\.out|bench/\\.work)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js", ".json"] },
  },
};
