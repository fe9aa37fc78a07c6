import { BackupVault } from "@cdktf/provider-aws/lib/backup-vault";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SsmDocument } from "@cdktf/provider-aws/lib/ssm-document";
import { Construct } from "constructs";
import { changeCalendarContent } from "../../../contracts/change-freeze.js";
import type { Naming } from "../../naming.js";
import { runbookJson, type Runbook } from "./automation.js";
import { restoreRunbook } from "./restore-runbook.js";
import type { SafetyNets } from "../../../environments/schema/safety-nets.js";
import { assertValidRunbook } from "./validate.js";

/** The change calendar's content for an environment's accounts. */
export const calendarContent = (environment: string, nets: SafetyNets): string =>
  changeCalendarContent(`patchline change freezes of ${environment}`, nets.freezes);

/** An Automation runbook document, checked before it is rendered. */
export function runbookDocument(scope: Construct, id: string, props: { name: string; runbook: Runbook; provider: AwsProvider }): SsmDocument {
  assertValidRunbook(props.name, props.runbook);
  return new SsmDocument(scope, id, {
    provider: props.provider,
    name: props.name,
    documentType: "Automation",
    documentFormat: "JSON",
    content: runbookJson(props.runbook),
  });
}

export interface RegionalSafetyNetsProps {
  readonly environment: string;
  readonly nets: SafetyNets;
  readonly naming: Naming;
  readonly provider: AwsProvider;
}

/**
 * One region's safety nets besides the windows' install runbooks: the change calendar (when there
 * are freezes), and where windows back up, the vault of the backups and the restore runbook.
 */
export class RegionalSafetyNets extends Construct {
  readonly calendar?: SsmDocument;
  readonly vault?: BackupVault;

  constructor(scope: Construct, id: string, props: RegionalSafetyNetsProps) {
    super(scope, id);
    const { nets, naming, provider } = props;
    if (nets.freezes.length > 0)
      this.calendar = new SsmDocument(this, "ChangeCalendar", {
        provider,
        name: naming.changeCalendar,
        documentType: "ChangeCalendar",
        documentFormat: "TEXT",
        content: calendarContent(props.environment, nets),
      });
    if (!nets.backups) return;
    // EC2 and EBS backups keep the encryption of their volumes; the vault's key (AWS Backup's default) is not theirs
    this.vault = new BackupVault(this, "BackupVault", { provider, name: naming.backupVault });
    runbookDocument(this, "RestoreRunbook", { name: naming.restoreRunbook, runbook: restoreRunbook(), provider });
  }
}
