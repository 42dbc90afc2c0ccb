/*
 * The Stackable `Customer` service (seed 002_703221e5d969ed55.txt), written for Custos.
 *
 * Function names, argument names and argument field ids are the seed's (`idx`). Stackable never
 * published its Types.* typedefs, its structs or the fields of Exceptions.InvalidArguments, so
 * every type below marked (inferred) is Custos's choice; README.md in this folder explains each.
 *
 * Ids are i32: every Custos id is a 32-bit integer key, and i32 reaches JavaScript clients as a
 * plain number (i64 would arrive as node-int64 objects). Times are i64 Unix seconds.
 */

// ---- Types (all inferred) ----
typedef i32 CustomerId
typedef i32 APIKeyId
typedef i32 APIKeyACLId
/** A free label of the key's kind, e.g. "standard". */
typedef string APIKeyType
/** An IPv4 or IPv6 address in text form. */
typedef string IPAddress
/** Prefix length of an ACL range (0-32 for IPv4, 0-128 for IPv6). */
typedef i16 CIDRMask
typedef string EmailAddress
typedef string CustomerName
typedef string CustomerUsername
typedef i64 UnixTime
typedef i32 SiteId
typedef string SiteName
typedef string SiteAlias
typedef string Hostname
typedef string ContainerName
typedef string EnvironmentName
typedef i32 EnvironmentId
/** A container type by id (GET /v1/container-types). */
typedef i32 ContainerTypeId
/** An operating-system image by id (GET /v1/os-images). */
typedef i32 OSId
/** Disk space in MB. */
typedef i32 ContainerDiskSpace
/** Size class, 1 = smallest. */
typedef i32 ContainerSize
typedef i32 FTPUserId
typedef i32 CustomerNoticeId
typedef i32 CustomerContactId
/** A kind of contact method (listContactMethods): e-mail, SMS, phone, webhook. */
typedef i32 ContactMethodId
typedef i32 CustomerContactMethodId
typedef i32 ContactNoticeTypeId
typedef i32 CustomerContactMethodNoticeId

enum FTPUserType {
  READ_WRITE = 1,
  READ_ONLY = 2,
  UPLOAD_ONLY = 3
}

/** One customer setting; the value in text form (integers and booleans as "42", "true"). */
struct Setting {
  1: required string key,
  2: required string value
}
typedef list<Setting> SettingList

struct APIKey {
  1: required APIKeyId id,
  2: required string prefix,
  3: required APIKeyType type,
  4: required string name,
  5: required list<string> roles,
  6: required UnixTime created,
  7: optional UnixTime revoked,
  /** The whole key (Bearer credential): answered by createKey only. */
  8: optional string key,
  /** The HMAC-SHA1 signing secret: answered by createKey only. */
  9: optional string signingSecret
}

struct APIKeyACL {
  1: required APIKeyACLId id,
  2: required APIKeyId keyId,
  3: required IPAddress address,
  4: required CIDRMask cidr
}

struct Role {
  1: required string name,
  2: required string description,
  3: required list<string> permissions
}

struct IPAddressDetails {
  1: required IPAddress address,
  2: required byte version,
  3: required string pool,
  4: optional SiteId siteId,
  5: optional Hostname reverseDNS,
  6: required UnixTime assigned
}

struct Environment {
  1: required EnvironmentId id,
  2: required EnvironmentName name,
  3: required string status
}

struct Site {
  1: required SiteId id,
  2: required CustomerId customerId,
  3: required SiteName name,
  4: required Hostname hostname,
  5: required list<SiteAlias> aliases,
  6: required list<Environment> environments,
  7: required string status
}

struct FTPUser {
  1: required FTPUserId id,
  2: required CustomerId customerId,
  3: required CustomerName name,
  4: required CustomerUsername username,
  5: required string relativeRoot,
  6: required FTPUserType type,
  7: optional SiteId siteId,
  8: optional EnvironmentId environmentId
}

struct CustomerNotice {
  1: required CustomerNoticeId id,
  2: required bool global,
  3: required string type,
  4: required string title,
  5: required string body,
  6: required string severity,
  7: required bool acknowledged,
  8: required UnixTime created,
  9: required UnixTime updated
}

struct ContactNoticeType {
  1: required ContactNoticeTypeId id,
  2: required string name,
  3: required string description
}

struct ContactMethod {
  1: required ContactMethodId id,
  2: required string name,
  3: required string description
}

struct CustomerContactMethodNotice {
  1: required CustomerContactMethodNoticeId id,
  2: required ContactNoticeTypeId noticeTypeId,
  3: required string noticeType,
  4: required map<string, string> options
}

struct CustomerContactMethod {
  1: required CustomerContactMethodId id,
  2: required ContactMethodId methodId,
  3: required string method,
  4: required map<string, string> options,
  5: required list<CustomerContactMethodNotice> notices
}

struct CustomerContact {
  1: required CustomerContactId id,
  2: required string name,
  3: required list<CustomerContactMethod> methods
}

/**
 * Every refusal a function can answer in the IDL's own terms: `code` is the Custos error
 * catalogue code (validation_failed, not_found, forbidden, ...), `fields` the argument names at
 * fault, `message` what to fix.
 */
exception InvalidArguments {
  1: required string message,
  2: required string code,
  3: required list<string> fields
}

