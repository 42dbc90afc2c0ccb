import assert from "node:assert/strict";
import { test } from "node:test";
import { xmlRpcPositionalCodec } from "../../src/protocols/kit/codec.js";

test("the positional XML-RPC codec numbers the parameters and writes values or faults", () => {
  // The Everlytic SDK's form: newlines between elements, an untyped value, an int and a struct.
  const xml = `<?xml version="1.0"?>\n<methodCall>\n<methodName>customers.UpdateCustomer</methodName>\n<params>\n<param>\n<value><int>12</int></value>\n</param>\n<param>\n<value><struct>\n<member><name>status</name><value>suspended</value></member>\n</struct></value>\n</param>\n</params>\n</methodCall>`;
  assert.deepEqual(xmlRpcPositionalCodec.decode(xml), { method: "customers.UpdateCustomer", params: { "0": 12, "1": { status: "suspended" } } });
  assert.deepEqual(xmlRpcPositionalCodec.decode("<methodCall><methodName>system.listMethods</methodName></methodCall>"), { method: "system.listMethods", params: {} });
  assert.match(xmlRpcPositionalCodec.encode({ value: 12 }), /<methodResponse><params><param><value><int>12<\/int><\/value><\/param><\/params><\/methodResponse>$/);
  assert.match(xmlRpcPositionalCodec.encode({ value: [{ id: 1 }] }), /<array><data><value><struct><member><name>id<\/name><value><int>1<\/int>/);
  assert.match(xmlRpcPositionalCodec.encode({ fault: { faultCode: 404, faultString: "Customer not found" } }), /<fault><value><struct><member><name>faultCode<\/name><value><int>404<\/int><\/value><\/member><member><name>faultString<\/name><value><string>Customer not found<\/string>/);
  assert.throws(() => xmlRpcPositionalCodec.decode(""), (e: { code: string }) => e.code === "malformed_request");
  assert.throws(() => xmlRpcPositionalCodec.decode('<!DOCTYPE x [<!ENTITY e "x">]><methodCall><methodName>a</methodName></methodCall>'), (e: { code: string }) => e.code === "malformed_request");
});
