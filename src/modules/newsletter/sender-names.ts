/** The newsletter's job names, apart from the sender itself so use cases can enqueue without importing the mailer. */
export const SEND_JOB = 'newsletter.send';
export const TICK_JOB = 'newsletter.tick';
/** Sender jobs started per edition: several processes can each take one and send side by side. */
export const SENDERS_PER_EDITION = 2;
