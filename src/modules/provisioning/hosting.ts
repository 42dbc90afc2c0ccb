import type { Clock } from "../../core/clock.js";
import type { Storage } from "../../storage/db.js";
import type { AuditService } from "../audit/service.js";
import type { CustomerService } from "../customers/service.js";
import { AccessService } from "../access/service.js";
import { BandwidthService } from "../bandwidth/service.js";
import { ContactService } from "../contacts/service.js";
import { FtpService } from "../ftp/service.js";
import { NetworkService } from "../network/service.js";
import { NoticeService } from "../notices/service.js";
import { SettingsService } from "../settings/service.js";
import { SiteService } from "../sites/service.js";
import { ProvisioningService } from "./service.js";

/** The hosting objects of a customer (issue 14), wired together. */
export interface HostingServices {
  settings: SettingsService;
  network: NetworkService;
  notices: NoticeService;
  contacts: ContactService;
  provisioning: ProvisioningService;
  sites: SiteService;
  ftp: FtpService;
  bandwidth: BandwidthService;
  access: AccessService;
}

/** Part of the composition root: the hosting services and how they depend on each other. */
export function createHostingServices(storage: Storage, audit: AuditService, clock: Clock, customers: CustomerService): HostingServices {
  const settings = new SettingsService(storage, audit, clock, customers);
  const network = new NetworkService(storage, audit, clock, customers);
  const notices = new NoticeService(storage, audit, clock, customers);
  const contacts = new ContactService(storage, audit, clock, customers);
  const provisioning = new ProvisioningService(storage, audit, clock);
  const sites = new SiteService(storage, audit, clock, customers, network, settings, provisioning);
  const ftp = new FtpService(storage, audit, clock, customers, sites, provisioning);
  const bandwidth = new BandwidthService(storage, audit, clock, customers, settings);
  const access = new AccessService(storage, clock);
  return { settings, network, notices, contacts, provisioning, sites, ftp, bandwidth, access };
}
