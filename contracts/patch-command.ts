import { PATCH_TASK_DOCUMENTS, type PatchTaskDocument } from "./patch-documents.js";

/**
 * The install command of a maintenance window: what its install task sends, and what the approval
 * workflow sends to an approved instance of the window's patch groups. One builder for both
 * (stacks/member/maintenance-window.ts renders it into the task, stacks/approval/settings.ts into
 * the state machine), so the two paths cannot drift apart.
 */

export const REBOOT_OPTIONS = ["RebootIfNeeded", "NoReboot"] as const;
export type RebootOption = (typeof REBOOT_OPTIONS)[number];

/** AWS-RunPatchBaselineWithHooks' lifecycle hooks and the document parameter that names each one's document. */
export const HOOK_PARAMETERS = { preInstall: "PreInstallHookDocName", postInstall: "PostInstallHookDocName", onExit: "OnExitHookDocName" } as const;
export type Hook = keyof typeof HOOK_PARAMETERS;

export const WITH_HOOKS: PatchTaskDocument = "AWS-RunPatchBaselineWithHooks";

/** A window's install settings, as `maintenanceWindows[].install` configures them. */
export interface InstallSettings {
  readonly document: PatchTaskDocument;
  readonly rebootOption: RebootOption;
  /** Hook document names (only with AWS-RunPatchBaselineWithHooks). */
  readonly hooks?: Partial<Readonly<Record<Hook, string>>>;
}

/** A Run Command patch command: the document and its parameters, in the order the window task lists them. */
export interface PatchCommand {
  readonly document: PatchTaskDocument;
  readonly parameters: Readonly<Record<string, readonly string[]>>;
}

export interface InstallCommandOptions {
  /** The promoted patches' list (promotion mode "install-override-list"); AWS-RunPatchBaseline only. */
  readonly installOverrideList?: string;
  /** The SSM name of a configured hook document (the window task references the document resource). @default the configured name */
  readonly hookDocumentName?: (configured: string) => string;
}

/** The Install command of a window's install task. Throws for hooks without the hooks document (the config checks report that first). */
export function installCommand(install: InstallSettings, options: InstallCommandOptions = {}): PatchCommand {
  const parameters: Record<string, string[]> = { Operation: ["Install"], RebootOption: [install.rebootOption] };
  for (const [hook, parameter] of Object.entries(HOOK_PARAMETERS)) {
    const configured = install.hooks?.[hook as Hook];
    if (!configured) continue;
    if (install.document !== WITH_HOOKS) throw new Error(`hook ${hook} (${configured}) needs ${WITH_HOOKS}, not ${install.document}`);
    parameters[parameter] = [options.hookDocumentName ? options.hookDocumentName(configured) : configured];
  }
  if (options.installOverrideList) parameters.InstallOverrideList = [options.installOverrideList];
  return { document: install.document, parameters };
}

/**
 * How the instances of some patch groups are patched outside their window's schedule: the window's
 * install command, or (`windowInstalls` false) for a window that only scans, AWS-RunPatchBaseline
 * with the approval's reboot option.
 */
export interface PatchGroupsCommand extends PatchCommand {
  readonly window: string;
  readonly patchGroups: readonly string[];
  readonly windowInstalls: boolean;
}

/** The command for an instance of `patchGroup` (SSM's PatchGroup of its patch state; "" or absent for none), or undefined when no window targets it. */
export function commandForPatchGroup<C extends Pick<PatchGroupsCommand, "patchGroups">>(
  commands: readonly C[],
  patchGroup: string | null | undefined,
): C | undefined {
  if (!patchGroup) return undefined;
  return commands.find((c) => c.patchGroups.includes(patchGroup));
}

// SSM's document name pattern (the API's DocumentName)
const DOCUMENT_NAME = /^[a-zA-Z0-9_.:/-]{3,128}$/;

/**
 * What is wrong with a command received at run time (from the state machine's input), or an empty
 * list: only the two patch documents, Install, a reboot option, hook documents with the hooks
 * document, an https InstallOverrideList without it, nothing else.
 */
export function patchCommandProblems(command: { readonly document: string; readonly parameters: Readonly<Record<string, readonly string[]>> }): string[] {
  const problems: string[] = [];
  if (!(PATCH_TASK_DOCUMENTS as readonly string[]).includes(command.document))
    problems.push(`document ${JSON.stringify(command.document)} is not one of ${PATCH_TASK_DOCUMENTS.join(", ")}`);
  const hookParameters: readonly string[] = Object.values(HOOK_PARAMETERS);
  const single = (name: string, values: readonly string[]) => {
    if (values.length !== 1) problems.push(`${name} has ${values.length} values, not 1`);
    return values[0] ?? "";
  };
  for (const [name, values] of Object.entries(command.parameters)) {
    if (name === "Operation") {
      if (single(name, values) !== "Install") problems.push(`Operation ${JSON.stringify(values)} is not ["Install"]`);
    } else if (name === "RebootOption") {
      const option = single(name, values);
      if (!(REBOOT_OPTIONS as readonly string[]).includes(option))
        problems.push(`RebootOption ${JSON.stringify(option)} is not one of ${REBOOT_OPTIONS.join(", ")}`);
    } else if (hookParameters.includes(name)) {
      if (command.document !== WITH_HOOKS) problems.push(`${name} needs ${WITH_HOOKS}`);
      if (!DOCUMENT_NAME.test(single(name, values))) problems.push(`${name} ${JSON.stringify(values)} is not a document name`);
    } else if (name === "InstallOverrideList") {
      // the Patch Manager user guide: AWS-RunPatchBaselineWithHooks "doesn't support the InstallOverrideList parameter", and SendCommand refuses parameters a document does not define
      if (command.document === WITH_HOOKS) problems.push(`${WITH_HOOKS} has no InstallOverrideList parameter`);
      if (!single(name, values).startsWith("https://")) problems.push(`InstallOverrideList ${JSON.stringify(values)} is not an https URL`);
    } else problems.push(`parameter ${JSON.stringify(name)} is not one patchline sends`);
  }
  if (!command.parameters.Operation) problems.push("Operation is missing");
  if (!command.parameters.RebootOption) problems.push("RebootOption is missing");
  return problems;
}

/** The reboot option a command patches with. */
export const rebootOptionOf = (command: Pick<PatchCommand, "parameters">): RebootOption => command.parameters.RebootOption![0] as RebootOption;

/**
 * A window's command as it installs named patches: AWS-RunPatchBaseline with the window's reboot
 * option, since only it takes an InstallOverrideList (whoever writes the list sets that parameter).
 * The emergency run's tool and its plan check both derive it here.
 */
export function namedPatchesCommand<C extends Pick<PatchCommand, "parameters">>(
  command: C,
): Omit<C, "document" | "parameters"> & { document: "AWS-RunPatchBaseline"; parameters: Record<string, string[]> } {
  const named = installCommand({ document: "AWS-RunPatchBaseline", rebootOption: rebootOptionOf(command) });
  return {
    ...command,
    document: "AWS-RunPatchBaseline",
    parameters: Object.fromEntries(Object.entries(named.parameters).map(([name, values]) => [name, [...values]])),
  };
}
