/** The one version string: `gameday --version` prints it from the bin before anything else loads. */
export const VERSION = "0.1.0";

/** Commander prints the version for a leading -V/--version whatever follows, before any command loads. */
export function isVersionOnly(args: string[]): boolean {
  return args[0] === "--version" || args[0] === "-V";
}
