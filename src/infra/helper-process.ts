/**
 * Small long-lived helper processes of the bot (the step launcher, the picture renderer): started the same way,
 * never keeping the bot alive on their own, and stopped by closing their channel, then killed if they linger.
 */
import { type ChildProcess, fork } from 'node:child_process';

/** Starts `script` as a helper: no inherited Node flags, structured-clone messages, its output on ours. */
export function forkHelper(script: string): ChildProcess {
  return fork(script, [], {
    execArgv: [],
    serialization: 'advanced',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

/** A helper is referenced only while it has work, so it never keeps its parent alive on its own. */
export function holdOpen(child: ChildProcess, open: boolean): void {
  if (open) {
    child.ref();
    child.channel?.ref();
  } else {
    child.unref();
    child.channel?.unref();
  }
}

/** Closes the helper's channel (it exits once its work is done) and kills it after `graceMs`; resolves on exit. */
export async function stopHelper(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  child.ref();
  if (child.connected) child.disconnect();
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}
