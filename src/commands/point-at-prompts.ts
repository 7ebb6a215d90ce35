/** A ✅ or ❌ on a message that asks for neither: the person is told where it counts. */
import { type Deployment, EMOJI, gateDefinition, UserError } from '../core/index.ts';
import type { CommandServices } from './command.ts';
import type { LookAlikeInput } from './look-alike-reaction.ts';

/**
 * ✅ or ❌ on the deployment's status message while gates wait, or ✅ on it or the checklist's summary while the
 * checklist runs: it approves or ticks nothing, and the person who meant it is told where it counts (the gates'
 * messages are posted only once the checklist passes) rather than left believing they signed off.
 */
export async function pointAtPrompts(
  services: CommandServices,
  input: LookAlikeInput,
  current?: Deployment,
): Promise<undefined> {
  const answer = input.emoji === EMOJI.approve || input.emoji === EMOJI.reject;
  if (!answer || !input.added || (input.key !== 'status' && input.key !== 'checklist')) return undefined;
  const deployment = current ?? (await services.engine.store.get(input.deploymentId));
  if (!deployment) return undefined;
  const runbook = await services.engine.runbooks.pinned(deployment.runbookDigest);
  const emoji = input.emoji === EMOJI.approve ? '✅' : '❌';
  const buttons = input.platform !== 'console';
  const asked = deployment.gates.filter((g) => g.status === 'pending' && g.requestedAt !== undefined);
  if (input.key === 'status' && asked.length > 0) {
    const titles = asked.map((g) => `*${gateDefinition(runbook, g.id)?.title ?? g.id}*`).join(', ');
    throw new UserError(
      'WRONG_STATE',
      `a ${emoji} on the status message approves or rejects nothing: react on the gate's own message in this thread (waiting: ${titles})${buttons ? ', or press its Approve or Reject button' : ''}`,
    );
  }
  const open = deployment.checklist.filter((c) => {
    const def = runbook.checklist?.find((i) => i.id === c.id);
    return c.status === 'pending' && def !== undefined && def.run === undefined && def.argv === undefined;
  });
  if (deployment.state !== 'checklist' || input.emoji !== EMOJI.approve || open.length === 0)
    return undefined;
  const titles = open
    .map((c) => `*${runbook.checklist?.find((i) => i.id === c.id)?.title ?? c.id}*`)
    .join(', ');
  throw new UserError(
    'WRONG_STATE',
    `a ✅ on the ${input.key} message ticks and approves nothing: the checklist comes first (open: ${titles}); its owners tick each item on the item's own message in this thread${buttons ? ', or press its Done button,' : ''} and the gates are asked for once it passes`,
  );
}
