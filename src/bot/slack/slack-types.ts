/** What the Slack adapter needs from the WebClient and the logger. */
import type { webApi } from '@slack/bolt';

/** The WebClient methods the adapter calls (tests may pass a stand-in). */
export type SlackApi = Pick<webApi.WebClient, 'apiCall' | 'filesUploadV2'>;

/** The subset of a pino logger the adapter uses. */
export interface SlackLog {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
