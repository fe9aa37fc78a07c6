import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { build } from "esbuild";
import { functionFolders, type FunctionName } from "../../contracts/functions.js";
import { handlerPath } from "../../functions/build.js";

/** The IAM service prefix of each AWS SDK v3 client package patchline's functions use. */
const servicePrefix: Readonly<Record<string, string>> = {
  "@aws-sdk/client-config-service": "config",
  "@aws-sdk/client-dynamodb": "dynamodb",
  "@aws-sdk/client-ec2": "ec2",
  "@aws-sdk/client-kms": "kms",
  "@aws-sdk/client-organizations": "organizations",
  "@aws-sdk/client-s3": "s3",
  "@aws-sdk/client-secrets-manager": "secretsmanager",
  "@aws-sdk/client-sesv2": "ses",
  "@aws-sdk/client-sfn": "states",
  "@aws-sdk/client-sns": "sns",
  "@aws-sdk/client-ssm": "ssm",
  "@aws-sdk/client-sts": "sts",
};

/** Operations whose IAM action is named otherwise: S3 authorizes a listing of keys as s3:ListBucket. */
const iamActionOf: Readonly<Record<string, string>> = { "s3:ListObjectsV2": "s3:ListBucket" };

/** The project's own source files a function's bundle is made of (as esbuild resolves its imports). */
export async function sourceFilesOf(name: FunctionName): Promise<string[]> {
  const result = await build({
    entryPoints: [handlerPath(functionFolders[name])],
    bundle: true,
    write: false,
    metafile: true,
    platform: "node",
    format: "esm",
    mainFields: ["module", "main"],
    logLevel: "silent",
  });
  return Object.keys(result.metafile.inputs)
    .filter((input) => !input.includes("node_modules") && input.endsWith(".ts"))
    .map((input) => resolve(input));
}

export interface SdkCalls {
  /** `service:Operation` of every call in the function's sources. */
  readonly all: readonly string[];
  /** The same without the calls of the given files (adapters whose methods different functions use in part). */
  readonly outside: (files: readonly string[]) => readonly string[];
}

/**
 * The IAM actions of the AWS calls a function's code may make: every `new XCommand(` and
 * `paginateX(` of an SDK client imported in a source file it bundles, named `service:X`. A file is
 * the unit: a class whose methods make different calls counts with all of them.
 */
export async function sdkCallsOf(name: FunctionName): Promise<SdkCalls> {
  const byFile = new Map<string, Set<string>>();
  for (const file of await sourceFilesOf(name)) {
    const actions = new Set<string>();
    byFile.set(file, actions);
    const source = readFileSync(file, "utf8");
    const imported = new Map<string, string>();
    for (const [, names, pkg] of source.matchAll(/import\s*(?:type\s*)?\{([^}]*)\}\s*from\s*"(@aws-sdk\/client-[a-z0-9-]+)"/g)) {
      for (const item of names!.split(",")) {
        const identifier = item
          .replace(/^\s*type\s+/, "")
          .split(/\s+as\s+/)[0]!
          .trim();
        if (identifier) imported.set(identifier, pkg!);
      }
    }
    // lib-storage's Upload writes one object with PutObject or a multipart upload (Create, UploadPart,
    // Complete: all s3:PutObject to IAM), and aborts the multipart upload when it fails
    if (/import\s*\{[^}]*\bUpload\b[^}]*\}\s*from\s*"@aws-sdk\/lib-storage"/.test(source) && /new\s+Upload\(/.test(source))
      for (const action of ["s3:PutObject", "s3:AbortMultipartUpload"]) actions.add(action);
    const calls = [...source.matchAll(/new\s+([A-Z]\w*)Command\(/g)].map((m) => [`${m[1]}Command`, m[1]!] as const);
    const pages = [...source.matchAll(/\bpaginate([A-Z]\w*)\(/g)].map((m) => [`paginate${m[1]}`, m[1]!] as const);
    for (const [identifier, operation] of [...calls, ...pages]) {
      const pkg = imported.get(identifier);
      if (!pkg) continue;
      const prefix = servicePrefix[pkg];
      if (!prefix) throw new Error(`${file}: no IAM service prefix known for ${pkg}; add it to test/support/sdk-calls.ts`);
      const action = `${prefix}:${operation}`;
      actions.add(iamActionOf[action] ?? action);
    }
  }
  const union = (files: Iterable<[string, Set<string>]>) => [...new Set([...files].flatMap(([, actions]) => [...actions]))].sort();
  return {
    all: union(byFile),
    outside: (excluded) => union([...byFile].filter(([file]) => !excluded.some((e) => file.endsWith(e)))),
  };
}
