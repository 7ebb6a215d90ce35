/** What the Discord adapter needs from the logger and the runbooks. */

/** The subset of a pino logger the adapter uses. */
export interface DiscordLog {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Names to suggest while someone types a command: the runbooks' services, or a service's environments. */
export type Suggest = (what: 'service' | 'environment', service?: string) => readonly string[];
