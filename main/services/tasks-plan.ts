/** The timeline planner lives in core, because the server's channel dispatcher plans the same dates. */
export * from '@gestiona/core/strategy/timeline-plan';
