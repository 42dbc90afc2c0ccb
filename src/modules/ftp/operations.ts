import { defineOperation } from "../../core/operations.js";

const all = ["operator", "reseller", "customer"] as const;

/** A customer's FTP users: create, list, update, delete. */
export const FtpOps = {
  create: defineOperation({ name: "ftp_user.create", permission: "hosting.write", mutates: true, principals: all, summary: "Create a customer-controlled FTP user (Stackable createFTPUser)" }),
  list: defineOperation({ name: "ftp_user.list", permission: "hosting.read", mutates: false, principals: all, summary: "List FTP users, by site or environment (Stackable listFTPUsers)" }),
  get: defineOperation({ name: "ftp_user.get", permission: "hosting.read", mutates: false, principals: all, summary: "Read an FTP user (never its password)" }),
  update: defineOperation({ name: "ftp_user.update", permission: "hosting.write", mutates: true, principals: all, summary: "Change an FTP user (Stackable updateFTPUser)" }),
  delete: defineOperation({ name: "ftp_user.delete", permission: "hosting.write", mutates: true, principals: all, summary: "Delete an FTP user (Stackable destroyFTPUser)" }),
} as const;
