import { assertValidRequest } from "./api-model.js";
import { FakeEvidenceAccount, patchFilters, type FakeEvidenceInstance } from "./fake-evidence-account.js";
import { ApiValidationError } from "./fake-member-account.js";

/**
 * A member account and region as the patch SLA's calls see it: instances with their missing and
 * failed patches (DescribeInstancePatches, through FakeEvidenceAccount, which checks its filters),
 * and the region's patch catalog (DescribeAvailablePatches), in which a Windows update has an entry
 * per product it updates, each with its release date. Requests are checked against AWS's API model
 * and what the SSM API Reference documents besides (MaxResults 1-100, filter keys per platform).
 */
export interface CatalogEntry {
  readonly kb: string;
  readonly product: string;
  /** Absent for an entry AWS lists without a date. */
  readonly released?: Date;
  readonly severity?: string;
}

/** DescribeAvailablePatches' filter keys: Windows Server's, and Linux's (which need PRODUCT besides). */
const windowsKeys = ["PATCH_SET", "PRODUCT", "PRODUCT_FAMILY", "MSRC_SEVERITY", "CLASSIFICATION", "PATCH_ID"];
const linuxKeys = ["PRODUCT", "NAME", "SEVERITY", "EPOCH", "VERSION", "RELEASE", "ARCH", "REPOSITORY", "ADVISORY_ID", "CVE_ID", "BUGZILLA_ID"];

export class FakeSlaAccount extends FakeEvidenceAccount {
  constructor(
    instances: readonly FakeEvidenceInstance[],
    readonly catalog: readonly CatalogEntry[] = [],
  ) {
    super(instances);
  }

  describeAvailablePatches(input: { Filters?: { Key?: string; Values?: string[] }[]; MaxResults?: number; NextToken?: string }) {
    assertValidRequest("ssm", "DescribeAvailablePatches", input);
    const size = input.MaxResults ?? 100;
    if (!Number.isInteger(size) || size < 1 || size > 100) throw new ApiValidationError(`MaxResults ${size} is outside 1-100`);
    const filters = patchFilters(input.Filters, [...new Set([...windowsKeys, ...linuxKeys])]);
    const linuxOnly = [...filters.keys()].filter((key) => !windowsKeys.includes(key));
    if (linuxOnly.length > 0 && !filters.has("PRODUCT")) throw new ApiValidationError(`Linux filters (${linuxOnly.join(", ")}) need a PRODUCT filter`);
    const id = filters.get("PATCH_ID")?.[0];
    const entries = this.catalog.filter((e) => id === undefined || e.kb === id);
    const start = input.NextToken ? Number(input.NextToken) : 0;
    const items = entries.slice(start, start + size);
    return {
      Patches: items.map((e, n) => ({
        Id: `00000000-0000-4000-8000-${(start + n).toString(16).padStart(12, "0")}`,
        ...(e.released && { ReleaseDate: e.released }),
        Title: `Security Update for ${e.product} (${e.kb})`,
        Vendor: "Microsoft",
        ProductFamily: "Windows",
        Product: e.product,
        Classification: "SecurityUpdates",
        MsrcSeverity: e.severity ?? "Important",
        KbNumber: e.kb,
        Language: "All",
      })),
      NextToken: start + size < entries.length ? String(start + size) : undefined,
    };
  }
}
