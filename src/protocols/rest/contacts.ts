import type { CommandRunner } from "../../core/commands.js";
import { ContactCommands, type ContactDeps } from "../../modules/contacts/commands.js";
import { ContactOps } from "../../modules/contacts/operations.js";
import { catalogueEntrySchema, contactCreateSchema, contactMethodCreateSchema, contactMethodNoticeCreateSchema, contactMethodSchema, contactSchema, subscriptionSchema } from "../../modules/contacts/schema.js";
import { idParams, listOf, refParams } from "./hosting-common.js";
import { type AnyRoute, defineRoute } from "./route.js";

export function contactRoutes(commands: CommandRunner<ContactDeps>): AnyRoute[] {
  const tags = ["Contacts"];
  const catalogue = listOf(catalogueEntrySchema.meta({ id: "CatalogueEntry" }));
  return [
    defineRoute({
      operation: ContactOps.create,
      method: "POST",
      url: "/v1/customers/:ref/contacts",
      summary: "Create a contact (Stackable createContact)",
      tags,
      params: refParams,
      body: contactCreateSchema,
      responses: { 201: contactSchema },
      idempotent: true,
      async handler({ ctx, params, body }) {
        return { status: 201, body: await commands.execute(ContactCommands.createContact, ctx, body, { ref: params.ref }) };
      },
    }),
    defineRoute({
      operation: ContactOps.list,
      method: "GET",
      url: "/v1/customers/:ref/contacts",
      summary: "Contacts with their methods and subscriptions (Stackable listContacts)",
      tags,
      params: refParams,
      responses: { 200: listOf(contactSchema) },
      async handler({ ctx, params }) {
        return { status: 200, body: { object: "list", data: await commands.execute(ContactCommands.listContacts, ctx, {}, { ref: params.ref }) } };
      },
    }),
    defineRoute({
      operation: ContactOps.delete,
      method: "DELETE",
      url: "/v1/contacts/:id",
      summary: "Delete a contact, its methods and subscriptions (Stackable destroyContact)",
      tags,
      params: idParams,
      responses: { 204: null },
      async handler({ ctx, params }) {
        await commands.execute(ContactCommands.destroyContact, ctx, {}, { id: params.id });
        return { status: 204 };
      },
    }),
    defineRoute({
      operation: ContactOps.methodCreate,
      method: "POST",
      url: "/v1/contacts/:id/methods",
      summary: "Add a way to reach the contact (Stackable createContactMethod)",
      description: "email: options.address; sms and phone: options.number in E.164; webhook: options.url (https).",
      tags,
      params: idParams,
      body: contactMethodCreateSchema,
      responses: { 201: contactMethodSchema },
      idempotent: true,
      async handler({ ctx, params, body }) {
        return { status: 201, body: await commands.execute(ContactCommands.createContactMethod, ctx, body, { id: params.id }) };
      },
    }),
    defineRoute({
      operation: ContactOps.methodDelete,
      method: "DELETE",
      url: "/v1/contact-methods/:id",
      summary: "Remove a contact method and its subscriptions (Stackable destroyContactMethod)",
      tags,
      params: idParams,
      responses: { 204: null },
      async handler({ ctx, params }) {
        await commands.execute(ContactCommands.destroyContactMethod, ctx, {}, { id: params.id });
        return { status: 204 };
      },
    }),
    defineRoute({
      operation: ContactOps.subscribe,
      method: "POST",
      url: "/v1/contact-methods/:id/notices",
      summary: "Subscribe the method to a notice type (Stackable createContactMethodNotice)",
      tags,
      params: idParams,
      body: contactMethodNoticeCreateSchema,
      responses: { 201: subscriptionSchema },
      idempotent: true,
      async handler({ ctx, params, body }) {
        return { status: 201, body: await commands.execute(ContactCommands.createContactMethodNotice, ctx, body, { id: params.id }) };
      },
    }),
    defineRoute({
      operation: ContactOps.unsubscribe,
      method: "DELETE",
      url: "/v1/contact-method-notices/:id",
      summary: "End a subscription (Stackable destroyContactMethodNotice)",
      tags,
      params: idParams,
      responses: { 204: null },
      async handler({ ctx, params }) {
        await commands.execute(ContactCommands.destroyContactMethodNotice, ctx, {}, { id: params.id });
        return { status: 204 };
      },
    }),
    defineRoute({
      operation: ContactOps.noticeTypes,
      method: "GET",
      url: "/v1/contact-notice-types",
      summary: "Notice types (Stackable listContactNoticeTypes)",
      tags,
      responses: { 200: catalogue },
      async handler({ ctx }) {
        return { status: 200, body: { object: "list", data: await commands.execute(ContactCommands.listContactNoticeTypes, ctx, {}, undefined) } };
      },
    }),
    defineRoute({
      operation: ContactOps.methodTypes,
      method: "GET",
      url: "/v1/contact-method-types",
      summary: "Kinds of contact method (Stackable listContactMethods)",
      tags,
      responses: { 200: catalogue },
      async handler({ ctx }) {
        return { status: 200, body: { object: "list", data: await commands.execute(ContactCommands.listContactMethods, ctx, {}, undefined) } };
      },
    }),
  ];
}
