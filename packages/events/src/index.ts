// Upstream events and background work (DESIGN.md "Events and caches").
export { BackgroundJobs, describeFailure } from './BackgroundJobs.js';
export type { BackgroundJobsOptions, Job, JobHandler } from './BackgroundJobs.js';
export { EventIdClaims } from './EventIdClaims.js';
export { createRedisJobJournal, jobJournalOf } from './JobJournal.js';
export type { JobJournal } from './JobJournal.js';
export { webhookIntake, webhookJobKind } from './webhookIntake.js';
export type { EntityKeyOf, UpstreamEvent, WebhookIntakeOptions } from './webhookIntake.js';
export { deadLetterAdmin } from './deadLetterAdmin.js';
export type { DeadLetterAdminOptions } from './deadLetterAdmin.js';
export {
  requireWebhookSecretInProduction,
  subgraphEventsEnvShape,
  withDevWebhookSecret,
} from './eventsEnv.js';
export { eventsMetricsObserver, noEventsObserver } from './eventMetrics.js';
export type { EventsObserver } from './eventMetrics.js';
export { subgraphEvents } from './subgraphEvents.js';
export type { SubgraphEvents, SubgraphEventsConfig } from './subgraphEvents.js';
