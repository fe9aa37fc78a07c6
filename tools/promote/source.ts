import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { relative, resolve } from "node:path";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { evidenceKeys, parseEvidenceDocument, parseEvidenceSummary } from "../../contracts/evidence.js";
import type { EvidenceSource } from "./decide.js";

/** Reads one object's text: an s3:// URI's bucket and key. */
export type ObjectReader = (bucket: string, key: string) => Promise<string>;

export function s3ObjectReader(region: string): ObjectReader {
  const s3 = new S3Client({ region });
  return async (bucket, key) => {
    const response = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return (await response.Body?.transformToString("utf-8")) ?? "";
  };
}

/** The evidence could not be read: which location, and why (no such file, not JSON, S3's answer). */
export class EvidenceUnreadable extends Error {
  override readonly name = "EvidenceUnreadable";
}

/** An S3 read, with S3's refusal in words: without ListBucket a missing key answers AccessDenied too. */
async function readS3(read: ObjectReader, bucket: string, key: string): Promise<string> {
  try {
    return await read(bucket, key);
  } catch (error) {
    const { name, message } = error as Error;
    const why =
      name === "AccessDenied"
        ? "access denied: the object is missing, or your credentials may not read it"
        : name === "NoSuchKey"
          ? "no such object"
          : name === "NoSuchBucket"
            ? "no such bucket (is the central stack deployed?)"
            : `${name}: ${message}`;
    throw new EvidenceUnreadable(`cannot read s3://${bucket}/${key}: ${why}`);
  }
}

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/** An evidence document as read from `source`: checked, with the SHA-256 of its text (what a record names). */
export function evidenceFromText(text: string, source: string, json: unknown = parseJson(text, source)): EvidenceSource {
  return { document: parseEvidenceDocument(json, source), source, sha256: sha256(text) };
}

function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new EvidenceUnreadable(`${source} is not JSON (${(error as Error).message})`);
  }
}

const s3Uri = /^s3:\/\/([^/]+)\/(.+)$/;

/**
 * The evidence to promote from: a file (as in tests and the docs' walk-through), an s3:// URI of
 * an evidence document, or of an environment's summary (its newest run is read). Without one, the
 * summary of `from` in the evidence bucket.
 */
export async function readEvidence(options: {
  readonly evidence?: string;
  readonly from: string;
  readonly evidenceBucket: string;
  readonly read: ObjectReader;
  readonly cwd: string;
}): Promise<EvidenceSource> {
  const location = options.evidence ?? `s3://${options.evidenceBucket}/${evidenceKeys.summary(options.from)}`;
  const uri = s3Uri.exec(location);
  if (!uri) {
    const path = resolve(options.cwd, location);
    const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
      throw new EvidenceUnreadable(`cannot read the evidence file ${location}: ${error.code === "ENOENT" ? "no such file" : error.message}`);
    });
    const source = relative(options.cwd, path);
    return evidenceFromText(text, source);
  }
  const [, bucket, key] = uri as unknown as [string, string, string];
  let text = await readS3(options.read, bucket, key);
  let source = location;
  const json = parseJson(text, source);
  if (typeof json === "object" && json !== null && "runs" in json) {
    const latest = parseEvidenceSummary(json, source).runs[0];
    if (!latest)
      throw new EvidenceUnreadable(`${source} lists no evidence yet: the compliance run has not collected ${options.from} since promotion was configured`);
    source = `s3://${bucket}/${latest.key}`;
    text = await readS3(options.read, bucket, latest.key);
    return evidenceFromText(text, source);
  }
  return evidenceFromText(text, source, json);
}
