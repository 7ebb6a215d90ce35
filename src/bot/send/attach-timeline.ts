/** Adds the timeline picture to a deployment's final report. */
import {
  type ChatMessage,
  type Deployment,
  type Incident,
  type Runbook,
  renderTimelineSvg,
  timelineFromDeployment,
} from '../../core/index.ts';
import type { ChatSenderDeps } from './send-types.ts';

/**
 * The message with the timeline PNG of the deployment and its incident (found by the deployment when not given);
 * a picture that cannot be drawn is said in the message, never fatal to the post.
 */
export async function attachTimeline(
  deps: ChatSenderDeps,
  deployment: Deployment,
  runbook: Runbook,
  message: ChatMessage,
  known?: Incident,
): Promise<ChatMessage> {
  const renderPng = deps.renderPng;
  if (!renderPng) return message;
  try {
    const incident =
      known ??
      (await deps.engine.incidents.list({ service: deployment.service, limit: 50 })).find(
        (i) => i.deploymentId === deployment.id,
      );
    const timeline = timelineFromDeployment({
      deployment,
      runbook,
      now: deps.engine.clock.now(),
      ...(incident && { incident }),
    });
    const png = await renderPng(renderTimelineSvg(timeline));
    return {
      ...message,
      image: { name: `${deployment.id}-timeline.png`, png, alt: `Timeline of ${timeline.title}` },
    };
  } catch (error) {
    deps.log?.warn(
      { err: error, deploymentId: deployment.id },
      'timeline picture not drawn; posted without it',
    );
    return {
      ...message,
      text: `${message.text}\n_(The timeline picture could not be drawn: ${(error as Error).message})_`,
    };
  }
}
