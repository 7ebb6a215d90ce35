/**
 * A service named, or a deployment named for its service and environment (`/oncall shop-12`, `/deploy history
 * shop-12`): a word shaped as a deployment or incident id is looked up as one, and a mistyped one is answered as
 * every command answers it (`findDeployment`), never as an unknown service.
 */
import { type Deployment, type Runbook, unknownService } from '../core/index.ts';
import type { CommandContext } from './command.ts';
import {
  findDeployment,
  INCIDENT_ID,
  INCIDENT_SHAPED,
  idShapedService,
  TYPED_DEPLOYMENT_ID,
} from './find-deployment.ts';

export interface ServiceNamed {
  readonly runbook: Runbook;
  /** The deployment named, when it was one: its pinned runbook is `runbook`. */
  readonly deployment?: Deployment;
}

/** The service `word` names, or the deployment it names; throws a UserError saying what to type instead. */
export async function serviceOrDeployment(
  ctx: CommandContext,
  word: string,
  typeInstead: string,
): Promise<ServiceNamed> {
  const { runbooks } = ctx.services.engine;
  const loaded = runbooks.current(word);
  if (loaded) return { runbook: loaded.runbook };
  const idShaped =
    TYPED_DEPLOYMENT_ID.test(word) ||
    INCIDENT_ID.test(word) ||
    INCIDENT_SHAPED.test(word) ||
    idShapedService(runbooks, word) !== undefined;
  if (!idShaped) throw unknownService(word, runbooks.services());
  const found = await findDeployment(ctx, word, typeInstead, { anyChannel: true });
  if (found instanceof Error) throw found;
  return found;
}
