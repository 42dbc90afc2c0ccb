/** The shared test world moved to test/helpers/world.ts; this path stays for existing imports. */
export { type Actor, World } from "../helpers/world.js";
