/** One trivial step run the way the step runner runs it (bash -euo pipefail -c, closed stdin, minimal environment). */
import { execa } from 'execa';

const ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' };

export async function runRaw(script: string): Promise<{ ms: number; stdout: string }> {
  const started = performance.now();
  const result = await execa('bash', ['-euo', 'pipefail', '-c', script], {
    env: ENV,
    extendEnv: false,
    stdin: 'ignore',
    reject: false,
  });
  return { ms: performance.now() - started, stdout: String(result.stdout) };
}
