/** The wall clock, the production `now`; injected so tests can pin time. */
export const systemClock = (): Date => new Date();
