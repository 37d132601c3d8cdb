import { ExitCode, GamedayError } from "../errors/gameday-error.js";

export class ConsoleAddressError extends GamedayError {
  constructor(message: string) {
    super("E_CONSOLE_ADDRESS", message, ExitCode.invalid);
  }
}

export class ConsolePortInUseError extends GamedayError {
  constructor(host: string, port: number) {
    super(
      "E_PORT_IN_USE",
      `cannot start the console: ${host}:${port} is already in use (another \`gameday console\`?). Stop it or pick another --port.`,
      ExitCode.error,
    );
  }
}
