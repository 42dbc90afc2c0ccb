import assert from "node:assert/strict";
import { it } from "node:test";
import { redactUrl } from "../../src/protocols/http.js";

it("logs a download URL without its token, and other URLs as they are", () => {
  assert.equal(redactUrl("/v1/downloads/dl_gU4ADEDS8d8naSNQb2MdwYxCf6yNRtcw"), "/v1/downloads/[redacted]");
  assert.equal(redactUrl("/v1/downloads/dl_abc?x=1"), "/v1/downloads/[redacted]?x=1");
  assert.equal(redactUrl("/v1/customers/42"), "/v1/customers/42");
});

it("logs a URL without credentials put in its query string (issue 10)", () => {
  assert.equal(redactUrl("/v1/roles?api_key=ck_abc_def&x=1"), "/v1/roles?api_key=[redacted]&x=1");
  assert.equal(redactUrl("/v1/roles?x=1&token=cs_secret"), "/v1/roles?x=1&token=[redacted]");
  assert.equal(redactUrl("/jsonrpc/?Password=hunter2"), "/jsonrpc/?Password=[redacted]");
  assert.equal(redactUrl("/v1/customers?filter[email]=a@b.example"), "/v1/customers?filter[email]=a@b.example");
});
