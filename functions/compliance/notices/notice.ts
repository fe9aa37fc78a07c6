import type { NoticeDocument, NoticeLine } from "../../shared/chat/document.js";
import { localStart, type DueNotice } from "./due.js";
import type { WindowInstance } from "./instances.js";

/** What the lookup found in one account and region of the environment. */
export interface AccountInstances {
  readonly accountId: string;
  readonly accountName: string;
  readonly region: string;
  readonly instances: readonly WindowInstance[];
  /** Set when the account could not be read; the notice says so instead of listing nothing. */
  readonly unreachable?: string;
}

const instanceText = (i: WindowInstance) =>
  `${i.instanceId}${i.name ? ` "${i.name}"` : ""}${i.owner ? ` · owner ${i.owner}` : ""}${i.state !== "running" ? ` · ${i.state}` : ""}`;

function hoursUntil(runAt: Date, now: Date): string {
  const hours = Math.max(0, Math.round((runAt.getTime() - now.getTime()) / 3_600_000));
  return hours < 1 ? "within the hour" : `in ${hours} h`;
}

/**
 * The notice of one window run: when it opens (in its own time zone and UTC), what it patches, and
 * the instances per account and region. `accounts` may be one owner's share only.
 */
export function noticeDocument(notice: DueNotice, accounts: readonly AccountInstances[], now: Date, audience: "channel" | "owner"): NoticeDocument {
  const { window, environment, runAt, wave } = notice;
  const waveText = wave ? ` (wave ${wave.name})` : "";
  const total = accounts.reduce((n, a) => n + a.instances.length, 0);
  const lines: NoticeLine[] = accounts.flatMap((a) => {
    const section = `${a.accountName} (${a.accountId}) / ${a.region}`;
    if (a.unreachable) return [{ section, text: `could not be read: ${a.unreachable}` }];
    return a.instances.length === 0 ? [] : a.instances.map((i) => ({ section, text: instanceText(i) }));
  });
  return {
    title: `Patching ${hoursUntil(runAt, now)}: ${environment.name} window ${window.name}${waveText}, ${localStart(window, runAt)}`,
    summary: [
      `${window.name}${wave ? ` in the accounts of wave ${wave.name} (${wave.delayHours} h after the first wave)` : ""} opens ${localStart(window, runAt)} (${runAt.toISOString()}) for ${window.durationHours} h and installs approved patches on instances of patch groups ${window.patchGroups.join(", ")} tagged patch-policy=patch-on-schedule; instances may reboot.`,
      audience === "owner"
        ? `You get this because the instances below name you as owner: ${total} instance${total === 1 ? "" : "s"}.`
        : `${total} instance${total === 1 ? "" : "s"} in ${accounts.length} account-region${accounts.length === 1 ? "" : "s"}.`,
    ],
    lines,
  };
}
