import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { InvalidFleetCatalog, parseFleetCatalog, type FleetCatalog } from "../../contracts/fleet-catalog.js";
import { surfaceTransient } from "./errors.js";

/** Reads the catalog Terraform wrote. */
export async function loadFleetCatalog(s3: S3Client, bucket: string, key: string): Promise<FleetCatalog> {
  // throttling or a 5xx is TransientAwsError, which the state machines retry; a missing catalog is not
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })).catch((error: unknown) => surfaceTransient(error, `s3:GetObject ${key}`));
  const text = await object.Body?.transformToString("utf-8");
  if (!text) throw new InvalidFleetCatalog(`s3://${bucket}/${key} is empty`);
  return parseFleetCatalog(JSON.parse(text));
}

/**
 * Loads the catalog at most once per `ttlMs` per container: a warm function picks up a redeployed
 * catalog within that time without reading it on every invocation.
 */
export function catalogLoader(s3: S3Client, bucket: string, key: string, ttlMs = 60_000, now: () => number = Date.now): () => Promise<FleetCatalog> {
  let cached: { at: number; catalog: Promise<FleetCatalog> } | undefined;
  return () => {
    if (!cached || now() - cached.at > ttlMs) {
      const catalog = loadFleetCatalog(s3, bucket, key);
      cached = { at: now(), catalog };
      // a failed read is not cached
      catalog.catch(() => (cached = undefined));
    }
    return cached.catalog;
  };
}
