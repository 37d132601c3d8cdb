/**
 * targets.yaml as `text` with every 127.0.0.1 port moved by `offset` and, when given, the control
 * token file of the app entries pointed at `tokenFile` (a moved stack writes its own).
 */
export function shiftTargetsText(text: string, offset: number, tokenFile?: string): string {
  const moved = text.replace(
    /127\.0\.0\.1:(\d+)/g,
    (_, port: string) => `127.0.0.1:${Number(port) + offset}`,
  );
  return tokenFile ? moved.replaceAll(".gameday/sandbox/control-token", tokenFile) : moved;
}
