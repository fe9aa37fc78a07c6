import type { SFNClient } from "@aws-sdk/client-sfn";
import { Decisions, type Decision } from "../../../contracts/approval.js";
import { checkLink, type LinkCheck, type LinkSigner } from "../shared/link.js";
import type { ApprovalRecord, Approver, DecisionRecord } from "../shared/record.js";
import type { ApprovalStore } from "../shared/store.js";
import { asError } from "../../shared/errors.js";
import type { Log } from "../../shared/logger.js";
import { deliverDecision } from "../shared/task-callback.js";
import { deciderOf, mayDecide, verifiedApprover, type ApproverDirectory } from "./decider.js";
import { readRequest, type ApprovalRequest, type HttpResponse } from "./http.js";
import { checkDecisionOrigin } from "./same-origin.js";
import { alreadyDecidedPage, closedPage, confirmationPage, decisionPage, pageHeaders, problemPage } from "./page.js";

export interface CallbackDeps {
  readonly store: ApprovalStore;
  readonly signer: LinkSigner;
  readonly sfn: SFNClient;
  /** Set when the decision route has a JWT authorizer (org.approval.jwt): decisions need its claims. */
  readonly jwtIssuer?: string;
  /** The origin the approval links point at (the API's, or the CloudFront edge's): decisions are accepted only from its page. */
  readonly pageOrigin: string;
  /** Set when the CloudFront edge is on: the viewer's IP is what CloudFront reports, not the edge server's. */
  readonly behindEdge?: boolean;
  /** Set when only approvers of the request's environment and the instance's owner may decide (org.approval.jwt.approversOnly). */
  readonly approvers?: ApproverDirectory;
  /** With `approvers`: the domains in which the Owner tag's address may decide too (org.email.ownerDomains). @default - none: owners do not decide */
  readonly ownerDomains?: readonly string[];
  readonly now: () => Date;
  readonly log: Log;
}

const respond = (statusCode: number, body: string): HttpResponse => ({ statusCode, headers: pageHeaders, body });

const linkProblems: Record<Exclude<LinkCheck, { valid: true }>["problem"], HttpResponse> = {
  malformed: respond(
    400,
    problemPage("This link is incomplete", "The link is damaged or incomplete. Open it again from the e-mail or chat message, copying the whole address."),
  ),
  forged: respond(403, problemPage("This link is not valid", "The link's signature does not match. Use the link from the latest patchline e-mail.")),
  expired: respond(410, problemPage("This link has expired", "Links are valid for a limited time. A reminder brings a fresh link while the request is open.")),
};

const notFound = respond(404, problemPage("No such request", "There is no approval request for this link (records are deleted after their retention period)."));
const unavailable = respond(
  503,
  problemPage("Try again in a minute", "patchline could not reach its approvals table. Nothing was decided; open the link again shortly."),
);

/** A pending request can still be decided only before its deadline, and while the workflow has not ended it (an outcome). */
const isOpen = (record: ApprovalRecord, now: Date) => record.status === "PENDING" && record.outcome === undefined && record.deadline > now.toISOString();

/** How a request that cannot (or can no longer) be decided looks. */
function notDecidable(record: ApprovalRecord): HttpResponse {
  if (record.status === "DECIDED") return respond(409, alreadyDecidedPage(record));
  return respond(410, closedPage(record));
}

const refused = (reason: string) =>
  respond(
    403,
    problemPage(
      "Decision refused",
      `patchline accepts a decision only from the Approve and Reject buttons of its own approval page, and this one was refused: ${reason}. Open the link from the e-mail or chat message and decide on that page.`,
    ),
  );

/**
 * The approval page. GET shows the request and changes nothing (mail scanners open links); POST
 * decides, once: the conditional update in the table lets exactly one decision through, and only
 * then is the task token used. Every answer is a page; bad input never makes it fail.
 */
