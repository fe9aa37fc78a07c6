import { GetObjectCommand, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import {
  evidenceKeys,
  parseEvidencePart,
  parseEvidenceSummary,
  type EvidenceDocument,
  type EvidencePart,
  type EvidenceSummary,
} from "../../../contracts/evidence.js";
import { readObjectText } from "../../shared/clients/s3.js";
import { asError, surfaceTransient, TransientAwsError } from "../../shared/errors.js";
import { nextSummary } from "./assemble.js";

/** A run's evidence document exists with other content: evidence is written once, never replaced. */
export class EvidenceAlreadyWritten extends Error {
  override readonly name = "EvidenceAlreadyWritten";
}

const statusOf = (thrown: unknown): number | undefined => (thrown as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
/** S3's answer to a write whose If-None-Match or If-Match did not hold. */
const preconditionFailed = (thrown: unknown) => statusOf(thrown) === 412 || asError(thrown).name === "PreconditionFailed";
/** S3's answer when another conditional write of the same key was under way: try again. */
const conditionalConflict = (thrown: unknown) => statusOf(thrown) === 409 || asError(thrown).name === "ConditionalRequestConflict";

/** A target's evidence part, as the collector wrote it to the reports bucket. */
export async function readEvidencePart(s3: S3Client, bucket: string, key: string): Promise<EvidencePart> {
  return parseEvidencePart(JSON.parse(await readObjectText(s3, bucket, key)), `s3://${bucket}/${key}`);
}

async function putConditionally(s3: S3Client, input: { Bucket: string; Key: string; Body: string; IfNoneMatch?: string; IfMatch?: string }) {
  try {
    await s3.send(new PutObjectCommand({ ...input, ContentType: "application/json" }));
    return "written" as const;
  } catch (thrown) {
    if (preconditionFailed(thrown)) return "precondition-failed" as const;
    if (conditionalConflict(thrown)) throw new TransientAwsError(`s3:PutObject ${input.Key}: another write of it was under way`);
    surfaceTransient(thrown, `s3:PutObject ${input.Key}`);
  }
}

/**
 * Writes the run's document once (If-None-Match: *). When it exists already, it is read back: the
 * same text is this run's own write from an attempt that failed later (the document is assembled
 * the same from the same parts), anything else fails loudly and stays as it is.
 */
async function writeDocumentOnce(s3: S3Client, bucket: string, document: EvidenceDocument): Promise<string> {
  const key = evidenceKeys.run(document.environment, document.runId);
  const body = JSON.stringify(document);
  if ((await putConditionally(s3, { Bucket: bucket, Key: key, Body: body, IfNoneMatch: "*" })) === "written") return key;
  const existing = await readObjectText(s3, bucket, key);
  if (existing !== body)
    throw new EvidenceAlreadyWritten(`s3://${bucket}/${key} exists with other content: the evidence of ${document.id} was written before and is not replaced`);
  return key;
}

interface StoredSummary {
  readonly summary: EvidenceSummary;
  readonly etag: string | undefined;
}

/**
 * The environment's summary and its ETag, or why it could not be read. The report function may not
 * list the bucket, so S3 answers a summary that does not exist yet with AccessDenied, like one it
 * may not read: the conditional write after tells the two apart.
 */
async function readSummary(s3: S3Client, bucket: string, key: string): Promise<StoredSummary | { readonly unread: Error }> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const text = await object.Body?.transformToString("utf-8");
    if (text === undefined) throw new Error(`s3://${bucket}/${key} has no body`);
    return { summary: parseEvidenceSummary(JSON.parse(text), `s3://${bucket}/${key}`), etag: object.ETag };
  } catch (thrown) {
    const error = asError(thrown);
    if (error.name === "NoSuchKey" || error.name === "AccessDenied") return { unread: error };
    surfaceTransient(thrown, `s3:GetObject ${key}`);
  }
}

/**
 * Adds the run to the environment's summary: read, changed, written back only if nobody wrote it
 * in between (If-Match; If-None-Match: * for the first). A summary that already lists the run is
 * left as it is.
 */
async function addToSummary(s3: S3Client, bucket: string, document: EvidenceDocument, documentKey: string): Promise<EvidenceSummary> {
  const key = evidenceKeys.summary(document.environment);
  const stored = await readSummary(s3, bucket, key);
  const previous = "summary" in stored ? stored : undefined;
  const next = nextSummary(previous?.summary, document, documentKey);
  if (next === previous?.summary) return next;
  const condition = previous ? { IfMatch: previous.etag } : { IfNoneMatch: "*" };
  const outcome = await putConditionally(s3, { Bucket: bucket, Key: key, Body: JSON.stringify(next), ...condition });
  if (outcome === "written") return next;
  // it exists though it could not be read: say why it could not
  if ("unread" in stored) throw new Error(`cannot read s3://${bucket}/${key} to add ${document.id} to it: ${stored.unread.name}: ${stored.unread.message}`);
  // changed since it was read: the state machine retries the report step, which reads it again
  throw new TransientAwsError(`s3:PutObject ${key}: the summary changed while ${document.id} was being added`);
}

/** Stores one evidence document for good and lists it in its environment's summary; returns the document's key. */
export async function storeEvidence(s3: S3Client, bucket: string, document: EvidenceDocument): Promise<string> {
  const key = await writeDocumentOnce(s3, bucket, document);
  await addToSummary(s3, bucket, document, key);
  return key;
}
