import { after, before } from "node:test";
import type { Config } from "../../src/config.js";
import type { Clock } from "../../src/core/clock.js";
import type { CustomerCreateInput } from "../../src/modules/customers/schema.js";
import type { Dialect } from "../../src/storage/schema.js";
import { World } from "./world.js";
import { TestClient } from "./client.js";
import { OPERATOR_KEY, startServer, type TestServer } from "./harness.js";

/** The password fixtures give customers unless a test names its own. */
export const TEST_PASSWORD = "Correct-Horse-Battery-9";

/** A customer that can log in. */
export interface PasswordCustomer {
  id: number;
  login: string;
  email: string;
  password: string;
}

/** The operator's typed client on a test server. */
export function operatorClient(server: TestServer): TestClient {
  return new TestClient(server.url, OPERATOR_KEY);
}

/**
 * Creates a customer through REST as the operator and sets its password. `profile` needs the
 * e-mail address; without a name or company the customer is "Fixture GmbH".
 */
export async function customerWithPassword(server: TestServer, profile: Partial<CustomerCreateInput> & { email: string }, password = TEST_PASSWORD): Promise<PasswordCustomer> {
  const client = operatorClient(server);
  const named = profile.company !== undefined || profile.first_name !== undefined;
  const c = await client.createCustomer(named ? profile : { company: "Fixture GmbH", ...profile });
  await client.setPassword(c.id, password);
  return { id: c.id, login: c.login, email: c.email, password };
}

/** What `useServer` gives a suite once its `before` hook ran. */
export interface ServerFixture {
  server: TestServer;
  /** Tenants built through the domain services (resellers, customers, keys). */
  world: World;
  /** The operator's typed client. */
  client: TestClient;
}

/**
 * Starts a real server on `dialect` before the suite's tests and closes it after them; the
 * fixture's fields are set once the `before` hook ran (read them inside tests or hooks).
 */
export function useServer(dialect: Dialect, overrides: Partial<Config> = {}, clock?: Clock): ServerFixture {
  const fixture = {} as ServerFixture;
  before(async () => {
    fixture.server = await startServer(dialect, overrides, clock);
    fixture.world = new World(fixture.server);
    fixture.client = operatorClient(fixture.server);
  });
  after(async () => fixture.server.close());
  return fixture;
}