export function createCallbackHandler(deps: CallbackDeps): (event: unknown) => Promise<HttpResponse> {
  async function linkOf(request: ApprovalRequest, fields: ReadonlyMap<string, string>): Promise<LinkCheck> {
    return checkLink({ approvalId: request.approvalId, expires: fields.get("e"), signature: fields.get("s") }, deps.now(), deps.signer);
  }

  async function show(request: ApprovalRequest): Promise<HttpResponse> {
    const link = await linkOf(request, request.query);
    if (!link.valid) return linkProblems[link.problem];
    const record = await deps.store.get(request.approvalId!);
    if (!record) return notFound;
    if (record.status === "DECIDED") return respond(200, alreadyDecidedPage(record));
    if (!isOpen(record, deps.now())) return notDecidable(record);
    return respond(200, confirmationPage(record, { expires: request.query.get("e")!, signature: request.query.get("s")!, signInIssuer: deps.jwtIssuer }));
  }

  async function decide(request: ApprovalRequest): Promise<HttpResponse> {
    if (!request.form)
      return respond(
        400,
        problemPage("Nothing to decide", `Use the Approve or Reject button on the approval page (${request.formProblem ?? "no form data"}).`),
      );
    // before anything else is read: a forged cross-site POST learns nothing and costs no KMS call
    const origin = checkDecisionOrigin(request, deps.pageOrigin);
    if (!origin.allowed) {
      deps.log.warn("decision refused: not sent from the approval page", { approvalId: request.approvalId?.slice(0, 64), reason: origin.reason });
      return refused(origin.reason);
    }
    const link = await linkOf(request, request.form);
    if (!link.valid) return linkProblems[link.problem];
    const choice = request.form.get("decision");
    if (choice !== Decisions.approve && choice !== Decisions.reject)
      return respond(400, problemPage("Nothing to decide", "Use the Approve or Reject button on the approval page."));
    const seen = { sourceIp: (deps.behindEdge && request.viewerAddress) || request.sourceIp, userAgent: request.userAgent };
    const decider = deciderOf(request.claims);
    if (deps.jwtIssuer && !decider)
      return respond(
        401,
        problemPage(
          "Sign-in required",
          `Deciding requires a sign-in with ${deps.jwtIssuer}: open the link through your organization's sign-in gateway, which sends your token with the decision.`,
        ),
      );
    if (decider && deps.approvers) {
      const pending = await deps.store.get(request.approvalId!);
      if (!pending) return notFound;
      const allowed = mayDecide(decider, pending, deps.approvers, deps.ownerDomains ?? []);
      if (!allowed.allowed) {
        deps.log.warn("decision refused: not an approver", { approvalId: pending.approvalId, issuer: decider.issuer, subject: decider.subject });
        return respond(403, problemPage("Not yours to decide", `Your sign-in worked, but ${allowed.reason}. Ask one of them to decide.`));
      }
    }
    const approver: Approver = decider ? verifiedApprover(decider, seen) : { kind: "unverified", identity: "someone holding the link", ...seen };

    const decision: DecisionRecord = { decision: choice as Decision, approver, decidedAt: deps.now().toISOString() };
    const transition = await deps.store.decide(request.approvalId!, decision);
    if (!transition.changed) {
      if (!transition.record) return notFound;
      if (transition.record.status === "PENDING" && isOpen(transition.record, deps.now())) {
        return respond(409, problemPage("Not ready yet", "This request is not waiting for a decision right now. Open the link again in a minute."));
      }
      return notDecidable(transition.record);
    }

    const record = transition.record;
    let delivered = false;
    try {
      delivered = (await deliverDecision(deps.sfn, record.taskToken!, decision)) === "delivered";
    } catch (error) {
      // the decision is recorded: the workflow's next step reads it from the table
      deps.log.error("decision recorded but not delivered to the workflow", { approvalId: record.approvalId, error: asError(error).message });
    }
    deps.log.info("decision recorded", {
      approvalId: record.approvalId,
      decision: decision.decision,
      approverKind: approver.kind,
      approver: approver.identity,
      sourceIp: approver.sourceIp,
      delivered,
    });
    return respond(200, decisionPage(record, decision, delivered));
  }

  return async (event: unknown) => {
    const request = readRequest(event);
    try {
      if (request.method === "GET") return await show(request);
      if (request.method === "POST") return await decide(request);
      return { ...respond(405, problemPage("Not supported", "Open the approval link in a browser.")), headers: { ...pageHeaders, Allow: "GET, POST" } };
    } catch (error) {
      // only the table, KMS or Step Functions failing gets here: input problems are answered above
      deps.log.error("approval page failed", { method: request.method, error: asError(error).message });
      return unavailable;
    }
  };
}
