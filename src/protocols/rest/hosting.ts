import type { CommandRunner } from "../../core/commands.js";
import type { HostingServices } from "../../modules/provisioning/hosting.js";
import { accessRoutes } from "./access.js";
import { bandwidthRoutes } from "./bandwidth.js";
import { contactRoutes } from "./contacts.js";
import { ftpRoutes } from "./ftp.js";
import { networkRoutes } from "./network.js";
import { noticeRoutes } from "./notices.js";
import type { AnyRoute } from "./route.js";
import { settingsRoutes } from "./settings.js";
import { siteRoutes } from "./sites.js";

/** Every REST route of the hosting objects (issue 14); each runs one command of src/modules/<object>/commands.ts. */
export function hostingRoutes(commands: CommandRunner<{ hosting: HostingServices }>): AnyRoute[] {
  return [...settingsRoutes(commands), ...networkRoutes(commands), ...noticeRoutes(commands), ...contactRoutes(commands), ...siteRoutes(commands), ...ftpRoutes(commands), ...bandwidthRoutes(commands), ...accessRoutes(commands)];
}