service Customer {
  Site CP_Wizard(1: CustomerId customerId, 2: SiteName siteName, 3: Hostname siteHostname, 4: ContainerName containerName, 8: ContainerTypeId containerType, 10: OSId containerOSId, 11: ContainerDiskSpace containerDiskSpace, 12: ContainerSize containerSize, 6: list<EnvironmentName> environmentNames, 7: optional list<SiteAlias> aliasNames, 9: optional bool createDNS) throws (1: InvalidArguments invalidArguments)
  void requestCancellation(1: CustomerId id, 2: string reason) throws (1: InvalidArguments invalidArguments)
  APIKey createKey(1: CustomerId id, 2: optional APIKeyType type) throws (1: InvalidArguments invalidArguments)
  void revokeKey(1: APIKeyId id) throws (1: InvalidArguments invalidArguments)
  list<APIKey> getKeys(1: CustomerId id, 2: optional APIKeyType type) throws (1: InvalidArguments invalidArguments)
  APIKeyACL createKeyACL(1: APIKeyId id, 2: IPAddress address, 3: CIDRMask cidr) throws (1: InvalidArguments invalidArguments)
  APIKeyACL updateKeyACL(1: APIKeyACLId id, 2: optional IPAddress address, 3: optional CIDRMask cidr) throws (1: InvalidArguments invalidArguments)
  void deleteKeyACL(1: APIKeyACLId id) throws (1: InvalidArguments invalidArguments)
  list<Role> listRoles(1: CustomerId id) throws (1: InvalidArguments invalidArguments)
  CustomerUsername getUsername(1: CustomerId id) throws (1: InvalidArguments invalidArguments)
  void changePassword(1: CustomerId id, 2: string password) throws (1: InvalidArguments invalidArguments)
  void changePIN(1: CustomerId id, 2: string pin) throws (1: InvalidArguments invalidArguments)
  void changeEmail(1: CustomerId id, 2: EmailAddress email) throws (1: InvalidArguments invalidArguments)
  void setSettings(1: CustomerId id, 2: SettingList settings) throws (1: InvalidArguments invalidArguments)
  SettingList getSettings(1: CustomerId id) throws (1: InvalidArguments invalidArguments)
  IPAddress addIpAddress(1: CustomerId id, 2: optional IPAddress address) throws (1: InvalidArguments invalidArguments)
  list<IPAddress> getIpAddresses(1: CustomerId id) throws (1: InvalidArguments invalidArguments)
  list<IPAddressDetails> getDetailedIpAddresses(1: CustomerId id) throws (1: InvalidArguments invalidArguments)
  void freeIpAddress(1: CustomerId id, 2: IPAddress address) throws (1: InvalidArguments invalidArguments)
  FTPUser createFTPUser(1: CustomerId customerId, 2: CustomerName name, 3: CustomerUsername username, 4: string password, 5: string relativeRoot, 6: FTPUserType type, 7: optional SiteId siteId, 8: optional EnvironmentId environmentId) throws (1: InvalidArguments invalidArguments)
  list<FTPUser> listFTPUsers(1: CustomerId id, 7: optional SiteId siteId, 8: optional EnvironmentId environmentId) throws (1: InvalidArguments invalidArguments)
  FTPUser updateFTPUser(1: FTPUserId id, 2: optional CustomerName name, 3: optional CustomerUsername username, 4: optional string password, 5: optional string relativeRoot, 6: optional FTPUserType type, 7: optional SiteId siteId, 8: optional EnvironmentId environmentId) throws (1: InvalidArguments invalidArguments)
  void destroyFTPUser(1: FTPUserId id) throws (1: InvalidArguments invalidArguments)
  double currentBillableBandwidth(1: CustomerId customerId) throws (1: InvalidArguments invalidArguments)
  list<CustomerNotice> listNotices(1: CustomerId customerId, 2: optional UnixTime since) throws (1: InvalidArguments invalidArguments)
  void acknowledgeNotice(1: CustomerNoticeId noticeId) throws (1: InvalidArguments invalidArguments)
  CustomerContactId createContact(1: CustomerId customerId, 2: string name) throws (1: InvalidArguments invalidArguments)
  void destroyContact(1: CustomerContactId contactId) throws (1: InvalidArguments invalidArguments)
  CustomerContactMethodId createContactMethod(1: CustomerContactId contactId, 2: ContactMethodId methodId, 3: optional map<string, string> options) throws (1: InvalidArguments invalidArguments)
  void destroyContactMethod(1: CustomerContactMethodId contactMethodId) throws (1: InvalidArguments invalidArguments)
  CustomerContactMethodNoticeId createContactMethodNotice(1: CustomerContactMethodId contactMethodId, 2: ContactNoticeTypeId noticeTypeId, 3: optional map<string, string> options) throws (1: InvalidArguments invalidArguments)
  void destroyContactMethodNotice(1: CustomerContactMethodNoticeId contactMethodNoticeId) throws (1: InvalidArguments invalidArguments)
  list<ContactNoticeType> listContactNoticeTypes() throws (1: InvalidArguments invalidArguments)
  list<ContactMethod> listContactMethods() throws (1: InvalidArguments invalidArguments)
  list<CustomerContact> listContacts(1: CustomerId customerId) throws (1: InvalidArguments invalidArguments)
}
