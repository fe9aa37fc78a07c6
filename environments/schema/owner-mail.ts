import { z } from "zod";
import { show } from "./messages.js";

/** `example.com`, or `*.example.com` for every subdomain of it (not example.com itself). */
export const ownerDomain = z.string().regex(/^(\*\.)?(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, {
  error: (i) =>
    `${show(i.input)} is not a mail domain: lowercase labels of letters, digits and hyphens with a dot between them (e.g. "example.com"), or "*.example.com" for its subdomains`,
});
