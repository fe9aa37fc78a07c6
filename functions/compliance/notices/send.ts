import type { Channel } from "../../shared/chat/deliver.js";
import type { NoticeDocument } from "../../shared/chat/document.js";
import { ownerMailbox } from "../../shared/owner-mailbox.js";
import { asError } from "../../shared/errors.js";
import { noticeId, type DueNotice } from "./due.js";
import type { NoticeLedger } from "./ledger.js";
import { noticeDocument, type AccountInstances } from "./notice.js";

export interface NoticeDeps {
  readonly ledger: NoticeLedger;
  /** The instances the window patches, per account and region of its environment. */
  readonly lookup: (notice: DueNotice) => Promise<AccountInstances[]>;
  readonly channelsOf: (notice: DueNotice) => readonly Channel[];
  readonly deliver: (channel: Channel, document: NoticeDocument) => Promise<unknown>;
  /** Mails one owner; absent when no SES sender is configured (owners are then not mailed). */
  readonly mailOwner?: (address: string, document: NoticeDocument) => Promise<unknown>;
  /** Domains an owner's address must be in to be mailed (org.email.ownerDomains, resolved). */
  readonly ownerDomains: readonly string[];
  readonly now: () => Date;
}

export interface NoticeOutcome {
  readonly notice: string;
  readonly sent: readonly string[];
  readonly failed: readonly string[];
}

/** Each owner's share of the instances, by the address in the owner tag; owners outside the owner domains get none (the digest lists them). */
export function byOwner(accounts: readonly AccountInstances[], ownerDomains: readonly string[]): Map<string, AccountInstances[]> {
  const owners = new Map<string, AccountInstances[]>();
  for (const account of accounts) {
    const byAddress = new Map<string, AccountInstances["instances"][number][]>();
    for (const instance of account.instances) {
      const owner = ownerMailbox(instance.owner, ownerDomains);
      if (owner.kind === "mail") byAddress.set(owner.address, [...(byAddress.get(owner.address) ?? []), instance]);
    }
    for (const [address, instances] of byAddress) owners.set(address, [...(owners.get(address) ?? []), { ...account, instances }]);
  }
  return owners;
}

/**
 * Sends every due notice that is not complete yet: to the environment's channels and to each owner
 * of an instance the run will patch, once per destination. A destination that fails is released
 * and tried again on the next run; the others are not sent twice.
 */
export async function sendDueNotices(deps: NoticeDeps, due: readonly DueNotice[]): Promise<NoticeOutcome[]> {
  const outcomes: NoticeOutcome[] = [];
  for (const notice of due) {
    const id = noticeId(notice);
    if (await deps.ledger.isComplete(id)) continue;
    const now = deps.now();
    const accounts = await deps.lookup(notice);
    const sends: [string, () => Promise<unknown>][] = deps
      .channelsOf(notice)
      .map((channel) => [`channel:${channel.name}`, () => deps.deliver(channel, noticeDocument(notice, accounts, now, "channel"))]);
    if (deps.mailOwner) {
      const mail = deps.mailOwner;
      for (const [address, share] of byOwner(accounts, deps.ownerDomains))
        sends.push([`owner:${address}`, () => mail(address, noticeDocument(notice, share, now, "owner"))]);
    }
    const sent: string[] = [];
    const failed: string[] = [];
    for (const [destination, send] of sends) {
      if (!(await deps.ledger.claim(id, destination))) continue;
      try {
        await send();
        await deps.ledger.markSent(id, destination);
        sent.push(destination);
      } catch (thrown) {
        await deps.ledger.release(id, destination);
        failed.push(`${destination}: ${asError(thrown).message}`);
      }
    }
    if (failed.length === 0) await deps.ledger.markComplete(id);
    outcomes.push({ notice: id, sent, failed });
  }
  return outcomes;
}
