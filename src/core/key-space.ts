/**
 * Every Redis key and pub/sub channel Preflight uses, named in one place. Add new keys here, never by hand.
 *
 * All keys of one installation start with one hash tag, `{<prefix>}` (`{pf}:dep:sparkle-7`), so on Redis Cluster
 * they hash to one slot: a commit's Lua script touches the deployment, its audit log, the service's lock and the
 * outbox at once, and BullMQ's scripts need all of a queue's keys in one slot too (its docs: a prefix with a hash
 * tag). One slot also keeps every key of a deployment together. Preflight's data is small (deployments, audit
 * records, queued messages), so one slot is not a limit; Cluster buys failover, not sharding, here.
 */

/** The key layout under one prefix. */
export interface KeySpace {
  /** The hash tag every key starts with, e.g. `{pf}`. */
  readonly tag: string;
  /** BullMQ's `prefix` option: its keys become `{pf}:q:<queue>:…`, in the same slot. */
  readonly queuePrefix: string;
  /** STRING: a deployment's JSON. */
  deployment(id: string): string;
  /** LIST: the hash-chained audit records of a deployment or an incident. */
  audit(id: string): string;
  /** STRING: `{count, hash}` of an audit log's last record when it was last appended to (truncation shows). */
  auditHead(id: string): string;
  /** ZSET by request time: ids of one service's deployments, or of all deployments. */
  deploymentIndex(service?: string): string;
  /** ZSET by request time: ids of deployments not yet finished (kept by the commit script). */
  readonly activeIndex: string;
  /** STRING: set once the active index holds every unfinished deployment (built from the full index once). */
  readonly activeIndexBuilt: string;
  /** STRING: who holds a service/environment (a deployment or a manual lock). */
  lock(service: string, environment: string): string;
  /** STRING: the version live in a service/environment and the deployment that put it there. */
  live(service: string, environment: string): string;
  /** STREAM: committed effects, read by the outbox relay. */
  readonly outbox: string;
  /** STRING with expiry: an applied event id (dedupe). */
  event(eventId: string): string;
  /** STRING counter: next number of a deployment id (per service) or of an incident id. */
  sequence(name: string): string;
  /** STRING: an incident's JSON. */
  incident(id: string): string;
  /** STRING: when the last applied reaction of a person with an emoji on a message was made; and its lock. */
  reaction(key: string, part: 'last' | 'lock'): string;
  /**
   * HASH with expiry: a person's replies in a deployment's thread not taken when handled (`r<µs>` → text), and when
   * their ❌ that rejected a gate without a reason was made (`x`): ReasonReplies.
   */
  reasonReplies(key: string): string;
  /** ZSET by open time: incident ids. */
  readonly incidentIndex: string;
  /** STRING: the open incident of a deployment. */
  incidentOf(deploymentId: string): string;
  /** STRING: the open incident of a service and environment, for incidents without a deployment. */
  incidentOfService(service: string, environment: string): string;
  /** ZSET by open time: the open incidents of deployments of a service and environment. */
  deploymentIncidentsOf(service: string, environment: string): string;
  /** STRING with expiry: one firing of an Alertmanager alert (its alertKey) was reported: `counted` or `resolved`. */
  alertFiring(service: string, environment: string, alert: string): string;
  /** HASH with expiry: firings (identity → alert name) an alert trigger saw too few of in one notification. */
  alertsBelowMin(service: string, environment: string, trigger: string): string;
  /** HASH: monitoring period → the check states its health message last showed. */
  healthMessage(deploymentId: string): string;
  /** HASH: message key → chat message reference, for one deployment. */
  messages(deploymentId: string): string;
  /** STRING: chat message reference → deployment and message key. */
  messageRef(platform: string, channel: string, messageId: string): string;
  /** ZSET: posts on a platform attempted and not known to be posted or given up (`<owner>\n<key>`, by when). */
  unconfirmedPosts(platform: string): string;
  /** STRING with expiry: a delivery already seen (an answer sent or begun; an alert counted before alertFiring existed). */
  seen(key: string): string;
  /**
   * HASH with expiry: per bot process, its first read-back of reactions at start (JSON: the platforms not read back
   * yet, when the last one ended, until when pages wait for it), so a page due in any process waits for it.
   */
  readonly readingBack: string;
  /** STRING: a random mark written when the installation's data was first made; gone or changed, Redis lost it. */
  readonly dataMark: string;
  /** STRING: a pinned runbook's source by digest. */
  runbook(digest: string): string;
  /** HASH: latest health per check of a deployment. */
  health(deploymentId: string): string;
  /** HASH: pre-deploy baseline per trigger of a deployment. */
  baseline(deploymentId: string): string;
  /** STRING with expiry: the process probing one health check of a deployment, until its answer is recorded. */
  probing(deploymentId: string, check: string): string;
  /** Lease, process and result of one step run. */
  run(runId: string, part: 'lease' | 'proc' | 'result'): string;
  /** HASH with expiry: the emergency stop under way on a service/environment (`id`, `who`). */
  emergencyStop(service: string, environment: string): string;
  /** STRING with expiry: the outbox relay's leader. */
  readonly relayLeader: string;
  /** Pub/sub: cancel a deployment's running steps. */
  readonly cancelChannel: string;
  /** STRING counter: ids of terminal chat messages. */
  readonly consoleNextId: string;
  /** Keys of the chat send queue. */
  readonly chat: ChatKeys;
}

