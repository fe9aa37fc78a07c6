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
      comment: "environments/ (the organization and its schema) imports only contracts/, itself and packages",
      from: { path: "^environments/", pathNot: tests },
      to: { pathNot: ["^(contracts|environments)/", "node_modules"], dependencyTypesNot: ["core"] },
    },
    {
      name: "functions-import-no-upper-layer",
      severity: "error",
      comment: "Lambda code imports only contracts/, functions/ and packages: what it shares with the stacks lives in contracts/",
      from: { path: "^functions/", pathNot: tests },
      to: { pathNot: ["^(contracts|functions)/", "node_modules"], dependencyTypesNot: ["core"] },
    },
    {
      name: "stacks-import-no-function-code-or-tools",
      severity: "error",
      comment:
        "stacks/ imports contracts/, environments/, the function build (functions/build.ts, functions/artifacts.ts), itself and packages; never function code, tools/, bench/ or test/",
      from: { path: "^stacks/", pathNot: tests },
      to: { pathNot: ["^(contracts|environments|stacks)/", "^functions/(build|artifacts)\\.ts$", "node_modules"], dependencyTypesNot: ["core"] },
    },
    {
      name: "tools-import-no-function-code-or-tests",
      severity: "error",
      comment: "tools/ never imports bench/, test/, the cdktf app or function code (what it shares with the functions lives in contracts/)",
      from: { path: "^tools/", pathNot: tests },
      to: { path: "^(bench|test)/|^main\\.ts$|^functions/(?!(build|artifacts)\\.ts$)" },
    },
    {
      name: "tests-leave-the-user-organization-alone",
      severity: "error",
      comment: "tests build their organizations from test/fixtures; only test/your-organization.terraform.test.ts reads environments/ (nor may a test run the cdktf app, which renders it)",
      from: { path: tests, pathNot: "^test/your-organization\\.terraform\\.test\\.ts$" },
      to: { path: [userOrganization, "^main\\.ts$"] },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|dist|cdktf\\.out|bench/\\.work)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: { extensions: [".ts", ".js"] },
  },
};
