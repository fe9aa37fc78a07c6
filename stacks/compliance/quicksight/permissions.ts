import type { QuickSightSettings } from "../../../environments/schema/index.js";

/**
 * QuickSight's permission sets, as its console grants them (QuickSight accepts these sets; the
 * API reference's examples list them): owners may change, share and delete; viewers of a
 * dashboard may open and filter it.
 */
export const quickSightActions = {
  dataSourceOwner: [
    "quicksight:DeleteDataSource",
    "quicksight:DescribeDataSource",
    "quicksight:DescribeDataSourcePermissions",
    "quicksight:PassDataSource",
    "quicksight:UpdateDataSource",
    "quicksight:UpdateDataSourcePermissions",
  ],
  dataSetOwner: [
    "quicksight:CancelIngestion",
    "quicksight:CreateIngestion",
    "quicksight:DeleteDataSet",
    "quicksight:DescribeDataSet",
    "quicksight:DescribeDataSetPermissions",
    "quicksight:DescribeIngestion",
    "quicksight:ListIngestions",
    "quicksight:PassDataSet",
    "quicksight:UpdateDataSet",
    "quicksight:UpdateDataSetPermissions",
  ],
  analysisOwner: [
    "quicksight:DeleteAnalysis",
    "quicksight:DescribeAnalysis",
    "quicksight:DescribeAnalysisPermissions",
    "quicksight:QueryAnalysis",
    "quicksight:RestoreAnalysis",
    "quicksight:UpdateAnalysis",
    "quicksight:UpdateAnalysisPermissions",
  ],
  dashboardOwner: [
    "quicksight:DeleteDashboard",
    "quicksight:DescribeDashboard",
    "quicksight:DescribeDashboardPermissions",
    "quicksight:ListDashboardVersions",
    "quicksight:QueryDashboard",
    "quicksight:UpdateDashboard",
    "quicksight:UpdateDashboardPermissions",
    "quicksight:UpdateDashboardPublishedVersion",
  ],
  dashboardViewer: ["quicksight:DescribeDashboard", "quicksight:ListDashboardVersions", "quicksight:QueryDashboard"],
} as const;

export interface Permission {
  readonly principal: string;
  readonly actions: string[];
}

export interface QuickSightPermissions {
  readonly dataSource: Permission[];
  readonly dataSet: Permission[];
  readonly analysis: Permission[];
  readonly dashboard: Permission[];
}

/**
 * Authors own everything (the platform team: they refresh data sets, build their own analyses on
 * the data source, share the dashboard); viewers get the dashboard only. A dashboard's readers need
 * no permission on its data sets: QuickSight reads them for the dashboard.
 */
export function quickSightPermissions(settings: Pick<QuickSightSettings, "authors" | "viewers">): QuickSightPermissions {
  const owners = (actions: readonly string[]) => settings.authors.map((principal) => ({ principal, actions: [...actions] }));
  return {
    dataSource: owners(quickSightActions.dataSourceOwner),
    dataSet: owners(quickSightActions.dataSetOwner),
    analysis: owners(quickSightActions.analysisOwner),
    dashboard: [
      ...owners(quickSightActions.dashboardOwner),
      ...settings.viewers.map((principal) => ({ principal, actions: [...quickSightActions.dashboardViewer] })),
    ],
  };
}
