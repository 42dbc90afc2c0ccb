import { AppError } from "../../core/errors.js";
import { BandwidthCommands } from "../../modules/bandwidth/commands.js";
import type { BillableView } from "../../modules/bandwidth/schema.js";
import { ContactCommands } from "../../modules/contacts/commands.js";
import type { CatalogueEntry, ContactMethodView, ContactView, SubscriptionView } from "../../modules/contacts/schema.js";
import { FtpCommands } from "../../modules/ftp/commands.js";
import type { FtpUserView } from "../../modules/ftp/schema.js";
import { NetworkCommands } from "../../modules/network/commands.js";
import type { IpAddressView } from "../../modules/network/schema.js";
import { NoticeCommands } from "../../modules/notices/commands.js";
import type { NoticeView } from "../../modules/notices/schema.js";
import { SettingsCommands } from "../../modules/settings/commands.js";
import { SiteCommands } from "../../modules/sites/commands.js";
import type { SiteView } from "../../modules/sites/schema.js";
import { decodeFields, issueRenamer } from "../kit/fields.js";
import { type MethodTable, method } from "../kit/rpc.js";
import {
  ACK_NOTICE,
  ADD_IP,
  BY_CUSTOMER_ID,
  BY_ID,
  billable,
  CONTACT_ID,
  CREATE_CONTACT,
  CREATE_FTP,
  CREATE_METHOD,
  catalogue,
  contact,
  FREE_IP,
  ftpUser,
  ipDetails,
  LIST_FTP,
  LIST_NOTICES,
  METHOD_ID,
  NO_ARGS,
  notice,
  SET_SETTINGS,
  SUBSCRIBE,
  SUBSCRIPTION_ID,
  settings,
  site,
  UPDATE_FTP,
  WIZARD,
} from "./hosting-fields.js";
import { customer, nothing, result, type StackableCall, type StackableDeps, type Targeted, targeted } from "./binding.js";

const object = (id: number) => ({ id });