/** Keys of the chat send queue. */
export interface ChatKeys {
  /** LIST: queued items of a channel, head = next to send. */
  queue(channel: string): string;
  /** SET: channels whose list may be non-empty. */
  readonly channels: string;
  /** STRING with expiry: the process sending for a channel. */
  lease(channel: string): string;
  /** HASH: last send, hold, attempts of a channel. */
  state(channel: string): string;
  /** SET: keys of queued refreshes (and unsent posts) of a channel. */
  refreshes(channel: string): string;
  /** LIST: the queued urgent posts of a channel, in arrival order (an index of the queue). */
  urgent(channel: string): string;
  /** LIST: the queued posts of one thread of a channel, in arrival order (an index of the queue). */
  threadQueue(channel: string, thread: string): string;
  /** STRING with expiry: a post key already queued (dedupe). */
  posted(channel: string, key: string): string;
  /** Pub/sub: a channel has new work. */
  readonly wake: string;
}

const PREFIX = /^[A-Za-z0-9_.-]+:?$/;

/** The key layout for a prefix such as `pf:` (letters, digits, `_ . -`, an optional trailing colon). */
export function createKeySpace(prefix: string): KeySpace {
  if (!PREFIX.test(prefix))
    throw new Error(`a key prefix is letters, digits, "_", "." or "-" and may end in ":" (got "${prefix}")`);
  const tag = `{${prefix.replace(/:$/, '')}}`;
  const key = (...parts: string[]): string => [tag, ...parts].join(':');
  return {
    tag,
    queuePrefix: key('q'),
    deployment: (id) => key('dep', id),
    audit: (id) => key('audit', id),
    auditHead: (id) => key('audit-head', id),
    deploymentIndex: (service) => (service === undefined ? key('deps') : key('deps', service)),
    activeIndex: key('active-deps'),
    activeIndexBuilt: key('active-deps-built'),
    lock: (service, environment) => key('lock', service, environment),
    live: (service, environment) => key('live', service, environment),
    outbox: key('outbox'),
    event: (eventId) => key('evt', eventId),
    sequence: (name) => key('seq', name),
    incident: (id) => key('inc', id),
    reaction: (k, part) => key('reaction', part, k),
    reasonReplies: (k) => key('reason-replies', k),
    incidentIndex: key('incs'),
    incidentOf: (deploymentId) => key('incdep', deploymentId),
    incidentOfService: (service, environment) => key('incsvc', service, environment),
    deploymentIncidentsOf: (service, environment) => key('incenv', service, environment),
    alertFiring: (service, environment, alert) => key('alert', service, environment, alert),
    alertsBelowMin: (service, environment, trigger) => key('alertmin', service, environment, trigger),
    healthMessage: (deploymentId) => key('healthmsg', deploymentId),
    messages: (deploymentId) => key('msg', deploymentId),
    messageRef: (platform, channel, messageId) => key('msgref', platform, channel, messageId),
    unconfirmedPosts: (platform) => key('msgtry', platform),
    seen: (k) => key('seen', k),
    readingBack: key('reading-back'),
    dataMark: key('data-mark'),
    runbook: (digest) => key('runbook', digest),
    health: (deploymentId) => key('health', deploymentId),
    baseline: (deploymentId) => key('baseline', deploymentId),
    probing: (deploymentId, check) => key('probing', deploymentId, check),
    run: (runId, part) => key('run', runId, part),
    emergencyStop: (service, environment) => key('emergency', service, environment, 'stop'),
    relayLeader: key('relay', 'leader'),
    cancelChannel: key('cancel'),
    consoleNextId: key('console', 'next-id'),
    chat: {
      queue: (channel) => key('chat', 'queue', channel),
      channels: key('chat', 'channels'),
      lease: (channel) => key('chat', 'lease', channel),
      state: (channel) => key('chat', 'state', channel),
      refreshes: (channel) => key('chat', 'refreshes', channel),
      urgent: (channel) => key('chat', 'urgent', channel),
      threadQueue: (channel, thread) => key('chat', 'thread', channel, thread),
      posted: (channel, k) => key('chat', 'posted', channel, k),
      wake: key('chat', 'wake'),
    },
  };
}
