import { z } from "zod";

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** A host name per RFC 1123 (letters, digits, hyphens; labels 1-63; 253 in all), lowercased, trailing dot dropped. */
export const hostname = z
  .string()
  .max(254, "must be at most 253 characters")
  .transform((s) => s.toLowerCase().replace(/\.$/, ""))
  .refine((s) => s.length > 0 && s.length <= 253 && s.split(".").every((l) => LABEL.test(l)), {
    message: "must be a host name per RFC 1123, e.g. www.example.com (letters, digits and hyphens; labels of 1-63 characters)",
    params: { code: "invalid_format" },
  });

/** A short machine name: site, container, environment names. */
export function slug(max: number) {
  return z.string().regex(new RegExp(`^[a-z0-9][a-z0-9_-]{0,${max - 1}}$`), `must be 1-${max} lowercase letters, digits, _ or -, starting with a letter or digit`);
}
