// Who makes a configuration change, and in which installation: every setup change takes one, so it
// can be audited.
export interface Actor {
  /** The Installation row key (team ID, or enterprise ID for an org-wide install). */
  installationId: string;
  /** A Slack user ID. */
  userId: string;
}
