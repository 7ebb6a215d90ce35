/**
 * An error the CLI reports in one line and turns into an exit code (1: invalid input, or a service that is out of reach
 * or refuses, as StartupError; 2: usage, configuration or unreadable).
 */
export class CliError extends Error {
  readonly exitCode: 1 | 2;
  /** The file the message starts with, written as given with its control characters escaped. */
  readonly file: string | undefined;

  constructor(message: string, exitCode: 1 | 2, file?: string) {
    super(message);
    this.exitCode = exitCode;
    this.file = file;
  }
}
