import { z } from "zod";
import { type CommandCall, defineCommand } from "../../core/commands.js";
import type { CustomerTarget, ObjectTarget } from "../provisioning/targets.js";
import { ContactOps } from "./operations.js";
import { contactCreateSchema, contactMethodCreateSchema, contactMethodNoticeCreateSchema } from "./schema.js";
import type { ContactService } from "./service.js";

export interface ContactDeps {
  hosting: { contacts: ContactService };
}
const nothing = z.strictObject({});

/** Contacts, contact methods and subscriptions: one command per operation. */
export const ContactCommands = {
  createContact: defineCommand({
    operation: ContactOps.create,
    input: contactCreateSchema,
    errors: ["not_found", "invalid_state_transition"],
    run: ({ hosting }: ContactDeps, { ctx, input, target }: CommandCall<z.output<typeof contactCreateSchema>, CustomerTarget>) => hosting.contacts.createContact(ctx, target.ref, input),
  }),
  destroyContact: defineCommand({
    operation: ContactOps.delete,
    input: nothing,
    errors: ["not_found"],
    run: ({ hosting }: ContactDeps, { ctx, target }: CommandCall<unknown, ObjectTarget>) => hosting.contacts.destroyContact(ctx, target.id),
  }),
  listContacts: defineCommand({
    operation: ContactOps.list,
    input: nothing,
    errors: ["not_found"],
    run: ({ hosting }: ContactDeps, { ctx, target }: CommandCall<unknown, CustomerTarget>) => hosting.contacts.listContacts(ctx, target.ref),
  }),
  createContactMethod: defineCommand({
    operation: ContactOps.methodCreate,
    input: contactMethodCreateSchema,
    errors: ["not_found"],
    run: ({ hosting }: ContactDeps, { ctx, input, target }: CommandCall<z.output<typeof contactMethodCreateSchema>, ObjectTarget>) => hosting.contacts.createContactMethod(ctx, target.id, input),
  }),
  destroyContactMethod: defineCommand({
    operation: ContactOps.methodDelete,
    input: nothing,
    errors: ["not_found"],
    run: ({ hosting }: ContactDeps, { ctx, target }: CommandCall<unknown, ObjectTarget>) => hosting.contacts.destroyContactMethod(ctx, target.id),
  }),
  createContactMethodNotice: defineCommand({
    operation: ContactOps.subscribe,
    input: contactMethodNoticeCreateSchema,
    errors: ["not_found", "conflict"],
    run: ({ hosting }: ContactDeps, { ctx, input, target }: CommandCall<z.output<typeof contactMethodNoticeCreateSchema>, ObjectTarget>) => hosting.contacts.createContactMethodNotice(ctx, target.id, input),
  }),
  destroyContactMethodNotice: defineCommand({
    operation: ContactOps.unsubscribe,
    input: nothing,
    errors: ["not_found"],
    run: ({ hosting }: ContactDeps, { ctx, target }: CommandCall<unknown, ObjectTarget>) => hosting.contacts.destroyContactMethodNotice(ctx, target.id),
  }),
  listContactNoticeTypes: defineCommand({ operation: ContactOps.noticeTypes, input: nothing, errors: [], run: ({ hosting }: ContactDeps, { ctx }) => hosting.contacts.listContactNoticeTypes(ctx) }),
  listContactMethods: defineCommand({ operation: ContactOps.methodTypes, input: nothing, errors: [], run: ({ hosting }: ContactDeps, { ctx }) => hosting.contacts.listContactMethods(ctx) }),
} as const;
