import { defineOperation } from "../../core/operations.js";

const all = ["operator", "reseller", "customer"] as const;

/** Contacts, their contact methods and notice subscriptions, and the two catalogues they draw on. */
export const ContactOps = {
  create: defineOperation({ name: "contact.create", permission: "hosting.write", mutates: true, principals: all, summary: "Create a contact of a customer (Stackable createContact)" }),
  delete: defineOperation({ name: "contact.delete", permission: "hosting.write", mutates: true, principals: all, summary: "Delete a contact with its methods and subscriptions (Stackable destroyContact)" }),
  list: defineOperation({ name: "contact.list", permission: "hosting.read", mutates: false, principals: all, summary: "A customer's contacts with their methods and subscriptions (Stackable listContacts)" }),
  methodCreate: defineOperation({ name: "contact_method.create", permission: "hosting.write", mutates: true, principals: all, summary: "Give a contact a way to be reached (Stackable createContactMethod)" }),
  methodDelete: defineOperation({ name: "contact_method.delete", permission: "hosting.write", mutates: true, principals: all, summary: "Remove a contact method and its subscriptions (Stackable destroyContactMethod)" }),
  subscribe: defineOperation({ name: "contact_method_notice.create", permission: "hosting.write", mutates: true, principals: all, summary: "Subscribe a contact method to a notice type (Stackable createContactMethodNotice)" }),
  unsubscribe: defineOperation({ name: "contact_method_notice.delete", permission: "hosting.write", mutates: true, principals: all, summary: "End a subscription (Stackable destroyContactMethodNotice)" }),
  noticeTypes: defineOperation({ name: "contact_notice_type.list", permission: "hosting.read", mutates: false, principals: all, summary: "The notice types contacts can subscribe to (Stackable listContactNoticeTypes)" }),
  methodTypes: defineOperation({ name: "contact_method_type.list", permission: "hosting.read", mutates: false, principals: all, summary: "The kinds of contact method: e-mail, SMS, phone, webhook (Stackable listContactMethods)" }),
} as const;
