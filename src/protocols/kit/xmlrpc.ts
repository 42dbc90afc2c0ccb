import { XMLBuilder, XMLParser } from "fast-xml-parser";
import { AppError } from "../../core/errors.js";

/**
 * XML-RPC (http://xmlrpc.com/spec.md) decoding and encoding with fast-xml-parser, for every
 * protocol that speaks it (INWX DomRobot, Everlytic). Nothing here knows a protocol: a request
 * is a method name and a list of values; an answer is one value or a fault.
 */

const ARRAYS = new Set(["methodCall.params.param", "member", "data.value"]);
const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  isArray: (name, jpath) => name === "member" || ARRAYS.has(String(jpath)) || String(jpath).endsWith("data.value"),
});
const builder = new XMLBuilder({ format: false, ignoreAttributes: true, suppressEmptyNode: false, processEntities: true });

type Node = Record<string, unknown>;
const bad = (what: string): AppError => new AppError("malformed_request", `Invalid XML-RPC request: ${what}`);

const asNode = (x: unknown): Node | undefined => (typeof x === "object" && x !== null ? (x as Node) : undefined);

function decodeValue(node: unknown): unknown {
  // <value>text</value> without a type element is a string.
  if (node === undefined || node === null || node === "") return "";
  if (typeof node === "string") return node;
  if (typeof node !== "object") throw bad("unexpected value");
  const entries = Object.entries(node as Node).filter(([k]) => k !== "#text");
  if (entries.length === 0) return typeof (node as Node)["#text"] === "string" ? (node as Node)["#text"] : "";
  if (entries.length !== 1) throw bad("a value holds more than one type");
  const [type, inner] = entries[0] as [string, unknown];
  const text = typeof inner === "string" ? inner : inner === "" || inner === undefined || inner === null ? "" : undefined;
  switch (type) {
    case "string":
      return text ?? "";
    case "int":
    case "i4":
    case "i8": {
      if (text === undefined || !/^\s*[-+]?\d{1,15}\s*$/.test(text)) throw bad(`<${type}> is not an integer`);
      return Number(text);
    }
    case "boolean":
      if (text?.trim() === "1") return true;
      if (text?.trim() === "0") return false;
      throw bad("<boolean> must be 0 or 1");
    case "double": {
      const n = Number(text);
      if (text === undefined || text.trim() === "" || !Number.isFinite(n)) throw bad("<double> is not a number");
      return n;
    }
    case "dateTime.iso8601":
      return text ?? "";
    case "base64":
      return Buffer.from(text ?? "", "base64").toString("utf8");
    case "nil":
      return null;
    case "struct": {
      const out: Record<string, unknown> = {};
      const members = asNode(inner)?.member;
      for (const m of (Array.isArray(members) ? members : []) as Node[]) {
        const name = m.name;
        if (typeof name !== "string") throw bad("a struct member has no name");
        out[name] = decodeValue(m.value);
      }
      return out;
    }
    case "array": {
      const values = asNode(asNode(inner)?.data)?.value;
      return (Array.isArray(values) ? values : []).map(decodeValue);
    }
    default:
      throw bad(`unknown type <${type}>`);
  }
}

/** Parses a <methodCall> into its method name and positional parameter values. */
export function decodeMethodCall(xml: string): { method: string; params: unknown[] } {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw bad("document type declarations are not accepted");
  let doc: Node;
  try {
    doc = parser.parse(xml, true) as Node;
  } catch (error) {
    throw bad((error as Error).message.split("\n")[0] ?? "not well-formed");
  }
  const call = doc.methodCall as Node | undefined;
  if (!call || typeof call !== "object") throw bad("no <methodCall>");
  const method = call.methodName;
  if (typeof method !== "string" || method.trim() === "") throw bad("no <methodName>");
  const params = ((call.params as Node | undefined)?.param ?? []) as Node[];
  return { method: method.trim(), params: params.map((p) => decodeValue(p?.value)) };
}

/** For protocols that pass named arguments as one struct parameter (INWX): that struct, or `{}` when none. */
export function singleStruct(params: unknown[]): Record<string, unknown> {
  if (params.length === 0) return {};
  const first = params[0];
  if (params.length > 1 || first === null || typeof first !== "object" || Array.isArray(first)) throw bad("parameters must be passed as one struct");
  return first as Record<string, unknown>;
}

const pad = (n: number) => String(n).padStart(2, "0");
const isoBasic = (d: Date) => `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;

function encodeValue(v: unknown): Node {
  if (v === null || v === undefined) return { string: "" };
  if (typeof v === "string") return { string: v };
  if (typeof v === "boolean") return { boolean: v ? 1 : 0 };
  if (typeof v === "number") return Number.isInteger(v) ? { int: v } : { double: v };
  if (v instanceof Date) return { "dateTime.iso8601": isoBasic(v) };
  if (Array.isArray(v)) return { array: { data: v.length === 0 ? "" : { value: v.map(encodeValue) } } };
  if (typeof v === "object") {
    const members = Object.entries(v as Node)
      .filter(([, x]) => x !== undefined)
      .map(([name, x]) => ({ name, value: encodeValue(x) }));
    return { struct: members.length === 0 ? "" : { member: members } };
  }
  return { string: String(v) };
}

/** A <methodResponse> holding one value, serialised without whitespace between tags. */
export function encodeMethodResponse(value: unknown): string {
  return `<?xml version="1.0" encoding="UTF-8"?>${builder.build({ methodResponse: { params: { param: { value: encodeValue(value) } } } })}`;
}

/** A <methodResponse> holding a <fault> {faultCode, faultString}, for protocols that answer errors so. */
export function encodeFault(faultCode: number, faultString: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>${builder.build({ methodResponse: { fault: { value: encodeValue({ faultCode, faultString }) } } })}`;
}
