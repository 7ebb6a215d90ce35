/** Adds the timeline picture to a deployment's final report. */
import {
  type ChatMessage,
  type Deployment,
  type Runbook,
  renderTimelineSvg,
  timelineFromDeployment,
} from '../../core/index.ts';
import type { ChatSenderDeps } from './send-types.ts';

/** The report with its timeline PNG (the deployment and its incident); a picture that fails is said, not fatal. */
export async function attachTimeline(
  deps: ChatSenderDeps,
  deployment: Deployment,
  runbook: Runbook,
  message: ChatMessage,
): Promise<ChatMessage> {
  const renderPng = deps.renderPng;
  if (!renderPng) return message;
  try {
    const recent = await deps.engine.incidents.list({ service: deployment.service, limit: 50 });
    const incident = recent.find((i) => i.deploymentId === deployment.id);
    const timeline = timelineFromDeployment({
      deployment,
      runbook,
      now: deps.engine.clock.now(),
      ...(incident && { incident }),
    });
    const png = renderPng(renderTimelineSvg(timeline));
    return {
      ...message,
      image: { name: `${deployment.id}-timeline.png`, png, alt: `Timeline of ${timeline.title}` },
    };
  } catch (error) {
    return {
      ...message,
      text: `${message.text}\n_(The timeline picture could not be drawn: ${(error as Error).message})_`,
    };
  }
}
