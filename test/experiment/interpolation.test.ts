// biome-ignore-all lint/suspicious/noTemplateCurlyInString: ${VAR} is the interpolation syntax under test
import { describe, expect, it } from "vitest";
import { loadExperimentText } from "../../src/experiment/experiment-loader.js";
import { loadTargets } from "../../src/targets/targets-loader.js";
import { at, HEAD, issuesOf, lines } from "./issues-of.js";

const TARGETS = "test/fixtures/targets/targets.yaml";
const FAULTS = ["  faults: [{ name: a, for: 1s, toxiproxy: { proxy: p, toxic: outage } }]"];
const withLoad = (...load: string[]) => lines(...HEAD, "  load:", ...load, ...FAULTS);

describe("${VAR} interpolation", async () => {
  const targets = await loadTargets(TARGETS);

  it("uses the target's vars, with a listed environment variable winning and explicit vars winning over both", () => {
    const text = withLoad('    url: "${GATEWAY_URL}/checkout"', "    rate: 5");
    const load = (opts: object) =>
      loadExperimentText(text, "e.yaml", { targets, ...opts }).experiment.spec.load?.url;
    expect(load({ env: {} })).toBe("http://127.0.0.1:8080/checkout");
    // Other hosts the target declares (the scrape endpoint's): an override cannot leave the target.
    expect(load({ env: { GATEWAY_URL: "http://127.0.0.1:8081" } })).toBe("http://127.0.0.1:8081/checkout");
    expect(
      load({ env: { GATEWAY_URL: "http://127.0.0.1:8081" }, vars: { GATEWAY_URL: "http://127.0.0.1:8080" } }),
    ).toBe("http://127.0.0.1:8080/checkout");
  });

  it("an undefined variable is an issue at the reference itself", async () => {
    const text = withLoad('    url: "http://127.0.0.1:8080/${API_PATH}"', "    rate: 5");
    const issues = await issuesOf(() => loadExperimentText(text, "e.yaml", { targets, env: {} }));
    expect(issues).toEqual([
      {
        file: "e.yaml",
        ...at(text, 7, "${API_PATH}"),
        path: "spec.load.url",
        message: `undefined variable API_PATH: expected it in vars or secrets of target "sandbox", or an environment variable the targets file lists under env (${TARGETS})`,
      },
    ]);
  });

  it("works without targets or vars when no value uses them, and says so when one does", async () => {
    const plain = withLoad("    url: http://127.0.0.1:8080/", "    rate: 5");
    expect(loadExperimentText(plain, "e.yaml", { env: {} }).experiment.spec.load?.rate).toBe(5);
    const text = withLoad('    url: "${GATEWAY_URL}"', "    rate: 5");
    const issues = await issuesOf(() => loadExperimentText(text, "e.yaml", { env: { GATEWAY_URL: "x" } }));
    expect(issues[0]?.message).toBe(
      "undefined variable GATEWAY_URL: expected it in explicit vars (no targets file was given, so no target vars and no environment variable were read)",
    );
  });

  it("an unquoted whole reference takes the type it would have had if written out", () => {
    const text = withLoad('    url: "${GATEWAY_URL}"', "    rate: ${RATE}");
    expect(loadExperimentText(text, "e.yaml", { targets, env: {} }).experiment.spec.load?.rate).toBe(25);
  });

  it("$${ is a literal ${, and ${NAME:-fallback} has a fallback", () => {
    const text = withLoad(
      '    url: "${BASE:-http://127.0.0.1:1}/x"',
      '    body: "$${NOT_A_VAR}"',
      "    rate: 1",
    );
    const load = loadExperimentText(text, "e.yaml", { vars: { BASE: "" } }).experiment.spec.load;
    expect(load?.url).toBe("http://127.0.0.1:1/x");
    expect(load?.body).toBe("${NOT_A_VAR}");
  });

  it("only own variables count: ${constructor} is undefined, not a function", async () => {
    const text = withLoad('    url: "${constructor}"', "    rate: 1");
    const issues = await issuesOf(() => loadExperimentText(text, "e.yaml", { env: {} }));
    expect(issues[0]?.message).toMatch(/^undefined variable constructor: /);
  });

  it("a malformed reference is an issue", async () => {
    const text = withLoad('    url: "${NOT VALID}"', "    rate: 1");
    const issues = await issuesOf(() => loadExperimentText(text, "e.yaml", { env: {} }));
    expect(issues).toEqual([
      {
        file: "e.yaml",
        ...at(text, 7, "${"),
        path: "spec.load.url",
        message: 'expected a variable name (letters, digits, _) inside ${...}, found "${NOT VALID}"',
      },
    ]);
  });

  it("values only: a variable can never inject YAML structure", () => {
    const text = withLoad('    url: "http://127.0.0.1:1/"', '    body: "${EVIL}"', "    rate: 1");
    const evil = "x\n    rate: 99999\nextra: true";
    expect(loadExperimentText(text, "e.yaml", { vars: { EVIL: evil } }).experiment.spec.load).toMatchObject({
      body: evil,
      rate: 1,
    });
  });

  it("braces in a flow collection: the YAML error explains how to quote", async () => {
    const text = lines(...HEAD, "  load: { url: ${GATEWAY_URL}, rate: 1 }", ...FAULTS);
    const issues = await issuesOf(() => loadExperimentText(text, "e.yaml", { targets, env: {} }));
    expect(issues[0]?.message).toMatch(/quote a value that uses \$\{VAR\}/);
  });
});
