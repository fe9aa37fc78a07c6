/** The central functions of compliance alerts and reporting: folder under `functions/` = name after the prefix. */
export const complianceFunctionNames = {
  targets: "compliance-targets",
  collector: "compliance-collector",
  report: "compliance-report",
  digest: "compliance-digest",
  notices: "patch-notices",
  failures: "patch-failures",
} as const;

/** The functions whose roles the member compliance reader role trusts. */
export const centralReaderFunctions = [complianceFunctionNames.collector, complianceFunctionNames.notices, complianceFunctionNames.failures] as const;