/** The hosting functions of seed 002, bound to the hosting commands (issue 14). */
export function hostingMethods(commands: StackableDeps["commands"]): MethodTable<StackableCall> {
  return {
    CP_Wizard: method({
      operation: SiteCommands.wizard.name,
      decode: (p) => targeted(WIZARD, p, ["siteName", "siteHostname", "containerName", "containerType", "containerOSId", "containerDiskSpace", "containerSize", "environmentNames"]),
      run: ({ target, input }: Targeted, { ctx }) => commands.execute(SiteCommands.wizard, ctx, input, customer(target)),
      encode: (s: SiteView) => result(site(s)),
      renameIssues: issueRenamer(WIZARD),
    }),
    setSettings: method({
      operation: SettingsCommands.setSettings.name,
      decode: (p) => targeted(SET_SETTINGS, p, ["settings"]),
      run: ({ target, input }: Targeted, { ctx }) => commands.execute(SettingsCommands.setSettings, ctx, input, customer(target)),
      encode: nothing,
      renameIssues: issueRenamer(SET_SETTINGS),
    }),
    getSettings: method({
      operation: SettingsCommands.getSettings.name,
      decode: (p) => targeted(BY_ID, p),
      run: ({ target, input }: Targeted, { ctx }) => commands.execute(SettingsCommands.getSettings, ctx, input, customer(target)),
      encode: (v: Parameters<typeof settings>[0]) => result(settings(v)),
    }),
    addIpAddress: method({
      operation: NetworkCommands.addIpAddress.name,
      decode: (p) => targeted(ADD_IP, p),
      run: ({ target, input }: Targeted, { ctx }) => commands.execute(NetworkCommands.addIpAddress, ctx, input, customer(target)),
      encode: (a: IpAddressView) => result(a.address),
      renameIssues: issueRenamer(ADD_IP),
    }),
    getIpAddresses: method({
      operation: NetworkCommands.getIpAddresses.name,
      decode: (p) => targeted(BY_ID, p),
      run: ({ target, input }: Targeted, { ctx }) => commands.execute(NetworkCommands.getIpAddresses, ctx, input, customer(target)),
      encode: (list: string[]) => result(list),
    }),
    getDetailedIpAddresses: method({
      operation: NetworkCommands.getDetailedIpAddresses.name,
      decode: (p) => targeted(BY_ID, p),
      run: ({ target, input }: Targeted, { ctx }) => commands.execute(NetworkCommands.getDetailedIpAddresses, ctx, input, customer(target)),
      encode: (list: IpAddressView[]) => result(list.map(ipDetails)),
    }),
    freeIpAddress: method({
      operation: NetworkCommands.freeIpAddress.name,
      decode: (p) => targeted(FREE_IP, p, ["address"]),
      run: ({ target, input }: Targeted, { ctx }) => commands.execute(NetworkCommands.freeIpAddress, ctx, input, customer(target)),
      encode: nothing,
      renameIssues: issueRenamer(FREE_IP),
    }),
    createFTPUser: method({
      operation: FtpCommands.createFTPUser.name,
      decode: (p) => targeted(CREATE_FTP, p, ["name", "username", "password", "relativeRoot", "type"]),
      run: ({ target, input }: Targeted, { ctx }) => commands.execute(FtpCommands.createFTPUser, ctx, input, customer(target)),
      encode: (u: FtpUserView) => result(ftpUser(u)),
      renameIssues: issueRenamer(CREATE_FTP),
    }),
    listFTPUsers: method({
      operation: FtpCommands.listFTPUsers.name,
      decode: (p) => targeted(LIST_FTP, p),
      run: ({ target, input }: Targeted, { ctx }) => commands.execute(FtpCommands.listFTPUsers, ctx, { ...input, limit: 100 }, customer(target)),
      encode: (page: { data: FtpUserView[] }) => result(page.data.map(ftpUser)),
      renameIssues: issueRenamer(LIST_FTP),
    }),
    updateFTPUser: method({
      operation: FtpCommands.updateFTPUser.name,
      decode: (p) => targeted(UPDATE_FTP, p),
      run: ({ target, input }: Targeted, { ctx }) => commands.execute(FtpCommands.updateFTPUser, ctx, input, object(target)),
      encode: (u: FtpUserView) => result(ftpUser(u)),
      renameIssues: issueRenamer(UPDATE_FTP),
    }),
    destroyFTPUser: method({
      operation: FtpCommands.destroyFTPUser.name,
      decode: (p) => targeted(BY_ID, p),
      run: ({ target, input }: Targeted, { ctx }) => commands.execute(FtpCommands.destroyFTPUser, ctx, input, object(target)),
      encode: nothing,
    }),
    currentBillableBandwidth: method({
      operation: BandwidthCommands.currentBillableBandwidth.name,
      decode: (p) => targeted(BY_CUSTOMER_ID, p),
      run: ({ target, input }: Targeted, { ctx }) => commands.execute(BandwidthCommands.currentBillableBandwidth, ctx, input, customer(target)),
      encode: (b: BillableView) => result(billable(b)),
    }),
    listNotices: method({
      operation: NoticeCommands.listNotices.name,
      decode: (p) => targeted(LIST_NOTICES, p),
      run: ({ target, input }: Targeted, { ctx }) => commands.execute(NoticeCommands.listNotices, ctx, { ...input, limit: 100 }, customer(target)),
      encode: (page: { data: NoticeView[] }) => result(page.data.map(notice)),
      renameIssues: issueRenamer(LIST_NOTICES),
    }),
    acknowledgeNotice: method({
      operation: NoticeCommands.acknowledgeNotice.name,
      decode: (p) => targeted(ACK_NOTICE, p),
      run: ({ target, input }: Targeted, { ctx }) => {
        // The seed names only the notice: it is acknowledged for the calling customer.
        if (ctx.principal.kind !== "customer") {
          throw new AppError("validation_failed", "noticeId: acknowledgeNotice acknowledges for the calling customer; sign with the customer's key", {
            issues: [{ field: "noticeId", code: "not_allowed", message: "acknowledgeNotice acknowledges for the calling customer; sign with the customer's key" }],
          });
        }
        return commands.execute(NoticeCommands.acknowledgeNotice, ctx, input, { ref: `id:${ctx.principal.id}`, noticeId: target });
      },
      encode: nothing,
    }),
    createContact: method({
      operation: ContactCommands.createContact.name,
      decode: (p) => targeted(CREATE_CONTACT, p, ["name"]),
      run: ({ target, input }: Targeted, { ctx }) => commands.execute(ContactCommands.createContact, ctx, input, customer(target)),
      encode: (c: ContactView) => result(c.id),
      renameIssues: issueRenamer(CREATE_CONTACT),
    }),
    destroyContact: method({
      operation: ContactCommands.destroyContact.name,
      decode: (p) => targeted(CONTACT_ID, p),
      run: ({ target, input }: Targeted, { ctx }) => commands.execute(ContactCommands.destroyContact, ctx, input, object(target)),
      encode: nothing,
    }),
    createContactMethod: method({
      operation: ContactCommands.createContactMethod.name,
      decode: (p) => targeted(CREATE_METHOD, p, ["methodId"]),
      run: ({ target, input }: Targeted, { ctx }) => commands.execute(ContactCommands.createContactMethod, ctx, input, object(target)),
      encode: (m: ContactMethodView) => result(m.id),
      renameIssues: issueRenamer(CREATE_METHOD),
    }),
    destroyContactMethod: method({
      operation: ContactCommands.destroyContactMethod.name,
      decode: (p) => targeted(METHOD_ID, p),
      run: ({ target, input }: Targeted, { ctx }) => commands.execute(ContactCommands.destroyContactMethod, ctx, input, object(target)),
      encode: nothing,
    }),
    createContactMethodNotice: method({
      operation: ContactCommands.createContactMethodNotice.name,
      decode: (p) => targeted(SUBSCRIBE, p, ["noticeTypeId"]),
      run: ({ target, input }: Targeted, { ctx }) => commands.execute(ContactCommands.createContactMethodNotice, ctx, input, object(target)),
      encode: (s: SubscriptionView) => result(s.id),
      renameIssues: issueRenamer(SUBSCRIBE),
    }),
    destroyContactMethodNotice: method({
      operation: ContactCommands.destroyContactMethodNotice.name,
      decode: (p) => targeted(SUBSCRIPTION_ID, p),
      run: ({ target, input }: Targeted, { ctx }) => commands.execute(ContactCommands.destroyContactMethodNotice, ctx, input, object(target)),
      encode: nothing,
    }),
    listContactNoticeTypes: method({
      operation: ContactCommands.listContactNoticeTypes.name,
      decode: (p) => decodeFields(NO_ARGS, p),
      run: (input: Record<string, unknown>, { ctx }) => commands.execute(ContactCommands.listContactNoticeTypes, ctx, input, undefined),
      encode: (list: CatalogueEntry[]) => result(list.map(catalogue)),
    }),
    listContactMethods: method({
      operation: ContactCommands.listContactMethods.name,
      decode: (p) => decodeFields(NO_ARGS, p),
      run: (input: Record<string, unknown>, { ctx }) => commands.execute(ContactCommands.listContactMethods, ctx, input, undefined),
      encode: (list: CatalogueEntry[]) => result(list.map(catalogue)),
    }),
    listContacts: method({
      operation: ContactCommands.listContacts.name,
      decode: (p) => targeted(BY_CUSTOMER_ID, p),
      run: ({ target, input }: Targeted, { ctx }) => commands.execute(ContactCommands.listContacts, ctx, input, customer(target)),
      encode: (list: ContactView[]) => result(list.map(contact)),
    }),
  };
}
