import type { HostingServices } from "../../modules/provisioning/hosting.js";
import type { AnyRoute } from "./route.js";
import { accessRoutes } from "./access.js";
import { bandwidthRoutes } from "./bandwidth.js";
import { contactRoutes } from "./contacts.js";
import { ftpRoutes } from "./ftp.js";
import { networkRoutes } from "./network.js";
import { noticeRoutes } from "./notices.js";
import { settingsRoutes } from "./settings.js";
import { siteRoutes } from "./sites.js";

/** Every REST route of the hosting objects (issue 14). */
export function hostingRoutes(services: HostingServices): AnyRoute[] {
  // The coverage matrix builds the route tables without any services (src/protocols/coverage.ts).
  const h = (services ?? {}) as HostingServices;
  return [...settingsRoutes(h.settings), ...networkRoutes(h.network), ...noticeRoutes(h.notices), ...contactRoutes(h.contacts), ...siteRoutes(h.sites, h.provisioning), ...ftpRoutes(h.ftp), ...bandwidthRoutes(h.bandwidth), ...accessRoutes(h.access)];
}
