import { sandboxDown } from "../../src/sandbox/sandbox-stack.js";
import { SANDBOX_STATE_DIR } from "./sandbox.js";

/** Test files start the stack on demand; the run ends by stopping whatever they started. */
export default function setup(): () => Promise<void> {
  return async () => {
    await sandboxDown({ stateDir: SANDBOX_STATE_DIR });
  };
}
